// Starts the emulator for the `uses: ./` job of .github/workflows/ci.yml, the same way on every
// hosted runner (Ubuntu, macOS, Windows), with nothing but Node: no jq, no curl --cacert (the
// Windows curl ignores it), no GNU date, no background job of a shell (on Windows a child that
// keeps the step's handles open can hold the step). It starts `emulator/cli.ts start` detached,
// its JSON line in RUNNER_TEMP/emulator.json and its log in RUNNER_TEMP/emulator.log, waits for
// it (60 s at most), makes one HTTPS request with its certificate as the action's steps will,
// then writes NODE_EXTRA_CA_CERTS (a path of the runner's own platform) to GITHUB_ENV, which Node
// reads only at start-up, and the emulator's URL and names to GITHUB_OUTPUT.
// Usage: tsx scripts/ci-emulator.ts (in the repository's folder, on a runner)
import { spawn } from 'node:child_process'
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs'
import { get } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export interface EmulatorInfo {
  url: string
  tenantId: string
  subscriptionId: string
  resourceGroup: string
  serviceName: string
  certPath: string
  env: Record<string, string>
}

/** The emulator's JSON line, once it is written in full; undefined before. */
export function readInfo(text: string): EmulatorInfo | undefined {
  const line = text.split('\n')[0]
  if (!text.includes('\n') || line.trim() === '') return undefined
  return JSON.parse(line) as EmulatorInfo
}

/** The lines for GITHUB_ENV and GITHUB_OUTPUT; the certificate as an absolute path. */
export function stepFiles(
  info: EmulatorInfo,
  cwd: string,
  p: Pick<typeof path, 'resolve'> = path
): { env: string; output: string } {
  const outputs = {
    url: info.url,
    'subscription-id': info.subscriptionId,
    'resource-group': info.resourceGroup,
    'service-name': info.serviceName,
    'tenant-id': info.tenantId,
    'client-id': info.env.AZURE_CLIENT_ID,
    'client-secret': info.env.AZURE_CLIENT_SECRET
  }
  return {
    env: `NODE_EXTRA_CA_CERTS=${p.resolve(cwd, info.certPath)}\n`,
    output: Object.entries(outputs)
      .map(([name, value]) => `${name}=${value}\n`)
      .join('')
  }
}

async function main(): Promise<number> {
  const temp = process.env.RUNNER_TEMP || tmpdir()
  const infoFile = path.join(temp, 'emulator.json')
  const logFile = path.join(temp, 'emulator.log')
  const out = openSync(infoFile, 'w')
  const err = openSync(logFile, 'w')
  const args = [
    '--import',
    'tsx',
    'emulator/cli.ts',
    'start',
    '--port',
    '0',
    '--cert-dir',
    '.emulator'
  ]
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', out, err],
    windowsHide: true
  })
  closeSync(out)
  closeSync(err)
  let exited: number | null | undefined
  child.on('exit', (code) => (exited = code))
  child.unref()

  let info: EmulatorInfo | undefined
  for (let waited = 0; !info && exited === undefined && waited < 60_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    info = readInfo(readFileSync(infoFile, 'utf8'))
  }
  if (!info) {
    console.log(`::error::The emulator did not start${exited === undefined ? ' within 60 s' : ''}`)
    console.log(readFileSync(logFile, 'utf8'))
    return 1
  }
  const status = await new Promise<number | undefined>((resolve, reject) =>
    get(`${info.url}/health/green`, { ca: readFileSync(info.certPath) }, (res) => {
      res.resume()
      resolve(res.statusCode)
    }).on('error', reject)
  )
  if (status !== 200) {
    console.log(`::error::The emulator answered ${status} to /health/green`)
    return 1
  }
  const files = stepFiles(info, process.cwd())
  appendFileSync(process.env.GITHUB_ENV ?? path.join(temp, 'env'), files.env)
  appendFileSync(process.env.GITHUB_OUTPUT ?? path.join(temp, 'output'), files.output)
  console.log(`Emulator (pid ${child.pid}) at ${info.url}, its certificate at ${info.certPath}`)
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main()
