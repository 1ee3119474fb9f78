// The whole backend lifecycle beyond the cmdlets: get, update, delete, list, what-if previews,
// a reset that gates the next job, and the backend kinds the cmdlets lack.
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
  backendPath,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: 'https://orders.example.com',
    protocol: 'http',
    title: 'Orders',
    credentials: { header: { 'x-api-key': ['old-key-4711'] } }
  })
})
const step = (inputs: Record<string, string>) =>
  runInProcess({ ...TARGET, ...secretSignIn(emulator), ...inputs })
const stored = (id = 'orders') => emulator.getBackend(SUB, RG, SERVICE, id)?.contract.properties

describe('get', () => {
  it('outputs the backend (secrets as ***) with result found', async () => {
    const outcome = await step({ operation: 'get', 'backend-id': 'orders' })
    expect(outcome.outputs.result).toBe('found')
    expect(JSON.parse(outcome.outputs.backend).properties.credentials.header['x-api-key']).toEqual([
      '***'
    ])
    expect(armCalls(emulator)).toEqual(['GET /backends/orders'])
    expectNoSecrets(outcome, ['old-key-4711'])
  })

  it('fails clearly when absent, or with if-missing: ignore reports absent', async () => {
    const failed = (await step({ operation: 'get', 'backend-id': 'nope' })).failure
    expect(failed).toContain("Hint: backend 'nope' does not exist")
    // get takes if-missing: the hint names it, not a create.
    expect(failed).toMatch(
      /; check backend-id, or set if-missing: ignore to let the step succeed with result absent\.$/
    )
    const ignored = await step({ operation: 'get', 'backend-id': 'nope', 'if-missing': 'ignore' })
    expect(ignored.failure).toBeUndefined()
    expect(ignored.outputs.result).toBe('absent')
  })
})

