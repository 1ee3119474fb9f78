// operation: switch — a workflow points the backend at a new deployment, the gateway reconnects,
// and the step probes the deployment's health URL: healthy → switched; unhealthy → the previous
// settings restored (ETag-guarded), a second reconnect, a failed step that says why.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  RG,
  SERVICE,
  SUB,
  TARGET,
  armCalls,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
const BLUE = 'https://orders-blue.example.com/api'
const GREEN = 'https://orders-green.example.com/api'
const KEY = 'health-key-4711-secret'
const ORIGINAL_CREDENTIALS = { header: { 'x-api-key': ['backend-key-4711'] } }

beforeEach(() => {
  emulator = emu()
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: BLUE,
    protocol: 'http',
    title: 'Orders',
    credentials: ORIGINAL_CREDENTIALS
  })
})

/** A switch to GREEN, probing the emulator's health endpoint 'green' once a second. */
function switchTo(extra: Record<string, string> = {}) {
  return runInProcess({
    ...TARGET,
    ...secretSignIn(emulator),
    operation: 'switch',
    'backend-id': 'orders',
    url: GREEN,
    'time-until-reset': '0',
    'health-url': emulator.healthUrl('green', '/healthz?code=query-key-4711'),
    'health-headers': `{Ocp-Apim-Subscription-Key: ${KEY}}`,
    'health-interval-seconds': '1',
    'health-timeout-seconds': '3',
    'health-successes': '2',
    ...extra
  })
}
const stored = () => emulator.getBackend(SUB, RG, SERVICE, 'orders')!
const writes = () => armCalls(emulator).filter((c) => !/^(GET|HEAD) /.test(c))

describe('a healthy deployment', () => {
  it('is switched: PATCH, reconnect, probes; outputs the backend before and after', async () => {
    emulator.setHealth('green', [200])
    const outcome = await switchTo()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('switched')
    expect(stored().contract.properties.url).toBe(GREEN)
    expect(writes()).toEqual(['PATCH /backends/orders', 'POST /backends/orders/reconnect'])
    expect(JSON.parse(outcome.outputs.previous).properties.url).toBe(BLUE)
    expect(JSON.parse(outcome.outputs.backend).properties.url).toBe(GREEN)
    const health = JSON.parse(outcome.outputs.health)
    expect(health).toMatchObject({ healthy: true, attempts: 2, good: 2, lastStatus: 200 })
    expect(outcome.outputs['reset-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(outcome.summary).toContain('Health gate: healthy')
  })

  it('never sends an Azure token to the health URL; its header values stay secret', async () => {
    emulator.setHealth('green', [200])
    const outcome = await switchTo()
    const probes = emulator.healthRequests('green')
    expect(probes.length).toBe(2)
    for (const probe of probes) {
      expect(probe.headers.authorization).toBeUndefined()
      expect(probe.headers['ocp-apim-subscription-key']).toBe(KEY)
    }
    // The query string of the health URL may hold a key: the log shows origin and path only.
    const log = outcome.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))
    expect(log.join('\n')).not.toContain('query-key-4711')
    expectNoSecrets(outcome, [KEY, 'backend-key-4711', 'query-key-4711'])
  })

  it('flaky, then healthy: 503 twice, then good answers in a row', async () => {
    emulator.setHealth('green', [503, 503, 200])
    const outcome = await switchTo({ 'health-timeout-seconds': '6' })
    expect(outcome.outputs.result).toBe('switched')
    expect(JSON.parse(outcome.outputs.health)).toMatchObject({ attempts: 4, good: 2 })
  })

  it('already pointing there: no write and no reconnect, but still probed', async () => {
    emulator.setHealth('green', [200])
    emulator.putBackend(SUB, RG, SERVICE, 'orders', { url: GREEN, protocol: 'http' })
    const outcome = await switchTo()
    expect(outcome.outputs.result).toBe('unchanged')
    expect(writes()).toEqual([])
    expect(emulator.healthRequests('green').length).toBe(2)
  })
})

