// operation: plan — a backends file kept in git, compared with the service in one listing: what
// an apply would do, per backend, and nothing written.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
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
beforeEach(() => {
  emulator = emu()
  put('orders', { url: 'https://orders.example.com', protocol: 'http', title: 'Orders' })
  put('billing', {
    url: 'https://billing.example.com',
    protocol: 'http',
    credentials: { header: { 'x-api-key': ['billing-key-old-4711'] } }
  })
  put('legacy', { url: 'https://legacy.example.com', protocol: 'soap' })
})

const put = (id: string, properties: Record<string, unknown>) =>
  emulator.putBackend(SUB, RG, SERVICE, id, properties)

const FILE = [
  '- backend-id: orders',
  '  url: https://orders.example.com',
  '  title: Orders',
  '- backend-id: billing',
  '  url: https://billing.example.com',
  '  backend-credentials: { header: { x-api-key: "${BILLING_KEY}" } }',
  '- backend-id: search',
  '  url: https://search.example.com'
].join('\n')

const planStep = (extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runInProcess(
    {
      operation: 'plan',
      ...TARGET,
      ...secretSignIn(emulator),
      protocol: 'http',
      backends: FILE,
      ...extra
    },
    { BILLING_KEY: 'billing-key-new-4711', ...env }
  )

const results = (outputs: Record<string, string>) =>
  JSON.parse(outputs.results) as { 'backend-id': string; result: string; changes: string[] }[]

describe('operation: plan', () => {
  it('reports each backend of the file, then the others, from one listing, writing nothing', async () => {
    const outcome = await planStep()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('planned')
    expect(results(outcome.outputs)).toEqual([
      { 'backend-id': 'orders', result: 'unchanged', changes: [] },
      {
        'backend-id': 'billing',
        result: 'would-replace',
        changes: ['properties.credentials.header.x-api-key']
      },
      {
        'backend-id': 'search',
        result: 'would-create',
        changes: ['properties.protocol', 'properties.url']
      },
      { 'backend-id': 'legacy', result: 'not-in-file', changes: [] }
    ])
    expect(outcome.outputs['has-changes']).toBe('true')
    // The token, then the list: no GET per backend, no write.
    expect(armCalls(emulator)).toEqual(['GET /backends'])
    // Secrets compared, never shown.
    expect(outcome.summary).toContain(
      '<tr><th>Backend id</th><th>Result</th><th>Field</th><th>Old → new</th></tr>'
    )
    expect(outcome.summary).toContain(
      '<tr><td><code>billing</code></td><td>would-replace</td><td><code>credentials.header.x-api-key</code></td><td>*** → ***</td></tr>'
    )
    expect(outcome.summary).toContain(
      '<tr><td>Plan</td><td>1 to create, 1 to replace, 1 unchanged, 1 not in the file</td></tr>'
    )
    for (const text of [outcome.stdout, outcome.summary, outcome.outputs.results])
      expect(text.replace(/^::add-mask::.*$/gm, '')).not.toMatch(/billing-key-(old|new)-4711/)
  })

  it('with prune: true, plans to delete what the file does not name', async () => {
    const outcome = await planStep({ prune: 'true' })
    expect(results(outcome.outputs).at(-1)).toMatchObject({
      'backend-id': 'legacy',
      result: 'would-delete'
    })
  })

  it('fail-on-changes: the step fails after writing its outputs and summary; matching file: passes', async () => {
    const drift = await planStep({ 'fail-on-changes': 'true' })
    expect(drift.failure).toBe(
      'The service differs from the backends file (1 to create, 1 to replace, 1 unchanged, 1 not in the file); fail-on-changes: true. Apply the file, or change it to match the service.'
    )
    expect(drift.outputs['has-changes']).toBe('true')
    expect(drift.summary).toContain('Plan')

    const same = await planStep(
      { 'fail-on-changes': 'true' },
      { BILLING_KEY: 'billing-key-old-4711' }
    )
    // search is still missing: only a file of what exists has no changes.
    expect(same.outputs['has-changes']).toBe('true')
    const matching = await runInProcess({
      operation: 'plan',
      ...TARGET,
      ...secretSignIn(emulator),
      'fail-on-changes': 'true',
      backends: '[{backend-id: legacy, url: https://legacy.example.com, protocol: soap}]'
    })
    expect(matching.failure).toBeUndefined()
    expect(matching.outputs['has-changes']).toBe('false')
  })

  it('a value from Azure cannot add Markdown, HTML or a mention to the summary', async () => {
    put('orders', {
      url: 'https://orders.example.com',
      protocol: 'http',
      title: '<img src=x onerror=alert(1)> @octo-org/admins [x](https://evil.example)'
    })
    const outcome = await planStep()
    const row = outcome.summary.split('\n').find((l) => l.includes('<code>title</code>'))!
    expect(row).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(row).not.toMatch(/<img|\]\(https/)
  })

  it('without backends, or with an item that is not valid, nothing is read', async () => {
    const none = await runInProcess({ operation: 'plan', ...TARGET, ...secretSignIn(emulator) })
    expect(none.failure).toContain("Input 'backends': is required for operation plan")
    const bad = await planStep({}, { BILLING_KEY: undefined as unknown as string })
    expect(bad.failure).toContain(
      'refers to the environment variable BILLING_KEY, which is not set'
    )
    expect(emulator.armRequests()).toEqual([])
  })
})
