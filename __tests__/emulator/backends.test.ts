// Backend operations beyond the official examples: lookups, ETags, validation, paging,
// recording, faults and the simulated concurrent writer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ApimEmulator } from '../../emulator/server.js'
import { RG, SERVICE, SUB, arm, backendPath, getToken, send, servicePath } from './helpers.js'

const single = { url: 'https://api.example.com', protocol: 'http', description: 'first' }

describe('APIM backends', () => {
  let emu: ApimEmulator
  let token: string

  beforeAll(async () => {
    emu = await ApimEmulator.start()
    token = await getToken(emu)
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  const seed = (id: string, props: object = single) => emu.putBackend(SUB, RG, SERVICE, id, props)

  describe('lookups', () => {
    it('answers the service resource', async () => {
      const res = await arm(emu, 'GET', servicePath(), { token })
      expect(res.status).toBe(200)
      expect(res.json).toMatchObject({
        name: SERVICE,
        type: 'Microsoft.ApiManagement/service',
        properties: { gatewayUrl: 'https://apimservice1.azure-api.net' }
      })
    })

    it('tells a missing service from a missing backend', async () => {
      const service = await arm(emu, 'GET', `${servicePath(SUB, RG, 'nope')}/backends/b1`, {
        token
      })
      expect(service.status).toBe(404)
      expect(service.json.error).toEqual({
        code: 'ResourceNotFound',
        message:
          "The Resource 'Microsoft.ApiManagement/service/nope' under resource group 'rg1' was not found."
      })
      const backend = await arm(emu, 'GET', backendPath('b1'), { token })
      expect(backend.status).toBe(404)
      // As recorded, with "details": null (.NET BackendTests/CreateListUpdateDelete.json).
      expect(backend.json.error).toEqual({
        code: 'ResourceNotFound',
        message: 'Backend not found.',
        details: null
      })
      expect(backend.json.error.message).not.toBe(service.json.error.message)
    })

    it('answers SubscriptionNotFound and ResourceGroupNotFound', async () => {
      const sub = await arm(
        emu,
        'GET',
        `${servicePath('99999999-9999-9999-9999-999999999999')}/backends`,
        { token }
      )
      expect([sub.status, sub.json.error.code]).toEqual([404, 'SubscriptionNotFound'])
      const rg = await arm(emu, 'GET', `${servicePath(SUB, 'rg-missing')}/backends`, { token })
      expect([rg.status, rg.json.error]).toEqual([
        404,
        {
          code: 'ResourceGroupNotFound',
          message: "Resource group 'rg-missing' could not be found."
        }
      ])
    })

    it('matches path segments and names case-insensitively, keeping the created name', async () => {
      seed('MyBackend')
      const path = `/SUBSCRIPTIONS/${SUB}/resourcegroups/RG1/PROVIDERS/microsoft.apimanagement/SERVICE/APIMSERVICE1/BACKENDS/mybackend`
      const res = await arm(emu, 'GET', path, { token })
      expect(res.status).toBe(200)
      expect(res.json.name).toBe('MyBackend')
    })

    it('answers HEAD 404 without a body', async () => {
      const res = await arm(emu, 'HEAD', backendPath('nope'), { token })
      expect(res.status).toBe(404)
      expect(res.text).toBe('')
    })

    it('answers 404 JSON for unknown routes', async () => {
      const res = await send(`${emu.url}/nowhere`)
      expect(res.status).toBe(404)
      expect(res.json.error.code).toBeTruthy()
    })
  })

  describe('ETags and If-Match', () => {
    it('creates with 201, replaces with 200, each with a new quoted ETag', async () => {
      const created = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single }
      })
      expect(created.status).toBe(201)
      const replaced = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: { ...single, description: 'second' } }
      })
      expect(replaced.status).toBe(200)
      expect(created.headers.get('etag')).toMatch(/^"[A-Za-z0-9+/]+=*"$/)
      expect(replaced.headers.get('etag')).not.toBe(created.headers.get('etag'))
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')!.etag).toBe(replaced.headers.get('etag'))
    })

    it('PUT with If-Match: matches (quotes and W/ ignored) or 412; 412 when the backend is missing', async () => {
      const etag = seed('b1')
      const forms = [
        (e: string) => e,
        (e: string) => e.replace(/"/g, ''),
        (e: string) => `W/${e}`,
        () => '*'
      ]
      for (const form of forms) {
        const current = emu.getBackend(SUB, RG, SERVICE, 'b1')!.etag
        const res = await arm(emu, 'PUT', backendPath('b1'), {
          token,
          body: { properties: single },
          headers: { 'if-match': form(current) }
        })
        expect(res.status).toBe(200)
      }
      const stale = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single },
        headers: { 'if-match': etag }
      })
      expect(stale.status).toBe(412)
      expect(stale.json.error.code).toBe('PreconditionFailed')
      const missing = await arm(emu, 'PUT', backendPath('b2'), {
        token,
        body: { properties: single },
        headers: { 'if-match': '*' }
      })
      expect(missing.status).toBe(412)
    })

    it('PATCH needs If-Match, merges only the given fields, 404s a missing backend, 412s a stale ETag', async () => {
      const etag = seed('b1', {
        ...single,
        tls: { validateCertificateChain: true, validateCertificateName: true }
      })
      const noIfMatch = await arm(emu, 'PATCH', backendPath('b1'), {
        token,
        body: { properties: { title: 't' } }
      })
      expect(noIfMatch.status).toBe(400)
      const missing = await arm(emu, 'PATCH', backendPath('zz'), {
        token,
        body: { properties: { title: 't' } },
        headers: { 'if-match': '*' }
      })
      expect([missing.status, missing.json.error.message]).toEqual([404, 'Backend not found.'])
      const ok = await arm(emu, 'PATCH', backendPath('b1'), {
        token,
        body: {
          properties: {
            title: 't',
            tls: { validateCertificateChain: true, validateCertificateName: false }
          }
        },
        headers: { 'if-match': etag }
      })
      expect(ok.status).toBe(200)
      expect(ok.json.properties).toEqual({
        ...single,
        title: 't',
        tls: { validateCertificateChain: true, validateCertificateName: false }
      })
      const stale = await arm(emu, 'PATCH', backendPath('b1'), {
        token,
        body: { properties: { title: 'u' } },
        headers: { 'if-match': etag }
      })
      expect(stale.status).toBe(412)
    })

    it('DELETE needs If-Match, 412s a stale ETag, answers 200 then 204', async () => {
      const etag = seed('b1')
      expect((await arm(emu, 'DELETE', backendPath('b1'), { token })).status).toBe(400)
      expect(
        (await arm(emu, 'DELETE', backendPath('b1'), { token, headers: { 'if-match': '"stale"' } }))
          .status
      ).toBe(412)
      expect(
        (await arm(emu, 'DELETE', backendPath('b1'), { token, headers: { 'if-match': etag } }))
          .status
      ).toBe(200)
      expect(
        (await arm(emu, 'DELETE', backendPath('b1'), { token, headers: { 'if-match': etag } }))
          .status
      ).toBe(204)
    })

    it('changeBackendAfterNextGet makes the ETag from that GET stale', async () => {
      seed('b1')
      emu.changeBackendAfterNextGet('b1')
      const read = await arm(emu, 'GET', backendPath('b1'), { token })
      expect(read.json.properties.description).toBe('first')
      const etag = read.headers.get('etag')!
      const write = await arm(emu, 'PATCH', backendPath('b1'), {
        token,
        body: { properties: { title: 'mine' } },
        headers: { 'if-match': etag }
      })
      expect(write.status).toBe(412)
      const again = await arm(emu, 'GET', backendPath('b1'), { token })
      expect(again.json.properties.description).toMatch(/concurrent writer/)
      expect(again.headers.get('etag')).not.toBe(etag)
      const retry = await arm(emu, 'PATCH', backendPath('b1'), {
        token,
        body: { properties: { title: 'mine' } },
        headers: { 'if-match': again.headers.get('etag')! }
      })
      expect(retry.status).toBe(200)
    })

    it('PUT with If-None-Match: * creates (201), then answers 412 with the stale If-Match envelope and writes nothing', async () => {
      const created = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single },
        headers: { 'if-none-match': '*' }
      })
      expect(created.status).toBe(201)
      const etag = created.headers.get('etag')
      const again = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: { ...single, description: 'second' } },
        headers: { 'if-none-match': '*' }
      })
      const stale = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single },
        headers: { 'if-match': '"stale"' }
      })
      expect(again.status).toBe(412)
      expect(again.json).toEqual(stale.json)
      expect(again.json.error.code).toBe('PreconditionFailed')
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')).toMatchObject({
        etag,
        contract: { properties: single }
      })
    })

    it('PUT with If-None-Match listing ETags (a guess rule): 412 only when one matches the current ETag', async () => {
      const etag = seed('b1')
      const other = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single },
        headers: { 'if-none-match': '"AAAAAAAAAAA="' }
      })
      expect(other.status).toBe(200)
      const current = other.headers.get('etag')!
      expect(current).not.toBe(etag)
      for (const header of [current, `W/${current}`, `"x", ${current}`]) {
        const res = await arm(emu, 'PUT', backendPath('b1'), {
          token,
          body: { properties: single },
          headers: { 'if-none-match': header }
        })
        expect([header, res.status]).toEqual([header, 412])
      }
      const absent = await arm(emu, 'PUT', backendPath('b2'), {
        token,
        body: { properties: single },
        headers: { 'if-none-match': current }
      })
      expect(absent.status).toBe(201)
    })

    it("the 'ignore-if-none-match' fault makes a PUT overwrite as a service that ignores the header would", async () => {
      seed('b1')
      emu.injectFault({ method: 'PUT', path: /\/backends\/b1$/, kind: 'ignore-if-none-match' })
      const ignored = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: { ...single, description: 'overwritten' } },
        headers: { 'if-none-match': '*' }
      })
      expect(ignored.status).toBe(200)
      expect(ignored.json.properties.description).toBe('overwritten')
      // The recording keeps the header as it was sent.
      expect(emu.armRequests()[0].headers['if-none-match']).toBe('*')
      const honoured = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single },
        headers: { 'if-none-match': '*' }
      })
      expect(honoured.status).toBe(412)
    })

    it("the 'concurrent-write' fault writes the backend right after the request it is set on", async () => {
      emu.injectFault({
        method: 'GET',
        path: /\/backends\/b1$/,
        kind: 'concurrent-write',
        properties: { url: 'https://b.example.com', protocol: 'http' }
      })
      const read = await arm(emu, 'GET', backendPath('b1'), { token })
      expect(read.status).toBe(404)
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')!.contract.properties).toEqual({
        url: 'https://b.example.com',
        protocol: 'http'
      })
      const create = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single },
        headers: { 'if-none-match': '*' }
      })
      expect(create.status).toBe(412)

      // Without properties: an existing backend gets a new description (and ETag).
      const before = emu.getBackend(SUB, RG, SERVICE, 'b1')!.etag
      emu.injectFault({ method: 'GET', path: /\/backends\/b1$/, kind: 'concurrent-write' })
      const second = await arm(emu, 'GET', backendPath('b1'), { token })
      expect(second.headers.get('etag')).toBe(before)
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')!.etag).not.toBe(before)
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')!.contract.properties.description).toMatch(
        /concurrent writer/
      )
      expect(() => emu.injectFault({ kind: 'concurrent-write', properties: [] as never })).toThrow(
        "a 'concurrent-write' fault's properties must be an object"
      )
    })
  })

  describe('validation', () => {
    const put = (properties: unknown, id = 'b1') =>
      arm(emu, 'PUT', backendPath(id), { token, body: { properties } })
    const targets = (res: { json: { error: { details: { target: string }[] } } }) =>
      res.json.error.details.map((d) => d.target)

    it("rejects protocol 'https' in the ARM ValidationError envelope", async () => {
      const res = await put({ url: 'https://x', protocol: 'https' })
      expect(res.status).toBe(400)
      expect(res.json.error).toMatchObject({
        code: 'ValidationError',
        message: 'One or more fields contain incorrect values:'
      })
      // The recorded text (Azure/bicep#14093), which does not quote the value.
      expect(res.json.error.details).toEqual([
        { code: 'ValidationError', target: 'protocol', message: 'Protocol is not supported' }
      ])
    })

    it('rejects a url longer than 2000 characters', async () => {
      const res = await put({ url: `https://x/${'a'.repeat(1992)}`, protocol: 'http' })
      expect(targets(res)).toEqual(['url'])
      expect(res.json.error.details[0].message).toContain('2000')
    })

    it('rejects authorization credentials without a parameter', async () => {
      const res = await put({ ...single, credentials: { authorization: { scheme: 'Basic' } } })
      expect(targets(res)).toEqual(['credentials.authorization.parameter'])
    })

    it('requires url and protocol on a Single backend, rejects them on a Pool', async () => {
      expect(targets(await put({ description: 'd' })).sort()).toEqual(['protocol', 'url'])
      seed('member')
      const pool = {
        type: 'Pool',
        url: 'https://x',
        pool: { services: [{ id: `${servicePath()}/backends/member` }] }
      }
      expect(targets(await put(pool))).toEqual(['url'])
    })

    it('rejects pool members that are not existing backends', async () => {
      const res = await put({
        type: 'Pool',
        pool: { services: [{ id: `${servicePath()}/backends/ghost`, priority: 1 }] }
      })
      // Recorded: target pool, "Backend Entity '…' not found." (Azure/apiops#797).
      expect(res.json.error.details).toEqual([
        { code: 'ValidationError', target: 'pool', message: "Backend Entity 'ghost' not found." }
      ])
    })

    it('checks types, lengths and ranges', async () => {
      const res = await put({
        ...single,
        title: '',
        tls: { validateCertificateChain: 'yes' },
        credentials: {
          certificateIds: Array.from({ length: 33 }, (_, i) => `c${i}`),
          header: { h: 'not-an-array' }
        },
        proxy: { username: 'u' },
        properties: { serviceFabricCluster: { clientCertificateId: 'x' } },
        circuitBreaker: {
          rules: [
            { failureCondition: { statusCodeRanges: [{ min: 100, max: 600 }], interval: 'soon' } }
          ]
        }
      })
      expect(targets(res).sort()).toEqual(
        [
          'circuitBreaker.rules[0].failureCondition.interval',
          'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0].max',
          'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0].min',
          'credentials.certificateIds',
          'credentials.header.h',
          'properties.serviceFabricCluster.managementEndpoints',
          'proxy.url',
          'title',
          'tls.validateCertificateChain',
          // One flag given (even of the wrong type): the other is required.
          'tls.validateCertificateName'
        ].sort()
      )
    })

    it('answers InvalidRequestContent for a body that is not JSON', async () => {
      const res = await arm(emu, 'PUT', backendPath('b1'), { token, body: '{not json' })
      expect([res.status, res.json.error.code]).toEqual([400, 'InvalidRequestContent'])
    })

    it('keeps credentials.managedIdentity and unknown fields as sent, ignoring read-only id/name/type', async () => {
      const properties = {
        ...single,
        credentials: { managedIdentity: { clientId: 'abc', resource: 'https://res' } },
        somethingNew: { a: 1 }
      }
      const res = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { id: '/x', name: 'other', type: 'y', properties }
      })
      expect(res.status).toBe(201)
      expect(res.json.name).toBe('b1')
      const got = await arm(emu, 'GET', backendPath('b1'), { token })
      // An unset title is answered as null, as the live service does (recordings).
      expect(got.json.properties).toEqual({ title: null, ...properties })
      expect(emu.warnings.join('\n')).toContain('properties.somethingNew')
    })
  })

  describe('reconnect', () => {
    it('answers 202 with or without a body, 400 for a bad duration, 404 for a missing backend', async () => {
      seed('b1')
      const path = `${backendPath('b1')}/reconnect`
      expect((await arm(emu, 'POST', path, { token })).status).toBe(202)
      expect(
        (await arm(emu, 'POST', path, { token, body: { properties: { after: 'PT2M' } } })).status
      ).toBe(202)
      const bad = await arm(emu, 'POST', path, {
        token,
        body: { properties: { after: '30 seconds' } }
      })
      expect([bad.status, bad.json.error.code, bad.json.error.details[0].target]).toEqual([
        400,
        'ValidationError',
        'after'
      ])
      const missing = await arm(emu, 'POST', `${backendPath('zz')}/reconnect`, { token })
      expect([missing.status, missing.json.error.code]).toEqual([404, 'ResourceNotFound'])
    })
  })

  describe('list', () => {
    it('pages with $top/$skip and nextLink, and filters by name', async () => {
      for (const id of ['a', 'b', 'c', 'd', 'e']) seed(id)
      const names: string[] = []
      let url: string | undefined =
        `${emu.url}${servicePath()}/backends?api-version=2024-05-01&$top=2`
      while (url) {
        const page = await send(url, { headers: { authorization: `Bearer ${token}` } })
        expect(page.status).toBe(200)
        expect(page.json.count).toBe(5)
        names.push(...page.json.value.map((b: { name: string }) => b.name))
        url = page.json.nextLink
      }
      expect(names).toEqual(['a', 'b', 'c', 'd', 'e'])
      const filtered = await arm(
        emu,
        'GET',
        `${servicePath()}/backends?$filter=${encodeURIComponent("name eq 'c'")}`,
        { token }
      )
      expect(filtered.json.value.map((b: { name: string }) => b.name)).toEqual(['c'])
      const bad = await arm(emu, 'GET', `${servicePath()}/backends?$top=0`, { token })
      expect(bad.status).toBe(400)
    })

    it('setNextLinkOrigin points nextLink at another origin, until reset', async () => {
      for (const id of ['a', 'b', 'c']) seed(id)
      const page = `${servicePath()}/backends?$top=2`
      emu.setNextLinkOrigin('https://127.0.0.1:1/ignored/path')
      const foreign = await arm(emu, 'GET', page, { token })
      expect(foreign.json.nextLink).toMatch(
        new RegExp(`^https://127\\.0\\.0\\.1:1${servicePath()}/backends\\?`)
      )
      emu.reset()
      seed('a')
      seed('b')
      seed('c')
      const own = await arm(emu, 'GET', page, { token })
      expect(own.json.nextLink.startsWith(`${emu.url}${servicePath()}/backends?`)).toBe(true)
    })
  })

  describe('headers, recording and faults', () => {
    it('sends ARM headers and echoes the correlation id', async () => {
      const read = await arm(emu, 'GET', `${servicePath()}/backends`, {
        token,
        headers: { 'x-ms-correlation-request-id': 'corr-1' }
      })
      expect(read.headers.get('x-ms-correlation-request-id')).toBe('corr-1')
      expect(read.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(read.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toMatch(/^\d+$/)
      expect(read.headers.get('content-type')).toBe('application/json; charset=utf-8')
      const write = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single }
      })
      expect(write.headers.get('x-ms-correlation-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(write.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toMatch(/^\d+$/)
    })

    it('records every request in order, with lower-case headers, and filters ARM and token ones', async () => {
      await getToken(emu)
      await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single },
        headers: { 'X-Custom': 'v' }
      })
      expect(emu.requests.map((r) => [r.method, r.status])).toEqual([
        ['POST', 200],
        ['PUT', 201]
      ])
      expect(emu.tokenRequests()).toHaveLength(1)
      const [put] = emu.armRequests()
      expect(put).toMatchObject({
        path: backendPath('b1'),
        query: { 'api-version': '2024-05-01' },
        headers: { 'x-custom': 'v' }
      })
      expect(JSON.parse(put.body)).toEqual({ properties: single })
      emu.reset()
      expect(emu.requests).toHaveLength(0)
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')).toBeUndefined()
    })

    it('serves injected faults in order, the given number of times, with their headers', async () => {
      seed('b1')
      emu.injectFault({
        method: 'GET',
        path: /\/backends\/b1$/,
        status: 429,
        headers: { 'Retry-After': '7' },
        times: 2
      })
      emu.injectFault({
        method: 'GET',
        path: /\/backends\/b1$/,
        status: 503,
        code: 'Busy',
        message: 'try later'
      })
      const statuses: number[] = []
      for (let i = 0; i < 4; i += 1) {
        const res = await arm(emu, 'GET', backendPath('b1'), { token })
        statuses.push(res.status)
        if (res.status === 429) {
          expect(res.headers.get('retry-after')).toBe('7')
          expect(res.json.error.code).toBe('TooManyRequests')
        }
        if (res.status === 503)
          expect(res.json.error).toEqual({ code: 'Busy', message: 'try later' })
      }
      expect(statuses).toEqual([429, 429, 503, 200])
      expect(emu.armRequests().map((r) => r.status)).toEqual(statuses)
    })

    it('serves a raw fault body and faults the token endpoint too', async () => {
      emu.injectFault({ path: /oauth2\/v2\.0\/token$/, status: 500, body: { custom: true } })
      const res = await send(`${emu.url}/${emu.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: 'grant_type=client_credentials'
      })
      expect([res.status, res.json]).toEqual([500, { custom: true }])
      expect(emu.tokenRequests()[0].status).toBe(500)
    })
  })
})
