// A workflow step that resets a backend's connections before or after a deployment.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  armCalls,
  CLIENT_SECRET,
  RG,
  SERVICE,
  SUB,
  TARGET,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})
beforeEach(() => {
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: 'https://orders.example.com',
    protocol: 'http',
    title: 'Orders',
    credentials: { header: { 'x-api-key': ['existing-key-4711'] } }
  })
})

const reset = (extra: Record<string, string> = {}) =>
  runInProcess({
    operation: 'reset',
    ...TARGET,
    ...secretSignIn(emulator),
    'backend-id': 'orders',
    ...extra
  })

function isoSecondsFromNow(iso: string): number {
  return Math.round((Date.parse(iso) - Date.now()) / 1000)
}

describe('operation: reset', () => {
  it('without time-until-reset sends no body: the service default of 2 minutes applies', async () => {
    const outcome = await reset()
    expect(outcome.failure).toBeUndefined()
    expect(armCalls(emulator)).toEqual(['GET /backends/orders', 'POST /backends/orders/reconnect'])
    const post = emulator.armRequests()[1]
    expect(post.body).toBe('')
    expect(post.status).toBe(202)
    expect(outcome.outputs.result).toBe('reset-requested')
    expect(isoSecondsFromNow(outcome.outputs['reset-at'])).toBeGreaterThanOrEqual(118)
    expect(isoSecondsFromNow(outcome.outputs['reset-at'])).toBeLessThanOrEqual(121)
    expect(outcome.outputs['reset-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(outcome.outputs.etag).toBe(emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag)
    // A backend made elsewhere carries secrets the step never saw: they are masked too.
    expect(outcome.stdout).toContain('::add-mask::existing-key-4711')
    expect(JSON.parse(outcome.outputs.backend).properties.credentials.header).toEqual({
      'x-api-key': ['***']
    })
    expect(outcome.summary).toContain('reset-requested')
    expect(outcome.summary).toContain(outcome.outputs['reset-at'])
    expectNoSecrets(outcome, ['existing-key-4711', CLIENT_SECRET])
  })

  it('time-until-reset: 30 sends after: PT30S', async () => {
    const outcome = await reset({ 'time-until-reset': '30' })
    expect(outcome.failure).toBeUndefined()
    const post = emulator.armRequests().find((r) => r.method === 'POST')!
    expect(JSON.parse(post.body)).toEqual({ properties: { after: 'PT30S' } })
    expect(isoSecondsFromNow(outcome.outputs['reset-at'])).toBeGreaterThanOrEqual(28)
    expect(isoSecondsFromNow(outcome.outputs['reset-at'])).toBeLessThanOrEqual(31)
  })

  it('applies new connection settings with the ETag just read, then reconnects', async () => {
    const etag = emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag
    const outcome = await reset({
      url: 'https://orders-v2.example.com',
      'backend-credentials': 'header: {x-api-key: rotated-key-4711}',
      proxy: 'url: http://proxy.example.com:3128\nusername: svc\npassword: proxy-pw-4711',
      'time-until-reset': '0'
    })
    expect(outcome.failure).toBeUndefined()
    expect(armCalls(emulator)).toEqual([
      'GET /backends/orders',
      'PATCH /backends/orders',
      'POST /backends/orders/reconnect'
    ])
    const patch = emulator.armRequests()[1]
    expect(patch.headers['if-match']).toBe(etag)
    expect(JSON.parse(patch.body)).toEqual({
      properties: {
        url: 'https://orders-v2.example.com',
        credentials: { header: { 'x-api-key': ['rotated-key-4711'] } },
        proxy: { url: 'http://proxy.example.com:3128', username: 'svc', password: 'proxy-pw-4711' }
      }
    })
    const stored = emulator.getBackend(SUB, RG, SERVICE, 'orders')!
    expect(stored.contract.properties.url).toBe('https://orders-v2.example.com')
    expect(stored.contract.properties.title).toBe('Orders')
    expect(outcome.outputs.etag).toBe(stored.etag)
    expect(JSON.parse(outcome.outputs.backend).properties.url).toBe('https://orders-v2.example.com')
    expectNoSecrets(outcome, [
      'rotated-key-4711',
      'proxy-pw-4711',
      'existing-key-4711',
      CLIENT_SECRET
    ])
  })

  it("resets the backend an earlier step created, from that step's backend output", async () => {
    const created = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'payments',
      url: 'https://payments.example.com',
      protocol: 'http',
      'backend-credentials': 'authorization: {scheme: Bearer, parameter: pay-token-4711}'
    })
    expect(created.outputs.result).toBe('created')
    emulator.reset()
    emulator.putBackend(SUB, RG, SERVICE, 'payments', {
      url: 'https://payments.example.com',
      protocol: 'http'
    })

    const outcome = await runInProcess({
      operation: 'reset',
      ...secretSignIn(emulator),
      backend: created.outputs.backend,
      'time-until-reset': '5'
    })
    expect(outcome.failure).toBeUndefined()
    expect(armCalls(emulator)).toEqual([
      'GET /backends/payments',
      'POST /backends/payments/reconnect'
    ])
    // Only the id was read: the *** in that output were never written back.
    expect(emulator.armRequests().some((r) => r.body.includes('***'))).toBe(false)
  })

  it('a missing backend and a missing service get different messages', async () => {
    const noBackend = await reset({ 'backend-id': 'nope' })
    expect(noBackend.failure).toMatch(/^Reading backend 'nope' failed: HTTP 404 /)
    expect(noBackend.failure).toContain(
      "Hint: backend 'nope' does not exist in API Management service 'apimService1'"
    )
    // reset takes no if-missing: the way out is to create the backend.
    expect(noBackend.failure).toMatch(
      /; check backend-id, or create it first with operation: create\.$/
    )
    expect(noBackend.failure).toContain('Correlation id: ')

    const noService = await reset({ 'service-name': 'otherService' })
    expect(noService.failure).toMatch(/^Reading backend 'orders' failed: HTTP 404 /)
    expect(noService.failure).toContain(
      "Hint: the API Management service 'otherService' (resource group 'rg1'"
    )
    expect(noService.failure).toContain(
      'was not found; check subscription-id, resource-group and service-name.'
    )
    expect(emulator.armRequests().filter((r) => r.method !== 'GET')).toHaveLength(0)
  })
})
