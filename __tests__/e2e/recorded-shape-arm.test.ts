// The action against a small ARM stand-in that answers as the recordings show
// (explicit nulls, pretty-printed bodies with \r\n, PATCH that replaces nested objects and may
// answer 204), independent of the project's emulator (used here only for the Entra sign-in).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:https'
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { runInProcess } from '../../scripts/run-in-process.js'
import { runDist } from '../../scripts/runner.js'
import { useEmulator } from '../helpers/use-emulator.js'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  RG,
  SERVICE,
  SUB,
  TENANT_ID,
  type ApimEmulator
} from '../helpers/scenario.js'

interface Stored {
  etag: string
  properties: Record<string, unknown>
}
interface Seen {
  method: string
  path: string
  body: string
  headers: Record<string, unknown>
}

class RealShapedArm {
  backends = new Map<string, Stored>()
  seen: Seen[] = []
  patchAnswer: 200 | 204 = 204
  /** per-answer tweak of properties (what the live service adds) */
  decorate: (p: Record<string, unknown>) => Record<string, unknown> = (p) => ({ title: null, ...p })
  server!: Server
  url = ''
  async start() {
    this.server = createServer(
      { cert: readFileSync('.emulator/cert.pem'), key: readFileSync('.emulator/key.pem') },
      (req, res) => {
        let body = ''
        req.on('data', (c) => (body += c))
        req.on('end', () => this.handle(req.method!, req.url!, body, req.headers, res))
      }
    )
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }
  stop() {
    this.server.close()
    this.server.closeAllConnections()
  }
  reset() {
    this.backends.clear()
    this.seen = []
    this.patchAnswer = 204
  }
  private answer(
    res: import('node:http').ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {}
  ) {
    const text = body === undefined ? '' : JSON.stringify(body, null, 2).replace(/\n/g, '\r\n')
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-correlation-request-id': randomUUID(),
      ...headers,
      'content-length': Buffer.byteLength(text)
    })
    res.end(text)
  }
  resource(id: string, s: Stored) {
    return {
      id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/backends/${id}`,
      type: 'Microsoft.ApiManagement/service/backends',
      name: id,
      properties: this.decorate(structuredClone(s.properties))
    }
  }
  private handle(
    method: string,
    rawUrl: string,
    body: string,
    headers: Record<string, unknown>,
    res: import('node:http').ServerResponse
  ) {
    const u = new URL(rawUrl, 'https://x')
    this.seen.push({ method, path: u.pathname, body, headers })
    const m = /\/service\/([^/]+)(?:\/backends(?:\/([^/]+))?)?$/i.exec(u.pathname)
    if (!m) return this.answer(res, 404, { error: { code: 'NotFound', message: 'no' } })
    const idRaw = m[2] && decodeURIComponent(m[2])
    if (!idRaw) {
      if (/\/backends$/i.test(u.pathname))
        return this.answer(res, 200, {
          value: [...this.backends.entries()].map(([k, v]) => this.resource(k, v)),
          count: this.backends.size
        })
      return this.answer(res, 200, { id: 'svc', name: SERVICE, properties: {} })
    }
    const key = idRaw.toLowerCase()
    const cur = this.backends.get(key)
    const notFound = () =>
      this.answer(res, 404, {
        error: { code: 'ResourceNotFound', message: 'Backend not found.', details: null }
      })
    const etag = () => `"${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}"`
    if (method === 'GET' || method === 'HEAD') {
      if (!cur) return notFound()
      return this.answer(res, 200, method === 'HEAD' ? undefined : this.resource(idRaw, cur), {
        etag: cur.etag
      })
    }
    if (method === 'PUT') {
      if (headers['if-none-match'] === '*' && cur)
        return this.answer(res, 412, {
          error: {
            code: 'PreconditionFailed',
            message: 'Resource was modified since last retrieval.',
            details: null
          }
        })
      if (headers['if-match'] && headers['if-match'] !== '*' && cur?.etag !== headers['if-match'])
        return this.answer(res, 412, {
          error: {
            code: 'PreconditionFailed',
            message: 'Resource was modified since last retrieval.',
            details: null
          }
        })
      const props = (JSON.parse(body) as { properties: Record<string, unknown> }).properties
      const s = { etag: etag(), properties: props }
      this.backends.set(key, s)
      return this.answer(res, cur ? 200 : 201, this.resource(idRaw, s), { etag: s.etag })
    }
    if (method === 'PATCH') {
      if (!cur) return notFound()
      if (headers['if-match'] !== '*' && cur.etag !== headers['if-match'])
        return this.answer(res, 412, {
          error: {
            code: 'PreconditionFailed',
            message: 'Resource was modified since last retrieval.',
            details: null
          }
        })
      const props = (JSON.parse(body) as { properties: Record<string, unknown> }).properties
      // A service that replaces each top-level property it is sent.
      const s = { etag: etag(), properties: { ...cur.properties, ...props } }
      this.backends.set(key, s)
      return this.patchAnswer === 204
        ? this.answer(res, 204, undefined, { etag: s.etag })
        : this.answer(res, 200, this.resource(idRaw, s), { etag: s.etag })
    }
    if (method === 'DELETE') {
      if (!cur) return this.answer(res, 204)
      this.backends.delete(key)
      return this.answer(res, 200)
    }
    if (method === 'POST') return this.answer(res, 202)
    return this.answer(res, 405)
  }
  bodiesOf(method: string) {
    return this.seen.filter((s) => s.method === method).map((s) => JSON.parse(s.body))
  }
  calls() {
    return this.seen.map((s) => `${s.method} ${s.path.replace(/.*\/service\/[^/]+/, '')}`)
  }
}

const emu = useEmulator()
let emulator: ApimEmulator
const arm = new RealShapedArm()
beforeAll(() => arm.start())
afterAll(() => arm.stop())
beforeEach(() => {
  emulator = emu()
  arm.reset()
})

const base = () => ({
  'subscription-id': SUB,
  'resource-group': RG,
  'service-name': SERVICE,
  'client-id': CLIENT_ID,
  'tenant-id': TENANT_ID,
  'client-secret': CLIENT_SECRET,
  'arm-endpoint': arm.url,
  'authority-host': emulator.url
})
const step = (inputs: Record<string, string>) => runInProcess({ ...base(), ...inputs })

/**
 * The live service has one client-certificate thumbprint field: it reads the spec's
 * `clientCertificatethumbprint` (lower-case t; its JSON reader ignores case) and answers it as
 * `clientCertificateThumbprint` (capital T), filled from clientCertificateId when that is given
 * (azure-sdk-for-net SessionRecords/BackendTests/ServiceFabricCreateUpdateDelete.json).
 */
const sfAsAnswered = (p: Record<string, unknown>) => {
  const out = structuredClone({ title: null, ...p }) as {
    properties?: { serviceFabricCluster?: Record<string, unknown> }
  }
  const sf = out.properties?.serviceFabricCluster
  if (sf && 'clientCertificatethumbprint' in sf) {
    sf.clientCertificateThumbprint = sf.clientCertificatethumbprint
    delete sf.clientCertificatethumbprint
  }
  return out
}
const SF = { 'backend-id': 'sf', url: 'fabric:/mytestapp/mytestservice', protocol: 'http' }
const CLUSTER = {
  managementEndpoints: ['https://cluster.example:19080'],
  clientCertificatethumbprint: 'EBA029198AA3E76EF0D70482626E5BCF148594A6',
  maxPartitionResolutionRetries: 5,
  serverX509Names: [{ name: 'ServerCommonName1', issuerCertificateThumbprint: 'IssuerThumb1' }]
}

describe('Service Fabric client certificate given by thumbprint (answered with a capital T)', () => {
  beforeEach(() => {
    arm.decorate = sfAsAnswered
  })

  it('an identical replace writes nothing', async () => {
    const inputs = {
      operation: 'create',
      ...SF,
      'service-fabric-cluster': JSON.stringify(CLUSTER),
      'if-exists': 'replace'
    }
    const first = await step(inputs)
    expect(first.outputs.result).toBe('created')
    const again = await step(inputs)
    expect(again.failure).toBeUndefined()
    expect(JSON.parse(again.outputs.changes)).toEqual([])
    expect(again.outputs.result).toBe('unchanged')
  })

  it('an update of another cluster field keeps the thumbprint', async () => {
    expect(
      (
        await step({
          operation: 'create',
          ...SF,
          'service-fabric-cluster': JSON.stringify(CLUSTER)
        })
      ).outputs.result
    ).toBe('created')
    const updated = await step({
      operation: 'update',
      'backend-id': 'sf',
      'service-fabric-cluster': JSON.stringify({
        managementEndpoints: CLUSTER.managementEndpoints,
        maxPartitionResolutionRetries: 7
      })
    })
    expect(updated.failure).toBeUndefined()
    expect(updated.outputs.result).toBe('updated')
    // What the PATCH sent for the cluster: every field it had, the certificate included.
    const sent = arm.bodiesOf('PATCH')[0].properties.properties.serviceFabricCluster
    expect(sent.maxPartitionResolutionRetries).toBe(7)
    expect(sent.clientCertificatethumbprint ?? sent.clientCertificateThumbprint).toBe(
      CLUSTER.clientCertificatethumbprint
    )
  })
})

describe('the same through dist/index.js, as the runner runs it', () => {
  it('an identical replace of a Service Fabric backend with a thumbprint writes nothing', async () => {
    arm.decorate = sfAsAnswered
    const inputs = {
      ...base(),
      operation: 'create',
      ...SF,
      'service-fabric-cluster': JSON.stringify(CLUSTER),
      'if-exists': 'replace'
    }
    const first = await runDist(inputs, {}, emulator.certPath)
    expect(first.outputs.result).toBe('created')
    const again = await runDist(inputs, {}, emulator.certPath)
    expect(again.code).toBe(0)
    expect(again.outputs.result).toBe('unchanged')
    expect(arm.calls().filter((c) => c.startsWith('PUT'))).toHaveLength(1)
  })
})