describe('an unhealthy deployment', () => {
  it('is rolled back with the ETag of the switch, reconnected again, and the step fails', async () => {
    // The ETag of the backend as the switch's PATCH left it (and answered it), read while the
    // deployment is probed.
    let switchedEtag: string | undefined
    emulator.setHealth('green', [503], {
      onRequest: (count) => {
        if (count === 1) switchedEtag = stored().etag
      }
    })
    const outcome = await switchTo()
    expect(outcome.outputs.result).toBe('rolled-back')
    expect(outcome.failure).toMatch(
      /^Backend 'orders' is unhealthy at https:\/\/127\.0\.0\.1:\d+\/health\/green\/healthz: 0 of 2 good answers in a row after \d+ attempts in [\d.]+ s \(last: 503, 503, 503\); the previous settings were restored\.$/
    )
    expect(stored().contract.properties.url).toBe(BLUE)
    expect(writes()).toEqual([
      'PATCH /backends/orders',
      'POST /backends/orders/reconnect',
      'PATCH /backends/orders',
      'POST /backends/orders/reconnect'
    ])
    const [switched, restored] = emulator.armRequests().filter((r) => r.method === 'PATCH')
    expect(switchedEtag).toMatch(/^"[A-Za-z0-9+/]+=*"$/)
    expect(switchedEtag).not.toBe(switched.headers['if-match'])
    expect(restored.headers['if-match']).toBe(switchedEtag)
    expect(JSON.parse(restored.body)).toEqual({ properties: { url: BLUE } })
    expect(outcome.summary).toContain('Rollback')
    expectNoSecrets(outcome, [KEY, 'backend-key-4711'])
  })

  it('with rollback: false stays switched, result unhealthy, and the step fails', async () => {
    emulator.setHealth('green', [500])
    const outcome = await switchTo({ rollback: 'false' })
    expect(outcome.outputs.result).toBe('unhealthy')
    expect(outcome.failure).toContain('rollback: false, so it stays switched')
    expect(stored().contract.properties.url).toBe(GREEN)
    expect(writes()).toEqual(['PATCH /backends/orders', 'POST /backends/orders/reconnect'])
  })

  it('is not rolled back over a change someone made after the switch', async () => {
    emulator.setHealth('green', [503], {
      onRequest: (count) => {
        if (count === 1)
          emulator.putBackend(SUB, RG, SERVICE, 'orders', {
            url: 'https://orders-hotfix.example.com/api',
            protocol: 'http'
          })
      }
    })
    const outcome = await switchTo()
    expect(outcome.failure).toContain(
      "Not rolled back: backend 'orders' was changed by someone else after the switch, so nothing was overwritten."
    )
    expect(outcome.failure).toContain('orders-hotfix.example.com')
    expect(stored().contract.properties.url).toBe('https://orders-hotfix.example.com/api')
  })

  it('a health URL that only redirects to another origin is never healthy', async () => {
    emulator.setHealth('green', [{ status: 302, location: 'https://elsewhere.invalid/ok' }])
    const outcome = await switchTo()
    expect(outcome.outputs.result).toBe('rolled-back')
    expect(outcome.stdout).toContain('not followed')
    expect(stored().contract.properties.url).toBe(BLUE)
  })
})

describe('what-if', () => {
  it('reads only: shows the change and the health plan, no write, no reconnect, no probe', async () => {
    emulator.setHealth('green', [200])
    const outcome = await switchTo({ 'what-if': 'true' })
    expect(outcome.outputs.result).toBe('would-switch')
    expect(armCalls(emulator)).toEqual(['GET /backends/orders'])
    expect(emulator.healthRequests('green')).toEqual([])
    expect(outcome.stdout).toContain("properties.url: 'https://orders-blue.example.com/api' →")
  })
})

describe('inputs', () => {
  it('refuses a switch without health-url or url, or with a bad health-status, before any request', async () => {
    const outcome = await runInProcess({
      ...TARGET,
      ...secretSignIn(emulator),
      operation: 'switch',
      'backend-id': 'orders',
      'health-status': '200-99'
    })
    expect(outcome.failure).toContain("Input 'url'")
    expect(outcome.failure).toContain("Input 'health-url'")
    expect(outcome.failure).toContain("Input 'health-status'")
    expect(emulator.armRequests()).toEqual([])
  })

  it('refuses a timeout-seconds too short for the wait, the probes and a rollback', async () => {
    const outcome = await switchTo({ 'timeout-seconds': '30', 'health-timeout-seconds': '60' })
    expect(outcome.failure).toContain(
      "Input 'timeout-seconds': is 30, but a switch needs at least 150"
    )
    expect(emulator.armRequests()).toEqual([])
  })
})

