// ARM's token-bucket throttling (per subscription), with the SDK honouring Retry-After.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ApiManagementClient } from '@azure/arm-apimanagement'
import { ClientSecretCredential } from '@azure/identity'
import { ApimEmulator } from '../../emulator/server.js'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  RG,
  SERVICE,
  SUB,
  arm,
  backendPath,
  getToken,
  servicePath
} from './helpers.js'

const single = { url: 'https://api.example.com', protocol: 'http' }
const WRITES = 'x-ms-ratelimit-remaining-subscription-writes'
const READS = 'x-ms-ratelimit-remaining-subscription-reads'
const OTHER_SUB = '22222222-2222-2222-2222-222222222222'

describe('ARM throttling', () => {
  let emu: ApimEmulator
  let token: string

  beforeAll(async () => {
    emu = await ApimEmulator.start({
      services: [
        { subscriptionId: SUB, resourceGroup: RG, serviceName: SERVICE },
        { subscriptionId: OTHER_SUB, resourceGroup: RG, serviceName: SERVICE }
      ]
    })
  })
  afterAll(() => emu.stop())
  beforeEach(async () => {
    emu.setThrottle(undefined)
    emu.reset()
    token = await getToken(emu)
  })

  const put = (id: string, sub = SUB) =>
    arm(emu, 'PUT', `${servicePath(sub)}/backends/${id}`, { token, body: { properties: single } })

  it('is off by default: the counts go down but nothing is refused', async () => {
    const first = await put('b1')
    expect(first.headers.get(WRITES)).toBe('199')
    const read = await arm(emu, 'GET', backendPath('b1'), { token })
    expect(read.headers.get(READS)).toBe('249')
    expect(read.headers.get(WRITES)).toBeNull()
    expect(emu.throttledCount()).toBe(0)
  })

  it('refuses writes past the burst with 429 SubscriptionRequestsThrottled and Retry-After', async () => {
    emu.setThrottle({ writes: { burst: 2, refillPerSecond: 1 } })
    const statuses: [number, string | null][] = []
    for (const id of ['a', 'b', 'c']) {
      const res = await put(id)
      statuses.push([res.status, res.headers.get(WRITES)])
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('1')
        // The code learn.microsoft.com documents for ARM's own throttling.
        expect(res.json.error.code).toBe('SubscriptionRequestsThrottled')
        expect(res.json.error.message).toMatch(
          /^Number of 'write' requests for subscription '0{8}-0{4}-0{4}-0{4}-0{12}' actor '[0-9a-f-]{36}' exceeded\. Please try again after '1' seconds/
        )
        expect(res.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      }
    }
    expect(statuses).toEqual([
      [201, '1'],
      [201, '0'],
      [429, '0']
    ])
    // the refused PUT did nothing
    expect(emu.getBackend(SUB, RG, SERVICE, 'c')).toBeUndefined()
    expect(emu.throttledCount()).toBe(1)
    // reads have their own bucket (ARM's default 250)
    const read = await arm(emu, 'GET', backendPath('a'), { token })
    expect([read.status, read.headers.get(READS)]).toEqual([200, '249'])
    // and every subscription its own buckets
    expect((await put('a', OTHER_SUB)).status).toBe(201)
  })

  it('refills at refillPerSecond', async () => {
    emu.setThrottle({ writes: { burst: 1, refillPerSecond: 20 } })
    expect((await put('a')).status).toBe(201)
    const refused = await put('b')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('1') // at least 1 s
    await new Promise((r) => setTimeout(r, 70))
    expect((await put('b')).status).toBe(201)
    expect(emu.throttledCount()).toBe(1)
  })

  it('says how many whole seconds until the next token', async () => {
    emu.setThrottle({ writes: { burst: 1, refillPerSecond: 0.25 } })
    await put('a')
    expect((await put('b')).headers.get('retry-after')).toBe('4')
  })

  it('throttles GET and HEAD from the read bucket', async () => {
    emu.putBackend(SUB, RG, SERVICE, 'a', single)
    emu.setThrottle({ reads: { burst: 1, refillPerSecond: 0.5 } })
    const get = await arm(emu, 'GET', backendPath('a'), { token })
    expect([get.status, get.headers.get(READS)]).toEqual([200, '0'])
    const head = await arm(emu, 'HEAD', backendPath('a'), { token })
    expect([head.status, head.headers.get('retry-after'), head.text]).toEqual([429, '2', ''])
    const list = await arm(emu, 'GET', `${servicePath()}/backends`, { token })
    expect(list.status).toBe(429)
    // writes (and POST reconnect) use the write bucket
    const reconnect = await arm(emu, 'POST', `${backendPath('a')}/reconnect`, { token })
    expect([reconnect.status, reconnect.headers.get(WRITES)]).toEqual([202, '199'])
    expect(emu.throttledCount()).toBe(2)
  })

  it("uses ARM's buckets with {} and starts full again after reset()", async () => {
    emu.setThrottle({})
    expect((await put('a')).headers.get(WRITES)).toBe('199')
    const read = await arm(emu, 'GET', backendPath('a'), { token })
    expect(read.headers.get(READS)).toBe('249')
    emu.setThrottle({ writes: { burst: 1, refillPerSecond: 0.1 } })
    await put('a')
    expect((await put('a')).status).toBe(429)
    expect(emu.throttledCount()).toBe(1)
    emu.reset()
    expect(emu.throttledCount()).toBe(0)
    expect((await put('a')).status).toBe(201) // throttle still on, bucket full again
    expect((await put('a')).status).toBe(429)
  })

  it('checks bucket settings', () => {
    expect(() => emu.setThrottle({ writes: { burst: 0, refillPerSecond: 1 } })).toThrow(/burst/)
    expect(() => emu.setThrottle({ reads: { burst: 5, refillPerSecond: 0 } })).toThrow(
      /refillPerSecond/
    )
  })

  it('takes throttle as an option; the SDK waits Retry-After and succeeds', async () => {
    const throttled = await ApimEmulator.start({
      throttle: { writes: { burst: 1, refillPerSecond: 20 } }
    })
    try {
      const credential = new ClientSecretCredential(throttled.tenantId, CLIENT_ID, CLIENT_SECRET, {
        authorityHost: throttled.url,
        disableInstanceDiscovery: true
      })
      const client = new ApiManagementClient(credential, SUB, {
        endpoint: throttled.url,
        credentialScopes: 'https://management.azure.com/.default'
      })
      await client.backend.createOrUpdate(RG, SERVICE, 'a', single)
      const start = performance.now()
      await client.backend.createOrUpdate(RG, SERVICE, 'b', single)
      expect(performance.now() - start).toBeGreaterThanOrEqual(900) // Retry-After: 1
      expect(throttled.armRequests().map((r) => r.status)).toEqual([201, 429, 201])
      expect(throttled.throttledCount()).toBe(1)
    } finally {
      await throttled.stop()
    }
  })
})
