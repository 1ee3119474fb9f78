// Latency, the fault kinds (status, drop, drop-after-apply, slow), fault answers in each
// service's error shape, and byte counts on recorded requests.
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
  send,
  tokenRequest
} from './helpers.js'

const single = { url: 'https://api.example.com', protocol: 'http' }
const SCOPE = 'https://management.azure.com/.default'

function sdkClient(emu: ApimEmulator): ApiManagementClient {
  const credential = new ClientSecretCredential(emu.tenantId, CLIENT_ID, CLIENT_SECRET, {
    authorityHost: emu.url,
    disableInstanceDiscovery: true
  })
  return new ApiManagementClient(credential, SUB, {
    endpoint: emu.url,
    credentialScopes: SCOPE,
    retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 20 }
  })
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('latency, fault kinds and byte counts', () => {
  let emu: ApimEmulator
  let token: string

  beforeAll(async () => {
    emu = await ApimEmulator.start()
  })
  afterAll(() => emu.stop())
  beforeEach(async () => {
    emu.reset()
    emu.setLatency(0)
    token = await getToken(emu)
    emu.reset()
  })

  describe('latency', () => {
    it('delays every answer (ARM, token, OIDC) by setLatency(ms)', async () => {
      emu.setLatency(120)
      const timed = async (call: () => Promise<unknown>) => {
        const start = performance.now()
        await call()
        return performance.now() - start
      }
      expect(await timed(() => getToken(emu))).toBeGreaterThanOrEqual(110)
      expect(
        await timed(() => arm(emu, 'GET', `${backendPath('b1')}`, { token }))
      ).toBeGreaterThanOrEqual(110)
      expect(
        await timed(() =>
          send(emu.oidcRequestUrl(), {
            headers: { authorization: `Bearer ${emu.oidcRequestToken}` }
          })
        )
      ).toBeGreaterThanOrEqual(110)
      emu.setLatency(0)
      expect(await timed(() => getToken(emu))).toBeLessThan(110)
      expect(() => emu.setLatency(-1)).toThrow(/latencyMs/)
    })

    it('takes latencyMs as an option and does not read the environment', async () => {
      process.env.APIM_EMULATOR_LATENCY_MS = '5000'
      const slow = await ApimEmulator.start({ latencyMs: 80 })
      try {
        const start = performance.now()
        await getToken(slow)
        const took = performance.now() - start
        expect(took).toBeGreaterThanOrEqual(70)
        expect(took).toBeLessThan(2000)
      } finally {
        delete process.env.APIM_EMULATOR_LATENCY_MS
        await slow.stop()
      }
      await expect(ApimEmulator.start({ latencyMs: -5 })).rejects.toThrow(/latencyMs/)
    })

    it('stops promptly while answers are still waiting', async () => {
      const other = await ApimEmulator.start({ latencyMs: 10_000 })
      const pending = fetch(`${other.url}/${other.tenantId}/oauth2/v2.0/token`, {
        method: 'POST'
      }).then(
        () => 'answered',
        (e: unknown) => String(e)
      )
      await until(() => other.requests.length === 1)
      const start = performance.now()
      await other.stop()
      expect(performance.now() - start).toBeLessThan(1000)
      expect(await pending).toMatch(/fetch failed/)
    })
  })

  describe("'status' faults", () => {
    it('can answer 429 without any Retry-After', async () => {
      emu.putBackend(SUB, RG, SERVICE, 'b1', single)
      emu.injectFault({ method: 'GET', path: /\/backends\/b1$/, status: 429 })
      const res = await arm(emu, 'GET', backendPath('b1'), { token })
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBeNull()
      expect(res.headers.get('retry-after-ms')).toBeNull()
      expect(res.json.error.code).toBe('TooManyRequests')
    })

    it('a 429 without Retry-After is not retried by the SDK; one with retry-after-ms is', async () => {
      emu.putBackend(SUB, RG, SERVICE, 'b1', single)
      const client = sdkClient(emu)
      emu.injectFault({ method: 'GET', path: /\/backends\/b1$/, status: 429 })
      await expect(client.backend.get(RG, SERVICE, 'b1')).rejects.toMatchObject({
        statusCode: 429
      })
      expect(emu.armRequests().map((r) => r.status)).toEqual([429])

      emu.injectFault({
        method: 'GET',
        path: /\/backends\/b1$/,
        status: 429,
        headers: { 'retry-after-ms': '20' }
      })
      await client.backend.get(RG, SERVICE, 'b1')
      expect(emu.armRequests().map((r) => r.status)).toEqual([429, 429, 200])
    })

    it('answers token endpoint faults in Entra shape', async () => {
      emu.injectFault({ method: 'POST', path: /oauth2\/v2.0\/token/, status: 503, times: 1 })
      const form = {
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        scope: SCOPE
      }
      const res = await tokenRequest(emu, form)
      expect(res.status).toBe(503)
      expect(res.json).toMatchObject({ error: 'temporarily_unavailable', error_codes: [50000] })
      expect(res.json.error_description).toMatch(/^AADSTS50000: .* Trace ID: .+ Correlation ID: /)
      expect(typeof res.json.trace_id).toBe('string')
      expect((await tokenRequest(emu, form)).status).toBe(200)
      expect(emu.tokenRequests().map((r) => r.status)).toEqual([503, 200])

      emu.injectFault({
        path: /oauth2\/v2.0\/token/,
        status: 400,
        code: 'invalid_grant',
        message: 'Injected.'
      })
      const custom = await tokenRequest(emu, form)
      expect(custom.json.error).toBe('invalid_grant')
      expect(custom.json.error_description).toMatch(/^AADSTS\d+: Injected\. Trace ID/)
    })

    it('answers managed identity and OIDC faults in their own shapes', async () => {
      emu.injectFault({ path: /^\/msi\/token$/, status: 500 })
      const msi = await send(`${emu.url}/msi/token?api-version=2019-08-01&resource=x`)
      expect(msi.status).toBe(500)
      expect(msi.json).toMatchObject({ statusCode: 500, message: expect.any(String) })
      expect(typeof msi.json.correlationId).toBe('string')

      emu.injectFault({ path: /\/_github\/oidc\/token$/, status: 503, message: 'busy' })
      const oidc = await send(emu.oidcRequestUrl(), {
        headers: { authorization: `Bearer ${emu.oidcRequestToken}` }
      })
      expect([oidc.status, oidc.json]).toEqual([503, { message: 'busy' }])
    })

    it('rejects faults it cannot serve', () => {
      expect(() => emu.injectFault({ path: /x/ })).toThrow(/status/)
      expect(() => emu.injectFault({ kind: 'slow' })).toThrow(/delayMs/)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expect(() => emu.injectFault({ kind: 'bogus' as any, status: 500 })).toThrow(/kind/)
      expect(() => emu.injectFault({ status: 500, times: 0 })).toThrow(/times/)
    })
  })

  describe("'drop' faults", () => {
    it('destroys the connection without answering and without applying', async () => {
      emu.injectFault({ kind: 'drop', method: 'PUT', path: /\/backends\/b1$/ })
      await expect(
        arm(emu, 'PUT', backendPath('b1'), { token, body: { properties: single } })
      ).rejects.toThrow()
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')).toBeUndefined()
      const [dropped] = emu.armRequests()
      expect(dropped).toMatchObject({ method: 'PUT', status: 0, dropped: true, responseBytes: 0 })

      // consumed: the next PUT goes through
      const ok = await arm(emu, 'PUT', backendPath('b1'), { token, body: { properties: single } })
      expect(ok.status).toBe(201)
      expect(emu.armRequests().map((r) => [r.status, r.dropped ?? false])).toEqual([
        [0, true],
        [201, false]
      ])
    })

    it('drops token requests too, `times` over', async () => {
      emu.injectFault({ kind: 'drop', path: /oauth2\/v2.0\/token/, times: 2 })
      await expect(getToken(emu)).rejects.toThrow()
      await expect(getToken(emu)).rejects.toThrow()
      await getToken(emu)
      expect(emu.tokenRequests().map((r) => r.status)).toEqual([0, 0, 200])
    })

    it('the SDK sees a reset connection and retries', async () => {
      const client = sdkClient(emu)
      emu.injectFault({ kind: 'drop', method: 'PUT', path: /\/backends\/sdk$/ })
      const result = await client.backend.createOrUpdate(RG, SERVICE, 'sdk', single)
      expect(result.url).toBe(single.url)
      expect(emu.armRequests().map((r) => [r.method, r.status])).toEqual([
        ['PUT', 0],
        ['PUT', 201]
      ])
    })
  })

  describe("'drop-after-apply' faults", () => {
    it('applies a PUT, writes the status line, headers and part of the body, then cuts', async () => {
      emu.injectFault({ kind: 'drop-after-apply', method: 'PUT', path: /\/backends\/b1$/ })
      const res = await fetch(`${emu.url}${backendPath('b1')}?api-version=2024-05-01`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: single })
      })
      // the head arrived...
      expect(res.status).toBe(201)
      const announced = Number(res.headers.get('content-length'))
      expect(announced).toBeGreaterThan(0)
      // ...the body never completes
      await expect(res.text()).rejects.toThrow()

      const created = emu.getBackend(SUB, RG, SERVICE, 'b1')
      expect(created?.contract.properties.url).toBe(single.url)
      const [put] = emu.armRequests()
      expect(put).toMatchObject({ status: 0, dropped: true, appliedStatus: 201 })
      expect(put.responseBytes).toBeGreaterThan(0)
      expect(put.responseBytes).toBeLessThan(announced)

      // the client's retry replaces what it does not know it created, with a new ETag
      const retry = await arm(emu, 'PUT', backendPath('b1'), {
        token,
        body: { properties: single }
      })
      expect(retry.status).toBe(200)
      expect(retry.headers.get('etag')).not.toBe(created?.etag)
    })

    it('cuts an answer without a body before its headers (reconnect 202)', async () => {
      emu.putBackend(SUB, RG, SERVICE, 'b1', single)
      emu.injectFault({ kind: 'drop-after-apply', method: 'POST', path: /reconnect$/ })
      await expect(arm(emu, 'POST', `${backendPath('b1')}/reconnect`, { token })).rejects.toThrow()
      expect(emu.armRequests()[0]).toMatchObject({
        status: 0,
        dropped: true,
        appliedStatus: 202,
        responseBytes: 0
      })
    })

    it('the SDK sees a failed body read (PARSE_ERROR), which its retry policy does not retry', async () => {
      const client = sdkClient(emu)
      emu.injectFault({ kind: 'drop-after-apply', method: 'PUT', path: /\/backends\/sdk$/ })
      await expect(client.backend.createOrUpdate(RG, SERVICE, 'sdk', single)).rejects.toMatchObject(
        { name: 'RestError', code: 'PARSE_ERROR' }
      )
      expect(emu.armRequests().map((r) => [r.method, r.status, r.appliedStatus])).toEqual([
        ['PUT', 0, 201]
      ])
      expect(emu.getBackend(SUB, RG, SERVICE, 'sdk')).toBeDefined()
    })
  })

  describe("'slow' faults", () => {
    it('answers normally, delayMs later', async () => {
      emu.injectFault({ kind: 'slow', delayMs: 150, method: 'PUT', path: /\/backends\/b1$/ })
      const start = performance.now()
      const res = await arm(emu, 'PUT', backendPath('b1'), { token, body: { properties: single } })
      expect(performance.now() - start).toBeGreaterThanOrEqual(140)
      expect(res.status).toBe(201)
      expect(emu.armRequests()[0]).toMatchObject({ status: 201 })
    })

    it('applies the request even when the client gives up first, and survives the disconnect', async () => {
      emu.injectFault({ kind: 'slow', delayMs: 2000, method: 'PUT', path: /\/backends\/b1$/ })
      await expect(
        fetch(`${emu.url}${backendPath('b1')}?api-version=2024-05-01`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ properties: single }),
          signal: AbortSignal.timeout(100)
        })
      ).rejects.toThrow()
      // the write happened although the client never heard of it
      expect(emu.getBackend(SUB, RG, SERVICE, 'b1')).toBeDefined()
      // the emulator notices the disconnect instead of waiting the full 2 s
      await until(() => emu.armRequests()[0]?.clientClosed === true, 1500)
      expect(emu.armRequests()[0]).toMatchObject({ status: 201, responseBytes: 0 })
      // and keeps serving
      const res = await arm(emu, 'GET', backendPath('b1'), { token })
      expect(res.status).toBe(200)
    })
  })

  describe('byte counts', () => {
    it('records request and response body bytes (not characters, not headers)', async () => {
      const body = JSON.stringify({ properties: { ...single, description: 'café ☕' } })
      const put = await arm(emu, 'PUT', backendPath('b1'), { token, body })
      const head = await arm(emu, 'HEAD', backendPath('b1'), { token })
      expect(head.status).toBe(200)
      const [putRecord, headRecord] = emu.armRequests()
      expect(putRecord.requestBytes).toBe(Buffer.byteLength(body))
      expect(putRecord.requestBytes).toBeGreaterThan(body.length)
      expect(putRecord.responseBytes).toBe(Buffer.byteLength(put.text))
      expect(headRecord).toMatchObject({ requestBytes: 0, responseBytes: 0 })

      await getToken(emu)
      const tokenRecord = emu.tokenRequests()[0]
      expect(tokenRecord.requestBytes).toBeGreaterThan(0)
      expect(tokenRecord.responseBytes).toBeGreaterThan(500)
    })
  })
})