// At the edges: a rollback that must remove what the switch added, a gate that could never pass,
// the deadline during probing, a hanging health endpoint, and a rollback blocked by someone else's
// change.
describe('rollback restores the backend as it was', () => {
  // A header the switch added is not in the previous `credentials`: sending that old object to a
  // service that merges nested objects would keep it, so the rollback sends it as null.
  it('a credential header added by the switch is gone after the rollback', async () => {
    emulator.setHealth('green', [503])
    const outcome = await switchTo({
      'backend-credentials': '{header: {x-green-key: [green-secret-4711]}}'
    })
    expect(outcome.outputs.result).toBe('rolled-back')
    expect(stored().contract.properties.url).toBe(BLUE)
    expect(stored().contract.properties.credentials).toEqual(ORIGINAL_CREDENTIALS)
    expect(JSON.parse(outcome.outputs.backend).properties.credentials.header).not.toHaveProperty(
      'x-green-key'
    )
    expectNoSecrets(outcome, [KEY, 'backend-key-4711', 'green-secret-4711'])
  })
})

describe('a health gate that can never pass', () => {
  // health-successes × interval must fit in health-timeout-seconds: here probes at 0 s and 2 s,
  // the third would start at 4 s >= 3 s, so 3 good answers in a row are impossible and even a
  // healthy deployment would be rolled back.
  it('refused before any request (needs (successes-1) × interval < health-timeout)', async () => {
    emulator.setHealth('green', [200])
    const outcome = await switchTo({
      'health-successes': '3',
      'health-interval-seconds': '2',
      'health-timeout-seconds': '3'
    })
    expect(outcome.outputs.result).not.toBe('rolled-back')
    expect(outcome.failure).toMatch(/^Input 'health-(successes|interval-seconds|timeout-seconds)'/)
    expect(emulator.armRequests()).toEqual([])
  })
})

describe('the step deadline during probing', () => {
  // The step must outlive the wait, the gate, one more attempt (capped by the gate) and 60 s for
  // the writes and a rollback; a timeout-seconds that cannot is refused before any request,
  // rather than a switch left unverified and not rolled back when the deadline hits the probes.
  it('a timeout-seconds too short to probe and roll back is refused before any request', async () => {
    const outcome = await switchTo({
      'timeout-seconds': '61',
      'health-timeout-seconds': '1',
      'request-timeout-seconds': '120'
    })
    expect(outcome.failure).toContain(
      "Input 'timeout-seconds': is 61, but a switch needs at least 62"
    )
    expect(emulator.armRequests()).toEqual([])
    expect(stored().contract.properties.url).toBe(BLUE)
  })
})

describe('health-timeout-seconds is how long to keep trying', () => {
  // An attempt is bounded by request-timeout-seconds and by the gate itself: a hanging
  // deployment does not hold the gate 8 s when 2 s were asked for.
  it('a hanging endpoint is given up on about health-timeout-seconds (2 s) after the probing starts', async () => {
    emulator.setHealth('green', [{ status: 200, delayMs: 600_000 }])
    const outcome = await switchTo({
      'health-timeout-seconds': '2',
      'request-timeout-seconds': '8'
    })
    expect(outcome.outputs.result).toBe('rolled-back')
    expect(JSON.parse(outcome.outputs.health).seconds).toBeLessThan(4)
  }, 60_000)
})

describe('rollback blocked by a concurrent change', () => {
  // Nothing is overwritten, and the step reports as much as a rolled-back one: the result,
  // health and previous outputs, and the probe answers that called for the rollback.
  it('outputs result/health/previous and the failure names the probe answers', async () => {
    emulator.setHealth('green', [503], {
      onRequest: (count) => {
        if (count === 1)
          emulator.putBackend(SUB, RG, SERVICE, 'orders', {
            url: 'https://orders-hotfix.example.com/api',
            protocol: 'http',
            credentials: { header: { 'x-api-key': ['their-key-4711'] } }
          })
      }
    })
    const outcome = await switchTo()
    expect(outcome.failure).toContain('Not rolled back')
    expectNoSecrets(outcome, [KEY, 'backend-key-4711', 'their-key-4711'])
    expect(outcome.outputs.health).toBeDefined()
    expect(outcome.outputs.previous).toBeDefined()
    expect(outcome.failure).toContain('503')
  })
})
