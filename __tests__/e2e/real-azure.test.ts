// What the live service does that the spec does not say (docs/backend-contract.md "Real traffic"),
// met through the real SDK: explicit nulls in answers, a PATCH that may replace nested objects or
// answer 204, resourceId only as an absolute URL, and validation reasons only in details[].
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
})
const step = (inputs: Record<string, string>) =>
  runInProcess({ ...TARGET, ...secretSignIn(emulator), ...inputs })
const stored = (id: string) => emulator.getBackend(SUB, RG, SERVICE, id)?.contract.properties
const writes = () => armCalls(emulator).filter((c) => !c.startsWith('GET') && !c.startsWith('HEAD'))

describe('answers carry explicit nulls: an identical replace writes nothing', () => {
  const single = {
    operation: 'create',
    'backend-id': 'orders',
    url: 'https://orders.example.com/api',
    protocol: 'http',
    description: 'Orders',
    'if-exists': 'replace'
  }

  it('a Single backend created without a title (answered "title": null) stays unchanged', async () => {
    expect((await step(single)).outputs.result).toBe('created')
    const answered = emulator.armRequests().length
    const again = await step(single)
    expect(again.failure).toBeUndefined()
    expect(again.outputs.result).toBe('unchanged')
    expect(JSON.parse(again.outputs.changes)).toEqual([])
    // The read answered title null, as the live service does; only the GET went out.
    expect(JSON.parse(again.outputs.backend).properties.title).toBeNull()
    expect(armCalls(emulator).slice(answered)).toEqual(['GET /backends/orders'])
  })

  it('what-if over the same backend shows no change', async () => {
    await step(single)
    const preview = await step({ ...single, 'what-if': 'true' })
    expect(preview.outputs.result).toBe('unchanged')
    expect(JSON.parse(preview.outputs.changes)).toEqual([])
  })

  it('a Pool (answered with title, url and protocol null) stays unchanged', async () => {
    for (const id of ['blue', 'green'])
      emulator.putBackend(SUB, RG, SERVICE, id, { url: `https://${id}.example`, protocol: 'http' })
    const pool = {
      operation: 'create',
      'backend-id': 'orders-pool',
      pool: '[{id: blue, weight: 1}, {id: green, weight: 1}]',
      'if-exists': 'replace'
    }
    const first = await step(pool)
    expect(first.failure).toBeUndefined()
    expect(first.outputs.result).toBe('created')
    const again = await step(pool)
    expect(again.failure).toBeUndefined()
    expect(again.outputs.result).toBe('unchanged')
    const answered = JSON.parse(again.outputs.backend).properties
    expect([answered.title, answered.url, answered.protocol]).toEqual([null, null, null])
    expect(writes()).toEqual(['PUT /backends/orders-pool'])
  })
})

describe('an update keeps what it does not change, whatever the service does with a PATCH', () => {
  beforeEach(() => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.example.com',
      protocol: 'http',
      credentials: {
        header: { 'x-a': ['header-a-4711'] },
        query: { code: ['query-code-4711'] }
      }
    })
  })
  const oneHeader = {
    operation: 'update',
    'backend-id': 'orders',
    'backend-credentials': 'header: {x-b: header-b-4711}'
  }

  it('one new header on a service that replaces nested objects: the others stay', async () => {
    emulator.injectFault({ kind: 'patch-replaces-nested', method: 'PATCH' })
    const outcome = await step(oneHeader)
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('updated')
    expect(stored('orders')?.credentials).toEqual({
      header: { 'x-a': ['header-a-4711'], 'x-b': ['header-b-4711'] },
      query: { code: ['query-code-4711'] }
    })
    expect(JSON.parse(outcome.outputs.changes)).toEqual(['properties.credentials.header.x-b'])
    expectNoSecrets(outcome, ['header-a-4711', 'header-b-4711', 'query-code-4711'])
  })

  it('a PATCH answered 204 without a body: the backend is read again for the outputs', async () => {
    emulator.injectFault({ kind: 'patch-no-content', method: 'PATCH' })
    const outcome = await step({ ...oneHeader, title: 'Orders' })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('updated')
    expect(JSON.parse(outcome.outputs.backend).properties.title).toBe('Orders')
    expect(armCalls(emulator)).toEqual([
      'GET /backends/orders',
      'PATCH /backends/orders',
      'GET /backends/orders'
    ])
  })
})

describe('resource-id: Azure stores only an absolute URL', () => {
  const ARM_ID = '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders'

  it('an ARM id is sent as the Resource Manager endpoint + the id', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.example.com/api',
      protocol: 'http',
      'resource-id': ARM_ID
    })
    expect(outcome.failure).toBeUndefined()
    expect(stored('orders')?.resourceId).toBe(`${emulator.url}${ARM_ID}`)
  })

  it('a value that is neither is refused before any request', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.example.com/api',
      protocol: 'http',
      'resource-id': 'Microsoft.Web/sites/orders'
    })
    expect(outcome.failure).toContain("Input 'resource-id'")
    expect(emulator.armRequests()).toEqual([])
  })
})

describe("Azure's validation reason is in details[]", () => {
  it('the recorded ValidationError names the field, its input, and the reason', async () => {
    // The body the live service answered (Azure/azure-powershell#16868).
    emulator.injectFault({
      method: 'PUT',
      status: 400,
      body: {
        error: {
          code: 'ValidationError',
          message: 'One or more fields contain incorrect values:',
          details: [
            {
              code: 'ValidationError',
              target: 'resourceId',
              message: 'Value should represent absolute http URL'
            }
          ]
        }
      }
    })
    const outcome = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.example.com/api',
      protocol: 'http',
      'resource-id': `https://management.azure.com${backendPath('x')}`
    })
    expect(outcome.failure).toContain('HTTP 400 ValidationError')
    expect(outcome.failure).toContain('Value should represent absolute http URL')
    expect(outcome.failure).toContain('resource-id')
    expect(outcome.failure?.split('\n')).toHaveLength(1)
  })
})
