// operation: switch at its edges, found by a review: a rollback that must remove what the switch
// added, a gate that could never pass, the step's deadline during probing, a hanging health
// endpoint, and a rollback blocked by someone else's change. Each test names what must happen.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
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

function switchTo(extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runInProcess(
    {
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
    },
    env
  )
}
const stored = () => emulator.getBackend(SUB, RG, SERVICE, 'orders')!

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
  // rules.ts accepts health-successes × interval that cannot fit in health-timeout-seconds:
  // probes at 0 s and 2 s, the third would start at 4 s >= 3 s, so 3 good answers in a row are
  // impossible and a HEALTHY deployment is always rolled back.
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
  // handler.ts changedMeanwhile() throws: no result, no health, no previous output, and the
  // failure does not say why a rollback was attempted (the probe answers), unlike rolled-back.
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