describe('update', () => {
  it('PATCHes only the given fields with the current ETag and reports the changes', async () => {
    const etag = emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag
    const outcome = await step({
      operation: 'update',
      'backend-id': 'orders',
      title: 'Orders v2',
      'backend-credentials': 'header: {x-api-key: new-key-4711}'
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('updated')
    const patch = emulator.armRequests().find((r) => r.method === 'PATCH')!
    expect(patch.headers['if-match']).toBe(etag)
    expect(JSON.parse(patch.body)).toEqual({
      properties: { title: 'Orders v2', credentials: { header: { 'x-api-key': ['new-key-4711'] } } }
    })
    expect(JSON.parse(outcome.outputs.changes)).toEqual([
      'properties.credentials.header.x-api-key',
      'properties.title'
    ])
    expect(stored()).toMatchObject({ url: 'https://orders.example.com', title: 'Orders v2' })
    expect(outcome.summary).toContain(
      '<code>properties.title</code></td><td>&#39;Orders&#39;'
        .replace('&#39;', "'")
        .replace('&#39;', "'")
    )
    expect(outcome.summary).toContain('*** (secret changed)')
    expectNoSecrets(outcome, ['old-key-4711', 'new-key-4711'])
  })

  it('sends no write when the backend already holds the fields: unchanged', async () => {
    const outcome = await step({ operation: 'update', 'backend-id': 'orders', title: 'Orders' })
    expect(outcome.outputs.result).toBe('unchanged')
    expect(armCalls(emulator)).toEqual(['GET /backends/orders'])
  })

  it('what-if shows the diff and writes nothing', async () => {
    const outcome = await step({
      operation: 'update',
      'backend-id': 'orders',
      url: 'https://orders-v2.example.com',
      'what-if': 'true'
    })
    expect(outcome.outputs.result).toBe('would-update')
    expect(JSON.parse(outcome.outputs.changes)).toEqual(['properties.url'])
    expect(outcome.stdout).toContain(
      "what-if (nothing was written): backend 'orders' would be updated. The change:\n" +
        "  properties.url: 'https://orders.example.com' → 'https://orders-v2.example.com'"
    )
    expect(outcome.summary).toContain('what-if: nothing written')
    expect(outcome.summary).toContain('<h4>Would change</h4>')
    expect(emulator.armRequests().filter((r) => r.method !== 'GET')).toHaveLength(0)
  })
})

describe('delete', () => {
  it('deletes with the current ETag; a second run with if-missing: ignore is a no-op', async () => {
    const etag = emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag
    const outcome = await step({ operation: 'delete', 'backend-id': 'orders' })
    expect(outcome.outputs.result).toBe('deleted')
    expect(emulator.armRequests().find((r) => r.method === 'DELETE')!.headers['if-match']).toBe(
      etag
    )
    expect(stored()).toBeUndefined()
    const again = await step({
      operation: 'delete',
      'backend-id': 'orders',
      'if-missing': 'ignore'
    })
    expect(again.failure).toBeUndefined()
    expect(again.outputs.result).toBe('absent')
    const failed = (await step({ operation: 'delete', 'backend-id': 'orders' })).failure
    expect(failed).toContain("backend 'orders' does not exist")
    expect(failed).toContain(
      'or set if-missing: ignore to let the step succeed with result absent.'
    )
    expect(failed).not.toContain('create it first')
  })

  it('if-missing: ignore does not pass a misspelt service off as a backend already gone', async () => {
    // One more read, only when the backend is absent: is the service there?
    const before = emulator.armRequests().length
    const gone = await step({ operation: 'delete', 'backend-id': 'nope', 'if-missing': 'ignore' })
    expect(gone.outputs.result).toBe('absent')
    expect(armCalls(emulator).slice(before)).toEqual(['GET /backends/nope', 'GET /'])
    const misspelt = await step({
      operation: 'delete',
      'backend-id': 'orders',
      'if-missing': 'ignore',
      'service-name': 'apimServce1'
    })
    expect(misspelt.failure).toContain(
      "Hint: the API Management service 'apimServce1' (resource group"
    )
    expect(stored()).toBeDefined()
  })

  it('what-if: would-delete, nothing deleted', async () => {
    const outcome = await step({ operation: 'delete', 'backend-id': 'orders', 'what-if': 'true' })
    expect(outcome.outputs.result).toBe('would-delete')
    expect(JSON.parse(outcome.outputs.changes)).toContain('properties.url')
    expect(stored()).toBeDefined()
  })
})

describe('list', () => {
  it('lists every backend across pages, in the ARM shape with secrets as ***', async () => {
    for (let i = 0; i < 120; i++)
      emulator.putBackend(SUB, RG, SERVICE, `b${String(i).padStart(3, '0')}`, {
        url: `https://b${i}.example.com`,
        protocol: 'http'
      })
    const outcome = await step({ operation: 'list' })
    expect(outcome.outputs.result).toBe('listed')
    const backends = JSON.parse(outcome.outputs.backends)
    expect(backends).toHaveLength(121)
    expect(
      backends.find((b: { name: string }) => b.name === 'orders').properties.credentials.header[
        'x-api-key'
      ]
    ).toEqual(['***'])
    expect(armCalls(emulator).filter((c) => c.startsWith('GET /backends')).length).toBeGreaterThan(
      1
    )
    expect(outcome.summary).toContain('<td>Backends listed</td><td>121</td>')
  })

  it('passes a filter', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'payments', {
      url: 'https://payments.example.com',
      protocol: 'http'
    })
    const outcome = await step({ operation: 'list', filter: "startswith(name, 'pay')" })
    expect(JSON.parse(outcome.outputs.backends).map((b: { name: string }) => b.name)).toEqual([
      'payments'
    ])
  })
})

