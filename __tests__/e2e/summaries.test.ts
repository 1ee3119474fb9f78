// The job summary a reviewer reads: a list names the backends it found; a reset says whether the
// step waited for the reconnect, and until when.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { LISTED_ROWS } from '../../src/operations/list/summary.js'
import {
  ApimEmulator,
  RG,
  SERVICE,
  SUB,
  TARGET,
  backendPath,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const put = (id: string, properties: Record<string, unknown>) =>
  emulator.putBackend(SUB, RG, SERVICE, id, properties)

describe('the summary of a list', () => {
  it('names each backend: id, url (its secret parts as ***) or pool members, protocol', async () => {
    put('orders', { url: 'https://orders.example.com/api?code=fn-key-4711', protocol: 'http' })
    put('legacy', { url: 'https://legacy.example.com/ws', protocol: 'soap' })
    put('pool', {
      type: 'Pool',
      pool: { services: [{ id: backendPath('orders') }, { id: backendPath('legacy') }] }
    })
    const outcome = await runInProcess({ operation: 'list', ...TARGET, ...secretSignIn(emulator) })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.summary).toContain(
      '<tr><th>Backend id</th><th>URL or pool</th><th>Protocol</th></tr>'
    )
    expect(outcome.summary).toContain(
      '<tr><td><code>orders</code></td><td>https://orders.example.com/api?code=***</td><td>http</td></tr>'
    )
    expect(outcome.summary).toContain(
      '<tr><td><code>legacy</code></td><td>https://legacy.example.com/ws</td><td>soap</td></tr>'
    )
    expect(outcome.summary).toContain(
      '<tr><td><code>pool</code></td><td>pool: orders, legacy</td><td>–</td></tr>'
    )
    expect(outcome.summary).not.toContain('fn-key-4711')
  })

  it(`shows ${LISTED_ROWS} backends and counts the rest`, async () => {
    for (let i = 0; i < LISTED_ROWS + 5; i++)
      put(`b${String(i).padStart(3, '0')}`, { url: `https://b${i}.example.com`, protocol: 'http' })
    const outcome = await runInProcess({ operation: 'list', ...TARGET, ...secretSignIn(emulator) })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.summary.match(/<tr><td><code>b\d{3}<\/code>/g)).toHaveLength(LISTED_ROWS)
    expect(outcome.summary).toContain(
      `<p>… and 5 more (${LISTED_ROWS + 5} in all); the backends output has every one.</p>`
    )
  })
})

describe('the summary of a reset', () => {
  beforeEach(() => {
    put('orders', { url: 'https://orders.example.com', protocol: 'http' })
  })
  const reset = (extra: Record<string, string>) =>
    runInProcess({
      operation: 'reset',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      ...extra
    })

  it('with wait: true, says it waited until the reconnect was due', async () => {
    const outcome = await reset({ 'time-until-reset': '1', wait: 'true' })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.summary).toContain(
      `<tr><td>Waited</td><td>yes, until the reconnect was due at ${outcome.outputs['reset-at']}</td></tr>`
    )
  })

  it('without wait, says the step did not wait, and how to make it', async () => {
    const outcome = await reset({ 'time-until-reset': '30' })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.summary).toContain(
      `<tr><td>Waited</td><td>no: the step ended at once, before the reconnect due at ${outcome.outputs['reset-at']} (wait: true holds the step until then)</td></tr>`
    )
  })

  it('of a backends list with wait: true, says each waited', async () => {
    put('billing', { url: 'https://billing.example.com', protocol: 'http' })
    const outcome = await runInProcess({
      operation: 'reset',
      ...TARGET,
      ...secretSignIn(emulator),
      backends: '[{backend-id: orders}, {backend-id: billing}]',
      'time-until-reset': '1',
      wait: 'true'
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.summary).toContain(
      '<tr><td>Waited</td><td>yes: each backend reset held the step until its reconnect was due (its reset-at in the results)</td></tr>'
    )
  })
})
