// Replays every official 2024-05-01 backend example against the emulator: the request is built
// from the example's parameters and the operation the spec links it to, and the answer must have
// the example's status and shape. The examples are verbatim copies in __tests__/fixtures/apim-spec
// when they are missing these tests fail and say so, they never skip.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { ApimEmulator } from '../../emulator/server.js'
import { getToken, send } from './helpers.js'

const SPEC_DIR = path.resolve(process.cwd(), '__tests__/fixtures/apim-spec/2024-05-01')
const EXAMPLES_DIR = path.join(SPEC_DIR, 'examples')
const EXPECTED_EXAMPLES = [
  'ApiManagementBackendReconnect.json',
  'ApiManagementCreateBackendProxyBackend.json',
  'ApiManagementCreateBackendServiceFabric.json',
  'ApiManagementCreateBackendWithPriorityBasedLoadBalancer.json',
  'ApiManagementDeleteBackend.json',
  'ApiManagementGetBackend.json',
  'ApiManagementHeadBackend.json',
  'ApiManagementListBackends.json',
  'ApiManagementUpdateBackend.json'
]

interface Example {
  parameters: Record<string, unknown> & { parameters?: { properties: Record<string, unknown> } }
  responses: Record<string, { body?: Record<string, unknown>; headers?: Record<string, string> }>
}