describe('what-if for create and reset', () => {
  it('create of a new backend: would-create with every field', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'new',
      url: 'https://new.example.com',
      protocol: 'soap',
      'what-if': 'true'
    })
    expect(outcome.outputs.result).toBe('would-create')
    expect(JSON.parse(outcome.outputs.changes)).toEqual(['properties.protocol', 'properties.url'])
    expect(stored('new')).toBeUndefined()
  })

  it('replace: would-replace, listing removed fields too; identical: unchanged', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.example.com',
      protocol: 'http',
      'if-exists': 'replace',
      'what-if': 'true'
    })
    expect(outcome.outputs.result).toBe('would-replace')
    expect(JSON.parse(outcome.outputs.changes)).toEqual([
      'properties.credentials.header.x-api-key',
      'properties.title'
    ])
  })

  it('reset: would-reset, nothing sent but the read', async () => {
    const outcome = await step({
      operation: 'reset',
      'backend-id': 'orders',
      url: 'https://v3.example.com',
      'what-if': 'true'
    })
    expect(outcome.outputs.result).toBe('would-reset')
    expect(armCalls(emulator)).toEqual(['GET /backends/orders'])
    expect(outcome.stdout).toContain(
      "what-if (nothing was written): backend 'orders' would be updated, then reconnected with the service default (after 2 minutes). The change:\n" +
        "  properties.url: 'https://orders.example.com' → 'https://v3.example.com'"
    )
  })

  it('reset without changes: one sentence, nothing after it', async () => {
    const outcome = await step({
      operation: 'reset',
      'backend-id': 'orders',
      'time-until-reset': '30',
      'what-if': 'true'
    })
    expect(outcome.outputs.result).toBe('would-reset')
    expect(outcome.stdout).toContain(
      "what-if (nothing was written): backend 'orders' would be reconnected after 30 s.\n"
    )
  })
})

describe('reset as a deployment gate (wait: true)', () => {
  it('holds the step until the reconnect is due', async () => {
    const started = Date.now()
    const outcome = await step({
      operation: 'reset',
      'backend-id': 'orders',
      'time-until-reset': '2',
      wait: 'true'
    })
    expect(outcome.failure).toBeUndefined()
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(outcome.outputs['reset-at']))
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(outcome.stdout).toContain('wait: true — holding this step until the reconnect is due at')
    expect(outcome.stdout).toContain('the next step runs on fresh connections')
  })

  it('refuses a wait longer than timeout-seconds before any request', async () => {
    const outcome = await step({
      operation: 'reset',
      'backend-id': 'orders',
      wait: 'true',
      'timeout-seconds': '60'
    })
    expect(outcome.failure).toBe(
      "Input 'wait': needs the step to live until the reconnect, 120 s from now, but timeout-seconds is 60. Raise timeout-seconds above 120, or drop wait."
    )
    expect(emulator.requests).toHaveLength(0)
  })
})

