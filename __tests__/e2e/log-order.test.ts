// The log reads in the order things happen: each write's line (method, path, status, correlation
// id) is printed when its answer arrives, so a reset's reconnect shows before the wait that
// follows it, and a switch's PATCH before its health probes.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: 'https://orders-blue.example.com',
    protocol: 'http'
  })
})

/** Index of the first stdout line that matches, or -1. */
const lineOf = (stdout: string, pattern: RegExp) =>
  stdout.split(/\r?\n/).findIndex((line) => pattern.test(line))

describe('the log, in the order things happen', () => {
  it('reset with wait: true prints the reconnect answer before it starts waiting', async () => {
    const outcome = await runInProcess({
      operation: 'reset',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      'time-until-reset': '1',
      wait: 'true'
    })
    expect(outcome.failure).toBeUndefined()
    const reconnect = lineOf(
      outcome.stdout,
      /^POST \/backends\/orders\/reconnect -> 202; x-ms-correlation-request-id: \S+$/
    )
    const holding = lineOf(outcome.stdout, /holding this step until the reconnect is due/)
    const due = lineOf(outcome.stdout, /^The reconnect was due at/)
    expect(reconnect).toBeGreaterThan(-1)
    expect([reconnect < holding, holding < due]).toEqual([true, true])
    // One line per attempt, not repeated at the end.
    expect(outcome.stdout.match(/^POST \/backends\/orders\/reconnect -> /gm)).toHaveLength(1)
  })

  it('switch prints its PATCH and reconnect before the first probe', async () => {
    emulator.setHealth('green', [200])
    const outcome = await runInProcess({
      operation: 'switch',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      url: 'https://orders-green.example.com',
      'time-until-reset': '0',
      'health-url': emulator.healthUrl('green', '/healthz'),
      'health-interval-seconds': '1',
      'health-successes': '1'
    })
    expect(outcome.failure).toBeUndefined()
    const patch = lineOf(outcome.stdout, /^PATCH \/backends\/orders -> 200;/)
    const reconnect = lineOf(outcome.stdout, /^POST \/backends\/orders\/reconnect -> 202;/)
    const probe = lineOf(outcome.stdout, /^health: GET /)
    expect(patch).toBeGreaterThan(-1)
    expect([patch < reconnect, reconnect < probe]).toEqual([true, true])
  })

  it('a retried write shows each attempt when it is answered', async () => {
    emulator.injectFault({ method: 'PATCH', status: 503, headers: { 'retry-after': '0' } })
    const outcome = await runInProcess(
      {
        operation: 'update',
        ...TARGET,
        ...secretSignIn(emulator),
        'backend-id': 'orders',
        title: 'Orders'
      },
      { APIM_BACKEND_ACTION_RETRY_DELAY_MS: '0' }
    )
    expect(outcome.failure).toBeUndefined()
    const lines = outcome.stdout.split(/\r?\n/).filter((l) => l.startsWith('PATCH '))
    expect(lines.map((l) => l.replace(/;.*/, ''))).toEqual([
      'PATCH /backends/orders -> 503',
      'PATCH /backends/orders -> 200'
    ])
    expect(lineOf(outcome.stdout, /^PATCH .* -> 200/)).toBeLessThan(
      lineOf(outcome.stdout, /^Result: updated/)
    )
  })
})
