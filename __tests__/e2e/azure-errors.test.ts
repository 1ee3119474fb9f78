// What a workflow author reads when Azure says no: one line with the HTTP status, the ARM error
// code and message, the correlation id and a hint.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  CLIENT_ID,
  CLIENT_SECRET,
  RG,
  SERVICE,
  SUB,
  TARGET,
  TENANT_ID,
  endpoints,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const READ_ONLY_CLIENT = '33333333-3333-3333-3333-333333333333'
const emu = useEmulator({
  clients: [
    { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    { clientId: READ_ONLY_CLIENT, clientSecret: 'reader-secret-4711', canWrite: false }
  ]
})
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const create = (extra: Record<string, string> = {}) =>
  runInProcess({
    operation: 'create',
    ...TARGET,
    ...secretSignIn(emulator),
    'backend-id': 'orders',
    url: 'https://orders.example.com',
    protocol: 'http',
    'backend-credentials': 'authorization: {scheme: Basic, parameter: basic-secret-4711}',
    ...extra
  })
const PUT = /\/backends\/orders$/

describe('Azure errors', () => {
  it('401: the token is refused', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: PUT,
      status: 401,
      code: 'InvalidAuthenticationToken',
      message: 'The access token is invalid.'
    })
    const outcome = await create()
    expect(outcome.failure).toMatch(
      /^Creating backend 'orders' failed: HTTP 401 InvalidAuthenticationToken: The access token is invalid\. Correlation id: [0-9a-f-]{36}\. Hint: the principal 11111111-1111-1111-1111-111111111111 needs a role assignment on the API Management service 'apimService1'/
    )
  })

  it('403: the principal has no role that allows writes', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...endpoints(emulator),
      'client-id': READ_ONLY_CLIENT,
      'tenant-id': TENANT_ID,
      'client-secret': 'reader-secret-4711',
      'backend-id': 'orders',
      url: 'https://orders.example.com',
      protocol: 'http'
    })
    expect(outcome.failure).toMatch(
      /^Creating backend 'orders' failed: HTTP 403 AuthorizationFailed: The client '33333333-3333-3333-3333-333333333333'/
    )
    expect(outcome.failure).toContain(
      'Hint: the principal 33333333-3333-3333-3333-333333333333 needs a role assignment'
    )
    expect(outcome.failure).toContain("'API Management Service Contributor'")
    expectNoSecrets(outcome, ['reader-secret-4711'])
  })

  it('404 on create: the service is missing, not the backend', async () => {
    const outcome = await create({ 'resource-group': 'rg-typo' })
    expect(outcome.failure).toMatch(
      /^Creating backend 'orders' failed: HTTP 404 ResourceGroupNotFound: /
    )
    expect(outcome.failure).toContain(
      "Hint: the API Management service 'apimService1' (resource group 'rg-typo'"
    )
  })

  it('400 whose message quotes the secrets encoded (HTML, %xx, twice, Basic) shows none of them', async () => {
    const basicPassword = 'B4sic-pw&1'
    const parameter = Buffer.from(`orders:${basicPassword}`).toString('base64')
    const header = `h&k<y>"q'1`
    const proxy = { username: 'svc-apim', password: 'pr0xy/pw:1' }
    const html = header.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())
    const quoted = [
      `header ${html.replace(/"/g, '&quot;').replace(/'/g, '&#39;')}`,
      `header ${html.replace(/"/g, '&#34;').replace(/'/g, '&#x27;')}`,
      `proxy ${lower(encodeURIComponent(proxy.password))}`,
      `proxy ${encodeURIComponent(encodeURIComponent(proxy.password))}`,
      `Proxy-Authorization: Basic ${Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64')}`,
      `user orders:${basicPassword}`,
      `password ${basicPassword}`
    ]
    emulator.injectFault({
      method: 'PUT',
      path: PUT,
      status: 400,
      code: 'ValidationError',
      message: `Rejected: ${quoted.join('; ')}.`
    })
    const outcome = await create({
      'backend-credentials': JSON.stringify({
        header: { 'x-key': [header] },
        authorization: { scheme: 'Basic', parameter }
      }),
      proxy: JSON.stringify({ url: 'http://proxy.example.com:3128', ...proxy })
    })
    expect(outcome.failure).toContain(
      'ValidationError: Rejected: header ***; header ***; proxy ***; proxy ***; Proxy-Authorization: Basic ***; user ***; password ***.'
    )
    expectNoSecrets(outcome, [
      basicPassword,
      `orders:${basicPassword}`,
      header,
      proxy.password,
      `${proxy.username}:${proxy.password}`
    ])
  })

  it('409: a conflicting change', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: PUT,
      status: 409,
      code: 'Conflict',
      message: 'Another operation is in progress on the backend.'
    })
    const outcome = await create()
    expect(outcome.failure).toMatch(
      /HTTP 409 Conflict: Another operation is in progress on the backend\. Correlation id: .* Hint: backend 'orders' was changed by someone else while this step ran/
    )
  })

  it('412: someone changed the backend between the read and the write; nothing is overwritten', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://old.example.com',
      protocol: 'http'
    })
    emulator.changeBackendAfterNextGet('orders')
    const before = emulator.getBackend(SUB, RG, SERVICE, 'orders')
    const outcome = await create({ 'if-exists': 'replace' })
    expect(outcome.failure).toMatch(
      /^Replacing backend 'orders' failed: HTTP 412 PreconditionFailed: .* Hint: backend 'orders' was changed by someone else while this step ran \(its ETag no longer matches\), so nothing was overwritten; re-run the step\.$/
    )
    const after = emulator.getBackend(SUB, RG, SERVICE, 'orders')!
    expect(after.contract.properties.url).toBe('https://old.example.com')
    expect(after.etag).not.toBe(before!.etag)
  })

  it('429: Azure throttles; the SDK honours Retry-After and the message says how often it retried', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: PUT,
      status: 429,
      code: 'TooManyRequests',
      message: 'Rate limit exceeded.',
      headers: { 'Retry-After': '0' },
      times: 4
    })
    const outcome = await create()
    expect(outcome.failure).toMatch(
      /HTTP 429 TooManyRequests: Rate limit exceeded\. Correlation id: .* Hint: Azure is throttling requests \(retried 3 times\); wait and re-run the step\.$/
    )
    expect(emulator.armRequests().filter((r) => r.method === 'PUT')).toHaveLength(4)
  })

  it('503 that clears up: the retry succeeds and the step passes', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: PUT,
      status: 503,
      code: 'ServiceUnavailable',
      message: 'Try again.',
      headers: { 'Retry-After': '0' },
      times: 1
    })
    const outcome = await create()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
  })

  it('5xx: Azure keeps failing', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: PUT,
      status: 503,
      code: 'ServiceUnavailable',
      message: 'The service is unavailable.',
      headers: { 'Retry-After': '0' },
      times: 4
    })
    const outcome = await create()
    expect(outcome.failure).toMatch(
      /HTTP 503 ServiceUnavailable: The service is unavailable\. Correlation id: .* Hint: Azure failed to answer \(retried 3 times\); this is on Azure's side, re-run the step\.$/
    )
    expect(outcome.summary).toContain('failed')
  })

  it('an Azure message that echoes the request body has its secrets redacted', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: PUT,
      status: 400,
      code: 'ValidationError',
      message: 'Invalid credentials {authorization: Basic basic-secret-4711}'
    })
    const outcome = await create()
    expect(outcome.failure).toContain('Invalid credentials {authorization: Basic ***}')
    expectNoSecrets(outcome, ['basic-secret-4711', CLIENT_SECRET])
  })
})
