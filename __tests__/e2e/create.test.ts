// A workflow step that creates a backend: the real SDK and identity code, over HTTPS, against
// the emulator.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  armCalls,
  backendPath,
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

const SECRETS = [
  'opensesame-4711',
  'hdr-value-4711',
  'query-value-4711',
  'proxy-password-4711',
  CLIENT_SECRET
]

describe('operation: create', () => {
  it('creates a backend with every parameter, and the PUT body carries exactly what was asked', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      url: 'https://orders.example.com/api',
      protocol: 'http',
      title: 'Orders API — 注文',
      description: 'Orders backend\nsecond line',
      'resource-id':
        'https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders',
      'skip-certificate-chain-validation': 'true',
      'skip-certificate-name-validation': 'false',
      'backend-credentials': [
        'authorization:',
        '  scheme: Basic',
        '  parameter: opensesame-4711',
        'header:',
        '  x-api-key: hdr-value-4711',
        'query:',
        '  code: [query-value-4711]',
        'certificateIds: [/subscriptions/x/certificates/c1]'
      ].join('\n'),
      proxy:
        '{"url": "http://192.168.1.1:8080", "username": "Contoso\\\\admin", "password": "proxy-password-4711"}',
      'service-fabric-cluster':
        'managementEndpoints: [https://sf.example.com:19080]\nclientCertificatethumbprint: EBA029198AA3E76EF0D70482626E5BCF148594A6\nmaxPartitionResolutionRetries: 5\nserverX509Names:\n  - name: ServerCommonName1\n    issuerCertificateThumbprint: IssuerCertificateThumbprint1'
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(outcome.outputs['backend-id']).toBe('orders')

    const put = emulator.armRequests().find((r) => r.method === 'PUT')!
    // None was found: create only, so a backend someone else created meanwhile is not overwritten.
    expect(put.headers['if-match']).toBeUndefined()
    expect(put.headers['if-none-match']).toBe('*')
    expect(JSON.parse(put.body)).toEqual({
      properties: {
        url: 'https://orders.example.com/api',
        protocol: 'http',
        title: 'Orders API — 注文',
        description: 'Orders backend\nsecond line',
        resourceId:
          'https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders',
        credentials: {
          authorization: { scheme: 'Basic', parameter: 'opensesame-4711' },
          header: { 'x-api-key': ['hdr-value-4711'] },
          query: { code: ['query-value-4711'] },
          certificateIds: ['/subscriptions/x/certificates/c1']
        },
        proxy: {
          url: 'http://192.168.1.1:8080',
          username: 'Contoso\\admin',
          password: 'proxy-password-4711'
        },
        properties: {
          serviceFabricCluster: {
            managementEndpoints: ['https://sf.example.com:19080'],
            clientCertificatethumbprint: 'EBA029198AA3E76EF0D70482626E5BCF148594A6',
            maxPartitionResolutionRetries: 5,
            serverX509Names: [
              {
                name: 'ServerCommonName1',
                issuerCertificateThumbprint: 'IssuerCertificateThumbprint1'
              }
            ]
          }
        },
        tls: { validateCertificateChain: false, validateCertificateName: true }
      }
    })

    // The output is the ARM resource shape, secrets replaced, and the ETag the service sent.
    const backend = JSON.parse(outcome.outputs.backend)
    expect(backend.id).toBe(backendPath('orders'))
    expect(backend.name).toBe('orders')
    expect(backend.type).toBe('Microsoft.ApiManagement/service/backends')
    expect(backend.properties.credentials.authorization).toEqual({
      scheme: 'Basic',
      parameter: '***'
    })
    expect(backend.properties.credentials.header).toEqual({ 'x-api-key': ['***'] })
    expect(backend.properties.credentials.query).toEqual({ code: ['***'] })
    expect(backend.properties.proxy.password).toBe('***')
    expect(backend.properties.typePropertiesType).toBeUndefined()
    expect(outcome.outputs.etag).toBe(emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag)

    // One token, one existence check, one write.
    expect(emulator.tokenRequests()).toHaveLength(1)
    expect(armCalls(emulator)).toEqual(['GET /backends/orders', 'PUT /backends/orders'])
    // Traceability: the run is in the user agent; the write's correlation id is in log and summary.
    expect(put.headers['user-agent']).toContain('apim-backend-action/')
    expect(put.headers['user-agent']).toContain('octo-org/octo-repo; run 4242')
    const correlation = put.headers['x-ms-correlation-request-id']
    expect(outcome.stdout).toContain(`x-ms-correlation-request-id: ${correlation}`)
    expect(outcome.summary).toContain(correlation)
    expect(outcome.summary).toContain('https://github.com/octo-org/octo-repo/actions/runs/4242')
    expect(outcome.summary).toContain('<td>created</td>')

    // Debug logging (RUNNER_DEBUG) shows each request body, secrets redacted.
    const debugPut = outcome.stdout.split('\n').find((l) => l.startsWith('::debug::--> PUT'))
    expect(debugPut).toContain('"parameter":"***"')
    for (const s of SECRETS) expect(outcome.stdout).toContain(`::add-mask::${s}`)
    expectNoSecrets(outcome, SECRETS)
  })

  it('generates a backend id when none is given, and reports it', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      url: 'https://a.example.com',
      protocol: 'soap'
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs['backend-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(
      emulator.getBackend(SUB, RG, SERVICE, outcome.outputs['backend-id'])!.contract.properties
    ).toEqual({
      url: 'https://a.example.com',
      protocol: 'soap'
    })
  })

  describe('when the backend already exists', () => {
    const inputs = () => ({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      url: 'https://new.example.com',
      protocol: 'http'
    })
    beforeEach(() => {
      emulator.putBackend(SUB, RG, SERVICE, 'orders', {
        url: 'https://old.example.com',
        protocol: 'http',
        description: 'kept?'
      })
    })

    it('fails by default, says how to proceed, and writes nothing', async () => {
      const outcome = await runInProcess(inputs())
      expect(outcome.failure).toBe(
        "Backend 'orders' already exists; set if-exists: replace or skip."
      )
      expect(armCalls(emulator)).toEqual(['GET /backends/orders'])
      expect(outcome.summary).toContain('already exists')
    })

    it('if-exists: replace PUTs with the ETag just read, and reports replaced', async () => {
      const etag = emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag
      const outcome = await runInProcess({ ...inputs(), 'if-exists': 'replace' })
      expect(outcome.failure).toBeUndefined()
      expect(outcome.outputs.result).toBe('replaced')
      const put = emulator.armRequests().find((r) => r.method === 'PUT')!
      expect(put.headers['if-match']).toBe(etag)
      expect(put.headers['if-none-match']).toBeUndefined()
      expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')!.contract.properties).toEqual({
        url: 'https://new.example.com',
        protocol: 'http'
      })
      expect(outcome.outputs.etag).not.toBe(etag)
    })

    it('if-exists: skip writes nothing and outputs the existing backend', async () => {
      const outcome = await runInProcess({ ...inputs(), 'if-exists': 'skip' })
      expect(outcome.failure).toBeUndefined()
      expect(outcome.outputs.result).toBe('unchanged')
      expect(JSON.parse(outcome.outputs.backend).properties.url).toBe('https://old.example.com')
      expect(armCalls(emulator)).toEqual(['GET /backends/orders'])
    })
  })

  it('bad input fails before any request, naming the input, the value and what is accepted', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      url: 'https://a.example.com',
      protocol: 'https'
    })
    expect(outcome.failure).toBe(
      "Input 'protocol': 'https' is not supported. Supported values: http, soap. protocol is the kind of API, not the URL's scheme: a backend at an https:// url uses protocol: http."
    )
    expect(emulator.requests).toHaveLength(0)
  })
})