function readJson<T>(file: string): T {
  if (!existsSync(file)) {
    throw new Error(
      `Official APIM spec file missing: ${file}. The replay tests read the verbatim copies in ` +
        `__tests__/fixtures/apim-spec/2024-05-01 (see SOURCES.md there). Restore them from ` +
        `Azure/azure-rest-api-specs; these tests must not be skipped.`
    )
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

const example = (name: string) => readJson<Example>(path.join(EXAMPLES_DIR, name))

/** example file → HTTP method and path template, from the spec's x-ms-examples links. */
function operationsByExample(): Map<string, { method: string; template: string }> {
  const spec = readJson<{
    paths: Record<string, Record<string, { 'x-ms-examples'?: Record<string, { $ref: string }> }>>
  }>(path.join(SPEC_DIR, 'apimbackends.json'))
  const map = new Map<string, { method: string; template: string }>()
  for (const [template, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      for (const ref of Object.values(op['x-ms-examples'] ?? {})) {
        map.set(path.basename(ref.$ref), { method: method.toUpperCase(), template })
      }
    }
  }
  return map
}

/** Keys and value types, recursively: what "the same shape" means for a response body. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])])
    )
  }
  return value === null ? 'null' : typeof value
}

/**
 * The official examples leave `title` out of Single backends' answers, while the live service
 * answers `"title": null` (__tests__/fixtures/recordings/, e.g. azure-sdk-for-js
 * recording_backend_create_test1.json). Where the two disagree the emulator follows the live
 * service (docs/backend-contract.md "Real traffic"), so the expected bodies get that null too.
 */
function live<T>(body: T): T {
  const b = structuredClone(body) as { properties?: Record<string, unknown> }
  if (b.properties && !('title' in b.properties)) b.properties = { title: null, ...b.properties }
  return b as T
}

describe('official 2024-05-01 backend examples', () => {
  let emu: ApimEmulator
  let token: string

  beforeAll(async () => {
    emu = await ApimEmulator.start()
    token = await getToken(emu)
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  function seed(id: string, exampleName: string): void {
    const props = example(exampleName).parameters.parameters!.properties
    emu.putBackend('00000000-0000-0000-0000-000000000000', 'rg1', 'apimService1', id, props)
  }

  async function replay(name: string) {
    const op = operationsByExample().get(name)
    if (!op) throw new Error(`${name} is not linked from apimbackends.json x-ms-examples`)
    const ex = example(name)
    const p = ex.parameters
    const urlPath = op.template.replace(/\{(\w+)\}/g, (_, key: string) =>
      encodeURIComponent(String(p[key]))
    )
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (typeof p['If-Match'] === 'string') headers['if-match'] = p['If-Match']
    if (p.parameters) headers['content-type'] = 'application/json'
    const request = () =>
      send(`${emu.url}${urlPath}?api-version=${String(p['api-version'])}`, {
        method: op.method,
        headers,
        body: p.parameters ? JSON.stringify(p.parameters) : undefined
      })
    return { ex, request }
  }

  it('has every example this suite replays', () => {
    const present = existsSync(EXAMPLES_DIR) ? readdirSync(EXAMPLES_DIR) : []
    const missing = EXPECTED_EXAMPLES.filter((f) => !present.includes(f))
    if (missing.length) {
      throw new Error(`Missing official examples in ${EXAMPLES_DIR}: ${missing.join(', ')}`)
    }
    for (const name of present) expect(operationsByExample().has(name)).toBe(true)
  })

  it.each([
    'ApiManagementCreateBackendProxyBackend.json',
    'ApiManagementCreateBackendServiceFabric.json',
    'ApiManagementCreateBackendWithPriorityBasedLoadBalancer.json'
  ])('%s: PUT creates (201) then replaces (200) with the example shape', async (name) => {
    if (name.includes('LoadBalancer')) {
      for (const n of [1, 2, 3, 4]) {
        emu.putBackend(
          '00000000-0000-0000-0000-000000000000',
          'rg1',
          'apimService1',
          `backend-${n}`,
          {
            url: `https://backend-${n}.example.com`,
            protocol: 'http'
          }
        )
      }
    }
    const { ex, request } = await replay(name)
    for (const status of [201, 200]) {
      const res = await request()
      expect(res.status).toBe(status)
      expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9+/]+=*"$/)
      const expected = ex.responses[String(status)].body!
      expect(shape(res.json)).toEqual(shape(live(expected)))
      expect(res.json.id).toBe(expected.id)
      expect(res.json.name).toBe(expected.name)
      expect(res.json.type).toBe(expected.type)
    }
    // The proxy example's response contradicts its own request on tls; the others match exactly.
    if (!name.includes('Proxy')) {
      const res = await request()
      expect(res.json).toEqual(live(ex.responses['200'].body))
    }
  })

  it('ApiManagementGetBackend.json: GET answers 200, ETag and the example body', async () => {
    seed('sfbackend', 'ApiManagementCreateBackendServiceFabric.json')
    const { ex, request } = await replay('ApiManagementGetBackend.json')
    const res = await request()
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBeTruthy()
    expect(res.json).toEqual(live(ex.responses['200'].body))
  })

  it('ApiManagementHeadBackend.json: HEAD answers 200 with an ETag and no body', async () => {
    seed('sfbackend', 'ApiManagementCreateBackendServiceFabric.json')
    const { ex, request } = await replay('ApiManagementHeadBackend.json')
    const res = await request()
    expect(res.status).toBe(200)
    for (const header of Object.keys(ex.responses['200'].headers ?? {})) {
      expect(res.headers.get(header)).toBeTruthy()
    }
    expect(res.headers.get('etag')).toBe(
      emu.getBackend('00000000-0000-0000-0000-000000000000', 'rg1', 'apimService1', 'sfbackend')!
        .etag
    )
    expect(res.text).toBe('')
  })

  it('ApiManagementUpdateBackend.json: PATCH with If-Match * merges into the example body', async () => {
    seed('proxybackend', 'ApiManagementCreateBackendProxyBackend.json')
    const { ex, request } = await replay('ApiManagementUpdateBackend.json')
    const res = await request()
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBeTruthy()
    expect(shape(res.json)).toEqual(shape(live(ex.responses['200'].body)))
    expect(res.json).toEqual(live(ex.responses['200'].body))
  })

  it('ApiManagementBackendReconnect.json: POST answers 202 with no body', async () => {
    seed('proxybackend', 'ApiManagementCreateBackendProxyBackend.json')
    const { ex, request } = await replay('ApiManagementBackendReconnect.json')
    expect(Object.keys(ex.responses)).toEqual(['202'])
    const res = await request()
    expect(res.status).toBe(202)
    expect(res.text).toBe('')
  })

  it('ApiManagementDeleteBackend.json: DELETE answers 200, then 204 once gone', async () => {
    seed('sfbackend', 'ApiManagementCreateBackendServiceFabric.json')
    const { ex, request } = await replay('ApiManagementDeleteBackend.json')
    expect(Object.keys(ex.responses).sort()).toEqual(['200', '204'])
    const first = await request()
    expect(first.status).toBe(200)
    expect(first.text).toBe('')
    const second = await request()
    expect(second.status).toBe(204)
    expect(
      emu.getBackend('00000000-0000-0000-0000-000000000000', 'rg1', 'apimService1', 'sfbackend')
    ).toBeUndefined()
  })

  it('ApiManagementListBackends.json: GET lists with the example shape', async () => {
    seed('proxybackend', 'ApiManagementCreateBackendProxyBackend.json')
    seed('sfbackend', 'ApiManagementCreateBackendServiceFabric.json')
    const { ex, request } = await replay('ApiManagementListBackends.json')
    const res = await request()
    expect(res.status).toBe(200)
    const expected = ex.responses['200'].body! as { value: unknown[]; count: number }
    expect(shape(res.json.value)).toEqual(shape(expected.value.map(live)))
    expect(res.json.count).toBe(expected.count)
    expect(res.json.value.map((b: { id: string }) => b.id)).toEqual(
      expected.value.map((b) => (b as { id: string }).id)
    )
    // The example shows an empty nextLink on the last page; the emulator leaves it out.
    expect(res.json.nextLink ?? '').toBe('')
  })
})
