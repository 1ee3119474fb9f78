// operation: export — the service's backends written as a backends file that `plan` reads back
// as unchanged: one listing (every page), secrets as ${NAME} references named in the log and the
// summary, the file inside the workspace, written whole, and an existing one replaced only when
// if-exists says so.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { runInProcess } from '../../scripts/run-in-process.js'
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
let workspace: string
beforeEach(() => {
  emulator = emu()
  workspace = mkdtempSync(join(tmpdir(), 'export-ws-'))
})

const put = (id: string, properties: Record<string, unknown>) =>
  emulator.putBackend(SUB, RG, SERVICE, id, properties)

/** Each secret the service holds, by the variable the export names for it. */
const SECRETS: Record<string, string> = {
  HEADERS_HEADER_X_API_KEY: 'header-secret-4711',
  HEADERS_HEADER_X_MULTI_1: 'multi-one-secret-4711',
  HEADERS_HEADER_X_MULTI_2: 'multi-two-secret-4711',
  HEADERS_QUERY_SIG: 'query-secret-4711',
  AUTHZ_AUTHORIZATION: 'authz-parameter-secret-4711',
  PROXIED_PROXY_PASSWORD: 'proxy-password-4711',
  LITERAL_URL_USERINFO: 'url-user:url-password-4711',
  LITERAL_URL_CODE: 'url-code-secret-4711'
}

const CERTS = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/certificates`

function putEveryShape(): void {
  put('plain', { url: 'https://plain.example.com', protocol: 'http' })
  put('described', {
    url: 'https://described.example.com/api',
    protocol: 'soap',
    title: 'Described',
    description: 'Two lines:\nthe second one.',
    resourceId:
      'https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/fn',
    tls: { validateCertificateChain: false, validateCertificateName: true }
  })
  put('headers', {
    url: 'https://headers.example.com',
    protocol: 'http',
    tls: { validateCertificateChain: false, validateCertificateName: false },
    credentials: {
      header: {
        'x-api-key': [SECRETS.HEADERS_HEADER_X_API_KEY],
        'x-multi': [SECRETS.HEADERS_HEADER_X_MULTI_1, SECRETS.HEADERS_HEADER_X_MULTI_2]
      },
      query: { sig: [SECRETS.HEADERS_QUERY_SIG] },
      certificate: null,
      certificateIds: []
    }
  })
  put('authz', {
    url: 'https://authz.example.com',
    protocol: 'http',
    credentials: {
      authorization: { scheme: 'Bearer', parameter: SECRETS.AUTHZ_AUTHORIZATION },
      certificateIds: [`${CERTS}/client`],
      certificate: ['0123456789ABCDEF0123456789ABCDEF01234567']
    }
  })
  put('proxied', {
    url: 'https://proxied.example.com',
    protocol: 'http',
    proxy: {
      url: 'http://proxy.example.com:8080',
      username: 'proxy-user',
      password: SECRETS.PROXIED_PROXY_PASSWORD
    }
  })
  put('fabric', {
    url: 'fabric:/shop/orders',
    protocol: 'http',
    properties: {
      serviceFabricCluster: {
        managementEndpoints: ['https://sf.example.com:19080'],
        clientCertificateId: `${CERTS}/sf`,
        maxPartitionResolutionRetries: 5,
        serverX509Names: [{ name: 'sf.example.com', issuerCertificateThumbprint: 'ABCDEF' }]
      }
    }
  })
  put('breaker', {
    url: 'https://breaker.example.com',
    protocol: 'http',
    circuitBreaker: {
      rules: [
        {
          name: 'trip-on-5xx',
          failureCondition: {
            count: 3,
            interval: 'PT1M',
            statusCodeRanges: [{ min: 500, max: 599 }],
            errorReasons: ['timeout']
          },
          tripDuration: 'PT30S',
          acceptRetryAfter: true
        }
      ]
    }
  })
  put('pooled', {
    type: 'Pool',
    description: 'Two members',
    pool: {
      services: [
        { id: backendPath('plain'), weight: 50, priority: 1 },
        { id: backendPath('headers') }
      ]
    }
  })
  put('literal', {
    url: `https://${SECRETS.LITERAL_URL_USERINFO}@literal.example.com/api?code=${SECRETS.LITERAL_URL_CODE}&v=1`,
    protocol: 'http',
    title: 'Costs ${NOT_A_VARIABLE} and $${twice}'
  })
}