describe('backend kinds the cmdlets lack', () => {
  it('circuit breaker: validated and sent in the REST shape', async () => {
    const cb = [
      'rules:',
      '  - name: breaker',
      '    failureCondition:',
      '      count: 3',
      '      interval: PT1H',
      '      statusCodeRanges: [{min: 500, max: 599}]',
      '      errorReasons: [server errors]',
      '    tripDuration: PT1H',
      '    acceptRetryAfter: true'
    ].join('\n')
    const outcome = await step({
      operation: 'update',
      'backend-id': 'orders',
      'circuit-breaker': cb
    })
    expect(outcome.failure).toBeUndefined()
    expect(stored()!.circuitBreaker).toEqual({
      rules: [
        {
          name: 'breaker',
          failureCondition: {
            count: 3,
            interval: 'PT1H',
            statusCodeRanges: [{ min: 500, max: 599 }],
            errorReasons: ['server errors']
          },
          tripDuration: 'PT1H',
          acceptRetryAfter: true
        }
      ]
    })
  })

  it.each([
    ['rules: []', 'at least 1 item'],
    [
      'rules: [{name: a, failureCondition: {count: 1, interval: 1h}, tripDuration: PT1M}]',
      'expected an ISO 8601 duration'
    ],
    [
      'rules: [{name: a, failureCondition: {count: 1, interval: PT1M, statusCodeRanges: [{min: 100, max: 599}]}, tripDuration: PT1M}]',
      'expected a number from 200 to 599'
    ],
    [
      'rules: [{name: a, failureCondition: {interval: PT1M}, tripDuration: PT1M}]',
      'give count or percentage'
    ]
  ])('circuit breaker %s is refused before any request', async (cb, expected) => {
    const outcome = await step({
      operation: 'update',
      'backend-id': 'orders',
      'circuit-breaker': cb
    })
    expect(outcome.failure).toContain(`Input 'circuit-breaker': `)
    expect(outcome.failure).toContain(expected)
    expect(emulator.requests).toHaveLength(0)
  })

  it('pool: ids expanded into ARM ids of the same service, members checked, type Pool, no url', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'blue', {
      url: 'https://blue.example.com',
      protocol: 'http'
    })
    const outcome = await step({
      operation: 'create',
      'backend-id': 'lb',
      pool: '- orders\n- {id: blue, weight: 30, priority: 1}'
    })
    expect(outcome.failure).toBeUndefined()
    expect(stored('lb')).toMatchObject({
      type: 'Pool',
      pool: {
        services: [
          { id: backendPath('orders') },
          { id: backendPath('blue'), weight: 30, priority: 1 }
        ]
      }
    })
    expect(stored('lb')!.url ?? undefined).toBeUndefined()
  })

  it('pool: a missing member is named, and nothing is written', async () => {
    const outcome = await step({ operation: 'create', 'backend-id': 'lb', pool: '[orders, ghost]' })
    expect(outcome.failure).toBe(
      "The pool's member 'ghost' does not exist in API Management service 'apimService1'; create it first (a pool refers to existing backends)."
    )
    expect(emulator.armRequests().filter((r) => r.method === 'PUT')).toHaveLength(0)
  })

  it('pool with url is refused; more than 30 members are refused', async () => {
    expect(
      (
        await step({
          operation: 'create',
          'backend-id': 'lb',
          pool: '[orders]',
          url: 'https://x.example.com'
        })
      ).failure
    ).toContain("Input 'url': does not apply to a pool backend")
    const many = JSON.stringify(Array.from({ length: 31 }, (_, i) => `b${i}`))
    expect((await step({ operation: 'create', 'backend-id': 'lb', pool: many })).failure).toContain(
      'at most 30 backends are accepted in a pool'
    )
  })

  it('managed-identity credentials: dropped by the SDK, sent anyway, and round-trip', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'graph',
      url: 'https://graph.example.com',
      protocol: 'http',
      'backend-credentials':
        'managedIdentity: {resource: "https://graph.example.com", clientId: 3f2504e0-4f89-11d3-9a0c-0305e82c3301}'
    })
    expect(outcome.failure).toBeUndefined()
    const put = emulator.armRequests().find((r) => r.method === 'PUT')!
    expect(JSON.parse(put.body).properties.credentials).toEqual({
      managedIdentity: {
        resource: 'https://graph.example.com',
        clientId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
      }
    })
    expect(
      JSON.parse(outcome.outputs.backend).properties.credentials.managedIdentity.resource
    ).toBe('https://graph.example.com')
    // Read back, and replacing with the same body is a no-op: the value round-trips.
    const again = await step({
      operation: 'create',
      'backend-id': 'graph',
      'if-exists': 'replace',
      url: 'https://graph.example.com',
      protocol: 'http',
      'backend-credentials':
        'managedIdentity: {resource: "https://graph.example.com", clientId: 3f2504e0-4f89-11d3-9a0c-0305e82c3301}'
    })
    expect(again.outputs.result).toBe('unchanged')
  })
})

describe('the job summary', () => {
  it('links the backend in the Azure portal and, on failure, carries the ARM error', async () => {
    const ok = await step({ operation: 'get', 'backend-id': 'orders' })
    expect(ok.summary).toContain(
      `https://portal.azure.com/#resource/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/backends`
    )
    emulator.changeBackendAfterNextGet('orders')
    const failed = await step({ operation: 'update', 'backend-id': 'orders', title: 'x' })
    expect(failed.summary).toContain('HTTP 412 PreconditionFailed')
    expect(failed.summary).toMatch(/Correlation id: [0-9a-f-]{36}/)
  })
})
