// The action's own response handling fed what the live service really answered: the recorded
// bodies in __tests__/fixtures/recordings/ (sources in SOURCES.md there), with their explicit
// nulls, and the recorded error envelopes. An identical write over a recorded backend must be
// no change; secrets in a recorded body must be redacted; a recorded error must reach the user.
import { describe, expect, it } from '@jest/globals'
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { redactBackend, type ArmBackend } from '../../src/azure/backend-json.js'
import { describeAzureError } from '../../src/azure/errors.js'
import { Traffic } from '../../src/azure/traffic.js'
import { holds } from '../../src/operations/shared/writes.js'
import { diff } from '../../src/operations/shared/diff.js'

const DIR = path.resolve(process.cwd(), '__tests__/fixtures/recordings')

interface Entry {
  RequestMethod: string
  RequestUri: string
  RequestBody: unknown
  StatusCode: number
  ResponseBody: unknown
}

const parse = (v: unknown) => (typeof v === 'string' ? (v === '' ? undefined : JSON.parse(v)) : v)
const entries = (file: string): Entry[] =>
  (JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as { Entries: Entry[] }).Entries
const props = (body: unknown) => (parse(body) as { properties: Record<string, unknown> }).properties

/** Each recorded PUT that created a backend, with the answers that show it unchanged since. */
function createdBackends(): {
  name: string
  input: Record<string, unknown>
  answers: ArmBackend[]
}[] {
  const js = [
    'azure-sdk-for-js/recording_backend_create_test1.json',
    'azure-sdk-for-js/recording_backend_create_test2.json'
  ].map((file) => {
    const [put] = entries(file)
    return { name: file, input: props(put.RequestBody), answers: [parse(put.ResponseBody)] }
  })
  const listed = entries('azure-sdk-for-js/recording_backend_list_test.json').flatMap(
    (e) => (parse(e.ResponseBody) as { value: ArmBackend[] }).value
  )
  js[0].answers.push(listed[0])
  js[1].answers.push(listed[1])
  const net = [
    'CreateListUpdateDelete.2022-08-01.json',
    'CreateListUpdateDelete.2019-12-01-preview.json'
  ].map((f) => {
    const all = entries(`azure-sdk-for-net/${f}`)
    const put = all[0]
    // Entries 1 and 4 are the GET and the list made before the PATCH (see the replay test).
    const list = (parse(all[4].ResponseBody) as { value: ArmBackend[] }).value
    return {
      name: f,
      input: props(put.RequestBody),
      answers: [parse(put.ResponseBody), parse(all[1].ResponseBody), list[0]]
    }
  })
  return [...js, ...net]
}

describe('recorded backend bodies through diff() and holds()', () => {
  it.each(createdBackends().map((b) => [b.name, b] as const))(
    '%s: an identical write over the recorded answer is no change (its "title": null is absent)',
    (_name, { input, answers }) => {
      for (const answer of answers) {
        expect(answer.properties!.title).toBeNull()
        expect(diff(answer.properties, input)).toEqual([])
        expect(holds(answer, input, true)).toBe(true)
      }
    }
  )

  it('the PATCH answered 200 at 2022-08-01 holds what the PATCH sent', () => {
    const all = entries('azure-sdk-for-net/CreateListUpdateDelete.2022-08-01.json')
    const patch = all.find((e) => e.RequestMethod === 'PATCH')!
    expect(patch.StatusCode).toBe(200)
    const answer = parse(patch.ResponseBody) as ArmBackend
    expect(holds(answer, props(patch.RequestBody), false)).toBe(true)
    // …and the backend as created still differs from it only in what was patched.
    expect(diff(props(all[0].ResponseBody), answer.properties).map((c) => c.path)).toEqual([
      'properties.description'
    ])
  })

  it('a PATCH may be answered 204 with no body (recorded at 2019-12-01-preview)', () => {
    const patch = entries('azure-sdk-for-net/CreateListUpdateDelete.2019-12-01-preview.json').find(
      (e) => e.RequestMethod === 'PATCH'
    )!
    expect([patch.StatusCode, patch.ResponseBody]).toEqual([204, ''])
  })

  // The service adds clientCertificateThumbprint (capital T; the spec spells the writable field
  // clientCertificatethumbprint) from the certificate that clientCertificateId names. A replace
  // with the same inputs then differs from the recorded answer by that field, unless diff() knows
  // it as service-filled.
  it('Service Fabric: an identical write over the recorded answer is no change (service-filled thumbprint)', () => {
    const [put] = entries('azure-sdk-for-net/ServiceFabricCreateUpdateDelete.2022-08-01.json')
    expect(diff(props(put.ResponseBody), props(put.RequestBody))).toEqual([])
  })

  it('a Pool answered with title, url and protocol null is no change from its input', () => {
    // The official example's shape (2024-05-01 ApiManagementCreateBackendWithPriorityBasedLoadBalancer.json).
    const services = [
      {
        id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/a/backends/b1',
        priority: 1
      }
    ]
    const input = { type: 'Pool', pool: { services } }
    const answer = { title: null, type: 'Pool', url: null, protocol: null, pool: { services } }
    expect(diff(answer, input)).toEqual([])
    // ArmBackend types url/protocol as string | undefined; the live service sends null.
    expect(holds({ properties: answer as unknown as ArmBackend['properties'] }, input, true)).toBe(
      true
    )
  })
})

