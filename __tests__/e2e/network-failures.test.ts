// When Azure Resource Manager does not answer at all: a workflow with a mistyped arm-endpoint, a
// runner whose network refuses the connection, a TLS-inspecting proxy whose certificate the runner
// does not trust, or a service too slow for the step's limits. The step names the host and what
// happened, the limit that fired, and re-run advice that is true for what it wrote; and the process
// ends as soon as the step has failed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { failureOf } from '../../scripts/outcome.js'
import { RUNNER_ENV } from '../../scripts/runner.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import { runnerPath } from '../helpers/runner-path.js'
import {
  ApimEmulator,
  CLIENT_ID,
  CLIENT_SECRET,
  RG,
  SERVICE,
  SUB,
  TARGET,
  TENANT_ID,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'
import type { Fault } from '../../emulator/types.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

/** A TCP server that accepts connections and never says a word (not even a TLS hello). */
let silent: Server
const held: Socket[] = []
let silentUrl: string
/** An ARM endpoint with a certificate of its own, which NODE_EXTRA_CA_CERTS does not name. */
let untrusted: ApimEmulator
beforeAll(async () => {
  silent = createServer((socket) => void held.push(socket))
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done))
  silentUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`
  untrusted = await ApimEmulator.start({ certDir: mkdtempSync(join(tmpdir(), 'apim-untrusted-')) })
})
afterAll(async () => {
  for (const socket of held) socket.destroy()
  await new Promise((done) => silent.close(done))
  await untrusted?.stop()
})

/** A local port nothing listens on (an emulator's, once stopped). */
async function closedPort(): Promise<string> {
  const gone = await ApimEmulator.start()
  await gone.stop()
  return gone.url
}

/** Sign-in works (the emulator's Entra); ARM is wherever the test points it. */
const step = (inputs: Record<string, string>) =>
  runInProcess(
    { ...TARGET, ...secretSignIn(emulator), ...inputs },
    // Retries a millisecond apart, so four attempts take no time; PATH without the host's az.
    { APIM_BACKEND_ACTION_RETRY_DELAY_MS: '1', PATH: runnerPath('none') }
  )

const CREATE = {
  operation: 'create',
  'backend-id': 'orders',
  url: 'https://orders.example.com',
  protocol: 'http'
}

describe('ARM cannot be reached', () => {
  it('connection refused: names the host, says nothing was written, points at arm-endpoint', async () => {
    const arm = await closedPort()
    const outcome = await step({ ...CREATE, 'arm-endpoint': arm })
    expect(outcome.failure).toBe(
      `Reading backend 'orders' failed: cannot reach ${arm}: connection refused (ECONNREFUSED), 4 attempts. Nothing was written, so a re-run starts clean. Hint: the request did not get an answer from Azure Resource Manager; check arm-endpoint (or environment), DNS, and any proxy or firewall between the runner and ${arm}.`
    )
  })

  it('a name that does not resolve (.invalid, RFC 2606): name not resolved, host only', async () => {
    const outcome = await step({ ...CREATE, 'arm-endpoint': 'https://management.contoso.invalid' })
    expect(outcome.failure).toMatch(
      /^Reading backend 'orders' failed: cannot reach https:\/\/management\.contoso\.invalid: name not resolved(, DNS did not answer)? \((ENOTFOUND|EAI_AGAIN)\), 4 attempts\. Nothing was written/
    )
    // The origin only: the path and query (subscription, resource group, api-version) stay out.
    expect(outcome.failure).not.toContain('/subscriptions/')
  })

  it('a certificate the runner does not trust: named as such, with the fix, and not retried', async () => {
    const outcome = await step({ ...CREATE, 'arm-endpoint': untrusted.url })
    expect(outcome.failure).toMatch(
      new RegExp(
        `^Reading backend 'orders' failed: the certificate of ${untrusted.url.replace(/\./g, '\\.')} is not trusted \\(self-signed\\? set NODE_EXTRA_CA_CERTS\\): [A-Z_]+\\. Nothing was written, so a re-run starts clean\\. Hint: the runner must trust the certificate`
      )
    )
    expect(outcome.failure).toContain('NODE_EXTRA_CA_CERTS')
    // The TLS handshake failed, so no request reached it: nothing to count, nothing retried.
    expect(untrusted.armRequests()).toHaveLength(0)
    expect(outcome.stdout.match(/Reading backend|GET /g)?.length ?? 0).toBeLessThanOrEqual(2)
  })
})

describe('the timeout message names the limit that fired', () => {
  it('each attempt slower than request-timeout-seconds: that input, with its value', async () => {
    const outcome = await step({
      ...CREATE,
      'arm-endpoint': silentUrl,
      'request-timeout-seconds': '1',
      'timeout-seconds': '60'
    })
    expect(outcome.failure).toBe(
      `Reading backend 'orders' failed: no answer within 1 s (request-timeout-seconds), 4 attempts. Nothing was written, so a re-run starts clean. Hint: Azure or the network was too slow; raise request-timeout-seconds, or re-run later.`
    )
  })

  it('the step ends during an attempt cut short by it: timeout-seconds, never "0 s (request-timeout-seconds)"', async () => {
    // The first attempt times out at 2 s; the retry has 1 s left, and the step's limit ends it.
    const outcome = await step({
      ...CREATE,
      'arm-endpoint': silentUrl,
      'request-timeout-seconds': '2',
      'timeout-seconds': '3'
    })
    expect(outcome.failure).toMatch(
      /^Timed out after 3 s \(timeout-seconds\) while .*\. Nothing was written, so a re-run starts clean\. Hint: raise timeout-seconds\.$/
    )
    expect(outcome.failure).not.toContain('request-timeout-seconds')
  })
})

describe('re-run advice that holds for what was written', () => {
  it('a create PUT applied but unanswered within timeout-seconds: the advice warns that if-exists: fail would fail, and it would', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: /\/backends\/orders$/,
      kind: 'slow',
      delayMs: 10_000
    })
    const outcome = await step({ ...CREATE, 'timeout-seconds': '2' })
    expect(outcome.failure).toMatch(
      /^Timed out after 2 s \(timeout-seconds\) while writing the backend\. Done: signing in; reading the backend\. Not done: writing the backend\. PUT \/backends\/orders got no answer and may have been applied: check the backend before re-running \(with if-exists: fail a re-run would fail if it was\)\. Hint: raise timeout-seconds\.$/
    )
    expect(outcome.failure).not.toContain('safe to repeat')

    // It was applied: a re-run with if-exists: fail fails, as the advice says.
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')).toBeDefined()
    const again = await step(CREATE)
    expect(again.failure).toContain('already exists')
  })

  it.each([
    ['slower than request-timeout-seconds', { kind: 'slow', delayMs: 5000 }],
    ['cut off mid-body', { kind: 'drop-after-apply' }]
  ] as [string, Pick<Fault, 'kind' | 'delayMs'>][])(
    'every answer to a create %s while time remains: the backend is read again, and it was created',
    async (_, fault) => {
      // The first attempt creates the backend; the retries meet it (412); no answer is read.
      emulator.injectFault({ method: 'PUT', path: /\/backends\/orders$/, times: 4, ...fault })
      const outcome = await step({ ...CREATE, 'request-timeout-seconds': '1' })
      expect(outcome.failure).toBeUndefined()
      expect(outcome.outputs.result).toBe('created')
      expect(outcome.stdout).toContain(
        'The PUT got no readable answer, but the backend now holds what it sent.'
      )
    }
  )

  it('every answer to an update lost, and not applied: the step says nothing was written', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://old.example',
      protocol: 'http'
    })
    emulator.injectFault({ method: 'PATCH', path: /\/backends\/orders$/, kind: 'drop', times: 4 })
    const outcome = await step({ ...CREATE, operation: 'update', 'if-exists': '', protocol: '' })
    expect(outcome.failure).toContain('Nothing was written, so a re-run starts clean.')
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')?.contract.properties.url).toBe(
      'https://old.example'
    )
  })

  it('with if-exists: replace the same advice carries no if-exists caveat', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: /\/backends\/orders$/,
      kind: 'slow',
      delayMs: 10_000
    })
    const outcome = await step({ ...CREATE, 'if-exists': 'replace', 'timeout-seconds': '2' })
    expect(outcome.failure).toContain(
      'PUT /backends/orders got no answer and may have been applied: check the backend before re-running. Hint: raise timeout-seconds.'
    )
  })
})

describe('the process ends as soon as the step has failed', () => {
  /**
   * The action's entrypoint (src/index.ts) in a child process as the runner starts it, with the
   * time from its ::error:: line to its exit.
   */
  async function runEntrypoint(
    inputs: Record<string, string>,
    env: Record<string, string> = {}
  ): Promise<{ code: number | null; failure?: string; lingeredMs: number; outputs: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'apim-exit-'))
    const outputFile = join(dir, 'output')
    const summaryFile = join(dir, 'summary.md')
    writeFileSync(outputFile, '')
    writeFileSync(summaryFile, '')
    const childEnv: Record<string, string> = {
      PATH: runnerPath('none'),
      HOME: dir,
      ...RUNNER_ENV,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      NODE_EXTRA_CA_CERTS: resolve(emulator.certPath),
      ...env
    }
    for (const [name, value] of Object.entries(inputs))
      childEnv[`INPUT_${name.toUpperCase()}`] = value
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/index.ts')], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let failedAt: number | undefined
    child.stdout.on('data', (d) => {
      stdout += d
      if (failedAt === undefined && stdout.includes('::error::')) failedAt = Date.now()
    })
    child.stderr.resume()
    const code = await new Promise<number | null>((done) => child.on('close', done))
    return {
      code,
      failure: failureOf(stdout),
      lingeredMs: Date.now() - (failedAt ?? Date.now()),
      outputs: readFileSync(summaryFile, 'utf8')
    }
  }

  const signInInputs = () => ({
    operation: 'get',
    ...TARGET,
    'backend-id': 'orders',
    'client-id': CLIENT_ID,
    'tenant-id': TENANT_ID,
    'arm-endpoint': emulator.url,
    'timeout-seconds': '1'
  })

  it('an authority that never answers, timeout-seconds: 1: the timeout is printed and the process exits right after', async () => {
    const outcome = await runEntrypoint({
      ...signInInputs(),
      'client-secret': CLIENT_SECRET,
      'authority-host': silentUrl
    })
    expect(outcome.failure).toMatch(/^Timed out after 1 s \(timeout-seconds\) while signing in\./)
    expect(outcome.code).toBe(1)
    // Written before the exit: the summary holds the failure.
    expect(outcome.outputs).toContain('Timed out after 1 s')
    // A bound on correctness, not speed: before, the process lived on for MSAL's retries
    // (about 5 s) or, with a silent host, for minutes.
    expect(outcome.lingeredMs).toBeLessThan(3000)
  })

  it('a GitHub ID token request that never answers (OIDC), timeout-seconds: 1: exits right after', async () => {
    const outcome = await runEntrypoint(
      { ...signInInputs(), 'authority-host': emulator.url },
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${silentUrl}/token`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-4711'
      }
    )
    expect(outcome.failure).toMatch(/^Timed out after 1 s \(timeout-seconds\) while signing in\./)
    expect(outcome.code).toBe(1)
    expect(outcome.lingeredMs).toBeLessThan(3000)
  })
})
