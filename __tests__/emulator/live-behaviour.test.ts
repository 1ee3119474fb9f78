// What the live service does that the spec does not say (docs/backend-contract.md "Real traffic"):
// explicit nulls, the recorded error texts, the DELETE budget header and the two PATCH readings.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ApimEmulator } from '../../emulator/server.js'
import { RG, SERVICE, SUB, arm, backendPath, getToken, servicePath } from './helpers.js'

const single = { url: 'https://api.example.com', protocol: 'http', description: 'first' }

describe('the emulator answers as the live service does', () => {
  let emu: ApimEmulator
  let token: string

  beforeAll(async () => {
    emu = await ApimEmulator.start()
    token = await getToken(emu)
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  const put = (properties: unknown, id = 'b1') =>
    arm(emu, 'PUT', backendPath(id), { token, body: { properties } })

  it('answers "title": null for a backend created without one, in PUT, GET, PATCH and list', async () => {
    const created = await put(single)
    expect(created.json.properties).toEqual({ title: null, ...single })
    expect(Object.keys(created.json.properties)[0]).toBe('title')
    const got = await arm(emu, 'GET', backendPath('b1'), { token })
    expect(got.json.properties.title).toBeNull()
    const patched = await arm(emu, 'PATCH', backendPath('b1'), {
      token,
      body: { properties: { description: 'second' } },
      headers: { 'if-match': '*' }
    })
    expect(patched.json.properties).toEqual({ title: null, ...single, description: 'second' })
    const list = await arm(emu, 'GET', `${servicePath()}/backends`, { token })
    expect(list.json.value[0].properties.title).toBeNull()
    // The stored state (getBackend) is what was written.
    expect(emu.getBackend(SUB, RG, SERVICE, 'b1')!.contract.properties).not.toHaveProperty('title')
  })

  it('answers a Pool with title, url and protocol null', async () => {
    await put(single, 'member')
    const pool = await put(
      { type: 'Pool', pool: { services: [{ id: `${servicePath()}/backends/member` }] } },
      'pool'
    )
    expect(pool.status).toBe(201)
    expect(pool.json.properties).toMatchObject({ title: null, url: null, protocol: null })
  })

  it('refuses a resourceId that is not an absolute http(s) URL, with the recorded detail', async () => {
    const armId = '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders'
    for (const resourceId of [armId, 'management.azure.com/subscriptions/x', 'ftp://h/x']) {
      const res = await put({ ...single, resourceId })
      expect([resourceId, res.status, res.json.error]).toEqual([
        resourceId,
        400,
        {
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
      ])
    }
    const ok = await put({ ...single, resourceId: `https://management.azure.com${armId}` })
    expect(ok.status).toBe(201)
  })

  it('refuses url and protocol on a Pool with one recorded detail each', async () => {
    await put(single, 'member')
    const res = await put(
      {
        type: 'Pool',
        url: 'https://x',
        protocol: 'http',
        pool: { services: [{ id: `${servicePath()}/backends/member` }] }
      },
      'pool'
    )
    expect(res.json.error.details).toEqual([
      { code: 'ValidationError', target: 'url', message: 'Url is not supported for backend pool.' },
      {
        code: 'ValidationError',
        target: 'protocol',
        message: 'Protocol is not supported for backend pool.'
      }
    ])
  })

  it('answers a stale If-Match with the recorded 412 text', async () => {
    await put(single)
    const res = await arm(emu, 'PATCH', backendPath('b1'), {
      token,
      body: { properties: { description: 'x' } },
      headers: { 'if-match': '"stale"' }
    })
    expect([res.status, res.json.error.code, res.json.error.message]).toEqual([
      412,
      'PreconditionFailed',
      'Resource was modified since last retrieval.'
    ])
  })

  it('refuses a tls object with one flag, as the live service does since February 2026', async () => {
    // Azure/azure-powershell#29209: a body with only validateCertificateChain.
    const refused = {
      code: 'ValidationError',
      message: 'One or more fields contain incorrect values:',
      details: [
        {
          code: 'ValidationError',
          target: 'tls.validateCertificateName',
          message: 'Default backend property required'
        }
      ]
    }
    const oneFlag = await put({ ...single, tls: { validateCertificateChain: false } })
    expect([oneFlag.status, oneFlag.json.error]).toEqual([400, refused])
    const otherFlag = await put({ ...single, tls: { validateCertificateName: false } })
    expect(otherFlag.json.error.details[0].target).toBe('tls.validateCertificateChain')
    // Both flags: accepted; then a PATCH with one flag is refused even though the backend has both.
    const both = await put({
      ...single,
      tls: { validateCertificateChain: false, validateCertificateName: true }
    })
    expect(both.status).toBe(201)
    const patched = await arm(emu, 'PATCH', backendPath('b1'), {
      token,
      body: { properties: { tls: { validateCertificateChain: true } } },
      headers: { 'if-match': '*' }
    })
    expect([patched.status, patched.json.error]).toEqual([400, refused])
    // No tls at all, and an empty one, are accepted (the defaults apply).
    expect((await put(single, 'b2')).status).toBe(201)
    expect((await put({ ...single, tls: {} }, 'b3')).status).toBe(201)
  })

  it('reports the deletes budget on DELETE, writes on PUT, reads on GET', async () => {
    const w = await put(single)
    expect(w.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toMatch(/^\d+$/)
    const r = await arm(emu, 'GET', backendPath('b1'), { token })
    expect(r.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toMatch(/^\d+$/)
    const d = await arm(emu, 'DELETE', backendPath('b1'), { token, headers: { 'if-match': '*' } })
    expect(d.status).toBe(200)
    expect(d.headers.get('x-ms-ratelimit-remaining-subscription-deletes')).toMatch(/^\d+$/)
    expect(d.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBeNull()
  })

  it('throttles DELETE from its own bucket', async () => {
    await put(single, 'a')
    await put(single, 'b')
    emu.setThrottle({ deletes: { burst: 1, refillPerSecond: 0.1 } })
    try {
      const del = (id: string) =>
        arm(emu, 'DELETE', backendPath(id), { token, headers: { 'if-match': '*' } })
      expect((await del('a')).status).toBe(200)
      const refused = await del('b')
      expect([refused.status, refused.json.error.code]).toEqual([
        429,
        'SubscriptionRequestsThrottled'
      ])
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
      expect((await put(single, 'c')).status).toBe(201) // writes are a separate bucket
    } finally {
      emu.setThrottle(undefined)
    }
  })

  describe('PATCH', () => {
    const withHeaders = {
      ...single,
      credentials: { header: { 'x-a': ['1'], 'x-b': ['2'] }, query: { q: ['v'] } }
    }
    const patchHeader = () =>
      arm(emu, 'PATCH', backendPath('b1'), {
        token,
        body: { properties: { credentials: { header: { 'x-b': ['3'] } } } },
        headers: { 'if-match': '*' }
      })

    it('deep-merges by default (a guess: the service does not document its merge depth)', async () => {
      await put(withHeaders)
      const res = await patchHeader()
      expect(res.json.properties.credentials).toEqual({
        header: { 'x-a': ['1'], 'x-b': ['3'] },
        query: { q: ['v'] }
      })
    })

    it("'patch-replaces-nested' replaces each top-level property whole", async () => {
      await put(withHeaders)
      emu.injectFault({ method: 'PATCH', kind: 'patch-replaces-nested' })
      const res = await patchHeader()
      expect(res.status).toBe(200)
      expect(res.json.properties.credentials).toEqual({ header: { 'x-b': ['3'] } })
      expect(res.json.properties.url).toBe(single.url)
      // One PATCH only: the next merges again.
      await put(withHeaders)
      expect((await patchHeader()).json.properties.credentials.query).toEqual({ q: ['v'] })
    })

    it("'patch-no-content' applies the PATCH and answers 204 with no body and no ETag", async () => {
      const etag = (await put(single)).headers.get('etag')
      emu.injectFault({ method: 'PATCH', kind: 'patch-no-content' })
      const res = await arm(emu, 'PATCH', backendPath('b1'), {
        token,
        body: { properties: { description: 'second' } },
        headers: { 'if-match': etag! }
      })
      expect([res.status, res.text, res.headers.get('etag')]).toEqual([204, '', null])
      const stored = emu.getBackend(SUB, RG, SERVICE, 'b1')!
      expect(stored.contract.properties.description).toBe('second')
      expect(stored.etag).not.toBe(etag)
    })

    it('PATCH faults must name the PATCH method, so a GET cannot use them up', () => {
      expect(() => emu.injectFault({ kind: 'patch-no-content' })).toThrow(
        "a 'patch-no-content' fault needs method: 'PATCH'"
      )
      expect(() => emu.injectFault({ method: 'GET', kind: 'patch-replaces-nested' })).toThrow(
        "a 'patch-replaces-nested' fault needs method: 'PATCH'"
      )
    })
  })
})