describe('recorded backend bodies through redactBackend()', () => {
  it('hides the recorded credential values and keeps every other field, nulls included', () => {
    const [put] = entries('azure-sdk-for-net/CreateListUpdateDelete.2022-08-01.json')
    const recorded = parse(put.ResponseBody) as ArmBackend
    const shown = redactBackend(recorded)
    const leaves = (v: unknown): unknown[] =>
      Array.isArray(v)
        ? v.flatMap(leaves)
        : v !== null && typeof v === 'object'
          ? Object.values(v).flatMap(leaves)
          : [v]
    for (const secret of ['xx', 'bb', 'cc', 'val1', 'val2', 'opensemame']) {
      expect(leaves(shown)).not.toContain(secret)
    }
    const { credentials: _c, ...rest } = recorded.properties!
    const { credentials: _s, ...shownRest } = shown.properties!
    expect(shownRest).toEqual(rest)
    expect(shown.properties!.title).toBeNull()
    expect(Object.keys(shown.properties!.credentials!)).toEqual([
      'query',
      'header',
      'authorization'
    ])
  })
})

describe('recorded error envelopes through describeAzureError()', () => {
  const URL_ =
    'https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/backends/b1?api-version=2024-05-01'

  function described(status: number, bodyAsText: string, doing = "Creating backend 'b1'"): string {
    const request = createPipelineRequest({ url: URL_, method: 'PUT' })
    const headers = createHttpHeaders({ 'x-ms-correlation-request-id': 'corr-1' })
    const e = new RestError('the SDK’s own message', {
      statusCode: status,
      request,
      response: { status, headers, request, bodyAsText }
    })
    return describeAzureError(e, {
      doing,
      target: {
        subscriptionId: '00000000-0000-0000-0000-000000000000',
        resourceGroup: 'rg1',
        serviceName: 'apim1',
        backendId: 'b1'
      } as never,
      principal: 'the principal 11111111-1111-1111-1111-111111111111',
      traffic: new Traffic(),
      missing: 'backend'
    }).message
  }

  it('the recorded 404 with "details": null reads as the backend missing', () => {
    const notFound = entries('azure-sdk-for-net/CreateListUpdateDelete.2022-08-01.json').find(
      (e) => e.StatusCode === 404
    )!
    const text = described(404, notFound.ResponseBody as string, "Reading backend 'b1'")
    expect(text).toContain('HTTP 404 ResourceNotFound')
    expect(text).toContain('Backend not found.')
    expect(text).toContain('corr-1')
  })

  it.each([
    // Azure/azure-powershell#16868
    ['resourceId', 'Value should represent absolute http URL'],
    // Azure/bicep#14093
    ['protocol', 'Protocol is not supported'],
    // MicrosoftDocs/azure-docs#122455
    ['url', 'Url is not supported for backend pool.']
  ])('a recorded ValidationError shows its detail: %s "%s"', (target, detail) => {
    const body = {
      error: {
        code: 'ValidationError',
        message: 'One or more fields contain incorrect values:',
        details: [{ code: 'ValidationError', target, message: detail }]
      }
    }
    const text = described(400, JSON.stringify(body))
    expect(text).toContain('HTTP 400 ValidationError')
    expect(text).toContain(target)
    expect(text).toContain(detail.replace(/\.$/, ''))
  })
})
