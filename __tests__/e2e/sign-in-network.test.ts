// Sign-in that gets no answer from the authority: a workflow with a mistyped authority-host, a
// runner whose network refuses the connection, or a TLS-inspecting proxy whose certificate the
// runner does not trust. The step names the host and what happened, not the credentials.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInProcess } from '../../scripts/run-in-process.js'
import { runnerPath } from '../helpers/runner-path.js'
import { ApimEmulator, CLIENT_ID, CLIENT_SECRET, TARGET, TENANT_ID } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
/** An authority with a certificate of its own, which NODE_EXTRA_CA_CERTS does not name. */
let untrusted: ApimEmulator
beforeAll(async () => {
  untrusted = await ApimEmulator.start({ certDir: mkdtempSync(join(tmpdir(), 'apim-untrusted-')) })
})
afterAll(() => untrusted?.stop())

const step = (authority: string, extra: Record<string, string> = {}) =>
  runInProcess(
    {
      operation: 'list',
      ...TARGET,
      'client-id': CLIENT_ID,
      'tenant-id': TENANT_ID,
      'client-secret': CLIENT_SECRET,
      'authority-host': authority,
      'arm-endpoint': emu().url,
      ...extra
    },
    { PATH: runnerPath('none') }
  )

/** A local port nothing listens on (the emulator's, once stopped). */
async function closedPort(): Promise<string> {
  const gone = await ApimEmulator.start()
  await gone.stop()
  return gone.url
}

describe('sign-in without an answer from the authority', () => {
  it('connection refused: names the host, and the hint is the network, not the secret', async () => {
    const authority = await closedPort()
    const started = Date.now()
    const outcome = await step(authority)
    expect(outcome.failure).toBe(
      `Sign-in with a client secret to tenant ${TENANT_ID} as ${CLIENT_ID} failed: cannot reach ${authority}: connection refused (ECONNREFUSED). Hint: check the 'authority-host' input and that the runner can reach it (network, firewall, HTTPS_PROXY/NO_PROXY); the credentials were not checked.`
    )
    expect(outcome.failure).not.toContain('check client-id, tenant-id and the secret')
    // @azure/identity retries 3 times (about 5 s); the default deadline leaves room for that.
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(emu().armRequests()).toHaveLength(0)
  })

  it('a name that does not resolve (.invalid, RFC 2606): name not resolved', async () => {
    const outcome = await step('https://login.contoso.invalid')
    expect(outcome.failure).toMatch(
      /^Sign-in with a client secret to tenant .* failed: cannot reach https:\/\/login\.contoso\.invalid: name not resolved \((ENOTFOUND|EAI_AGAIN)\)\. Hint: check the 'authority-host' input/
    )
  })

  it('an untrusted certificate: says so, and how to trust it', async () => {
    const outcome = await step(untrusted.url)
    expect(outcome.failure).toMatch(
      new RegExp(
        `^Sign-in with a client secret to tenant .* failed: the certificate of ${untrusted.url.replace(/[.]/g, '\\.')} is not trusted \\(self-signed\\? set NODE_EXTRA_CA_CERTS\\): [A-Z_]+\\. Hint: when a TLS-inspecting proxy or a private CA signs it, give that CA to the step in NODE_EXTRA_CA_CERTS`
      )
    )
    expect(untrusted.requests).toHaveLength(0)
  })

  it('the retries stop at timeout-seconds, and the timeout says what sign-in met', async () => {
    const authority = await closedPort()
    const started = Date.now()
    const outcome = await step(authority, { 'timeout-seconds': '1' })
    const elapsed = Date.now() - started
    expect(outcome.failure).toMatch(/^Timed out after 1 s \(timeout-seconds\)/)
    expect(outcome.failure).toContain(
      `Sign-in got no answer: cannot reach ${authority}: connection refused (ECONNREFUSED).`
    )
    // Without the deadline on each retry, MSAL's retries would run on for about 5 s.
    expect(elapsed).toBeLessThan(3000)
  })
})