const exportStep = (extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runInProcess(
    {
      operation: 'export',
      ...TARGET,
      ...secretSignIn(emulator),
      'export-file': 'apim/backends.yml',
      ...extra
    },
    { GITHUB_WORKSPACE: workspace, ...env }
  )

const exported = () => readFileSync(join(workspace, 'apim', 'backends.yml'), 'utf8')

/** The order the service lists them in (the emulator's: by name), which the file keeps. */
const ORDER = [
  'authz',
  'breaker',
  'described',
  'fabric',
  'headers',
  'literal',
  'plain',
  'pooled',
  'proxied'
]

describe('operation: export', () => {
  it('writes every backend as an item, secrets as ${NAME}, from one listing', async () => {
    putEveryShape()
    const outcome = await exportStep()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('exported')
    expect(armCalls(emulator)).toEqual(['GET /backends'])

    const text = exported()
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value)
    for (const name of Object.keys(SECRETS)) expect(text).toContain(`\${${name}}`)
    expect(text).toMatch(/^# Backends of the API Management service /)

    const items = parse(text) as Record<string, unknown>[]
    expect(items.map((i) => i['backend-id'])).toEqual(ORDER)
    const item = (id: string) => items.find((i) => i['backend-id'] === id)!
    expect(item('plain')).toEqual({
      'backend-id': 'plain',
      url: 'https://plain.example.com',
      protocol: 'http'
    })
    expect(item('described')).toEqual({
      'backend-id': 'described',
      url: 'https://described.example.com/api',
      protocol: 'soap',
      title: 'Described',
      description: 'Two lines:\nthe second one.',
      'resource-id':
        'https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/fn',
      'skip-certificate-chain-validation': 'true'
    })
    expect(item('headers')['backend-credentials']).toEqual({
      header: {
        'x-api-key': '${HEADERS_HEADER_X_API_KEY}',
        'x-multi': ['${HEADERS_HEADER_X_MULTI_1}', '${HEADERS_HEADER_X_MULTI_2}']
      },
      query: { sig: '${HEADERS_QUERY_SIG}' }
    })
    expect(item('proxied').proxy).toEqual({
      url: 'http://proxy.example.com:8080',
      username: 'proxy-user',
      password: '${PROXIED_PROXY_PASSWORD}'
    })
    // Pool members of this service as their backend ids; weight and priority kept.
    expect(item('pooled')).toEqual({
      'backend-id': 'pooled',
      description: 'Two members',
      pool: [{ id: 'plain', weight: 50, priority: 1 }, 'headers']
    })
    // A literal ${ is written as the file's escape.
    expect(item('literal').title).toBe('Costs $${NOT_A_VARIABLE} and $$${twice}')
    expect(item('literal').url).toBe(
      'https://${LITERAL_URL_USERINFO}@literal.example.com/api?code=${LITERAL_URL_CODE}&v=1'
    )

    // The log and the summary name each variable, with its backend and field; never a value.
    for (const name of Object.keys(SECRETS)) {
      expect(outcome.stdout).toContain(name)
      expect(outcome.summary).toContain(`<code>${name}</code>`)
    }
    expect(outcome.stdout).toContain(
      "  AUTHZ_AUTHORIZATION: backend 'authz', backend-credentials.authorization.parameter"
    )
    expect(outcome.summary).toContain(
      '<tr><td><code>PROXIED_PROXY_PASSWORD</code></td><td><code>proxied</code></td><td><code>proxy.password</code></td></tr>'
    )
    expect(outcome.summary).toContain(
      '<tr><td>Exported</td><td>9 backends to apim/backends.yml</td></tr>'
    )
    const results = JSON.parse(outcome.outputs.results) as {
      'backend-id': string
      secrets: string[]
    }[]
    expect(results.map((r) => r['backend-id'])).toEqual(ORDER)
    expect(results[ORDER.indexOf('headers')].secrets).toEqual([
      'HEADERS_HEADER_X_API_KEY',
      'HEADERS_HEADER_X_MULTI_1',
      'HEADERS_HEADER_X_MULTI_2',
      'HEADERS_QUERY_SIG'
    ])
    // Written whole: no temporary file left beside it.
    expect(readdirSync(join(workspace, 'apim'))).toEqual(['backends.yml'])
  })

  it('round trip: plan with the exported file and its variables reports every backend unchanged', async () => {
    putEveryShape()
    expect((await exportStep()).failure).toBeUndefined()
    const outcome = await runInProcess(
      {
        operation: 'plan',
        ...TARGET,
        ...secretSignIn(emulator),
        backends: 'apim/backends.yml',
        'fail-on-changes': 'true'
      },
      { GITHUB_WORKSPACE: workspace, ...SECRETS }
    )
    expect(outcome.failure).toBeUndefined()
    const results = JSON.parse(outcome.outputs.results) as {
      'backend-id': string
      result: string
    }[]
    expect(results).toEqual(
      ORDER.map((id) => ({ 'backend-id': id, result: 'unchanged', changes: [] }))
    )
    expect(outcome.outputs['has-changes']).toBe('false')
  })

  it('an existing file: refused before any request without if-exists: replace; replaced with it; left with skip', async () => {
    put('plain', { url: 'https://plain.example.com', protocol: 'http' })
    mkdirSync(join(workspace, 'apim'))
    writeFileSync(join(workspace, 'apim', 'backends.yml'), 'old\n')
    const refused = await exportStep()
    expect(refused.failure).toContain(
      "Input 'export-file': 'apim/backends.yml' exists; set if-exists: replace to replace it"
    )
    expect(emulator.armRequests()).toEqual([])
    expect(exported()).toBe('old\n')

    const skipped = await exportStep({ 'if-exists': 'skip' })
    expect(skipped.failure).toBeUndefined()
    expect(skipped.outputs.result).toBe('skipped')
    expect(emulator.armRequests()).toEqual([])
    expect(exported()).toBe('old\n')

    const replaced = await exportStep({ 'if-exists': 'replace' })
    expect(replaced.failure).toBeUndefined()
    expect(replaced.outputs.result).toBe('exported')
    expect(parse(exported())).toEqual([
      { 'backend-id': 'plain', url: 'https://plain.example.com', protocol: 'http' }
    ])
  })

  it('a failed listing leaves the old file as it was, and no temporary file', async () => {
    put('plain', { url: 'https://plain.example.com', protocol: 'http' })
    mkdirSync(join(workspace, 'apim'))
    writeFileSync(join(workspace, 'apim', 'backends.yml'), 'old\n')
    emulator.injectFault({
      method: 'GET',
      path: /\/backends/,
      status: 403,
      code: 'AuthorizationFailed'
    })
    const outcome = await exportStep({ 'if-exists': 'replace' })
    expect(outcome.failure).toContain("Listing the backends of 'apimService1' failed")
    expect(readdirSync(join(workspace, 'apim'))).toEqual(['backends.yml'])
    expect(exported()).toBe('old\n')
  })

  it('fields no item key holds are named in a warning: the file would not read back as they are', async () => {
    put('orders', {
      url: 'https://orders.example.com',
      protocol: 'http',
      azureRegion: 'westeurope'
    })
    const outcome = await exportStep()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.stdout).toContain(
      "::warning::backend 'orders': azureRegion has no key in a backends file and is not exported; a plan of the file will show it changed."
    )
  })

  it('a service without backends: an empty list, and a warning that plan refuses it', async () => {
    const outcome = await exportStep()
    expect(outcome.failure).toBeUndefined()
    expect(parse(exported())).toEqual([])
    expect(outcome.stdout).toContain('::warning::apimService1 has no backends')
    expect(outcome.summary).toContain('<tr><td>Secrets in the file</td><td>none</td></tr>')
  })

  it('a path outside the workspace is refused before any request', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'export-outside-'))
    for (const path of ['../elsewhere.yml', join(outside, 'backends.yml')]) {
      const outcome = await exportStep({ 'export-file': path })
      expect(outcome.failure).toContain("Input 'export-file':")
      expect(outcome.failure).toContain('is outside the workspace')
    }
    // Links out of the workspace: a directory, and a file (with if-exists: replace).
    symlinkSync(outside, join(workspace, 'out-dir'))
    writeFileSync(join(outside, 'target.yml'), 'kept\n')
    symlinkSync(join(outside, 'target.yml'), join(workspace, 'out-file.yml'))
    for (const path of ['out-dir/backends.yml', 'out-file.yml']) {
      const outcome = await exportStep({ 'export-file': path, 'if-exists': 'replace' })
      expect(outcome.failure).toContain('is outside the workspace')
    }
    expect(emulator.armRequests()).toEqual([])
    expect(existsSync(join(outside, 'backends.yml'))).toBe(false)
    expect(readFileSync(join(outside, 'target.yml'), 'utf8')).toBe('kept\n')
    const none = await exportStep({ 'export-file': '' })
    expect(none.failure).toContain("Input 'export-file': is required for operation export")
  })

  it('many backends across several list pages: all exported, in order', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `b${String(i).padStart(3, '0')}`)
    for (const id of ids) put(id, { url: `https://${id}.example.com`, protocol: 'http' })
    const outcome = await exportStep()
    expect(outcome.failure).toBeUndefined()
    expect(armCalls(emulator)).toEqual(['GET /backends', 'GET /backends', 'GET /backends'])
    const items = parse(exported()) as { 'backend-id': string }[]
    expect(items.map((i) => i['backend-id'])).toEqual(ids)
  })
})
