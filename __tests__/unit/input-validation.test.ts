// Input validation: a workflow author's inputs, and what the action accepts or says back.
// Everything here runs before any request; nothing touches the network.
import { describe, expect, it, jest } from '@jest/globals'
import type { RawInputs } from '../../src/inputs.js'
import type { CreateRequest } from '../../src/operations/create/types.js'
import type { ResetRequest } from '../../src/operations/reset/types.js'
import { InputErrors } from '../../src/input-rules/model.js'
import { buildRequest } from '../../src/step/build-single.js'
import { Secrets } from '../../src/secrets.js'
import { CLIENT, SUB, TENANT, create, reset } from '../helpers/raw-inputs.js'

const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://example.invalid/token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x'
}

jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

function build(raw: RawInputs, env: NodeJS.ProcessEnv = {}) {
  return buildRequest(raw, new Secrets(), env)
}
function problems(raw: RawInputs, env: NodeJS.ProcessEnv = {}): string {
  try {
    build(raw, env)
  } catch (e) {
    if (e instanceof InputErrors) return e.message
    throw e
  }
  throw new Error('expected the inputs to be refused')
}

describe('create: the New-AzApiManagementBackend parameters', () => {
  it('maps every parameter onto the SDK contract', () => {
    const req = build(
      create({
        title: 'Orders — 注文',
        description: 'line one\nline two',
        'resource-id':
          'https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders',
        'skip-certificate-chain-validation': 'true',
        'skip-certificate-name-validation': 'False',
        'backend-credentials':
          'authorization: {scheme: Basic, parameter: opensesame}\nheader: {x-my-1: [val1, val2]}\nquery:\n  sv: only-one\ncertificateIds: cert1',
        proxy:
          '{"url": "http://192.168.1.1:8080", "username": "Contoso\\\\admin", "password": "pw"}',
        'service-fabric-cluster':
          'managementEndpoints: https://sf.example.com:19080\nmaxPartitionResolutionRetries: "5"',
        'if-exists': 'Replace'
      })
    ) as CreateRequest
    expect(req.operation).toBe('create')
    expect(req.ifExists).toBe('replace')
    expect(req.backend).toEqual({
      url: 'https://backend.example.com/api',
      protocol: 'http',
      title: 'Orders — 注文',
      description: 'line one\nline two',
      resourceId:
        'https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders',
      credentials: {
        authorization: { scheme: 'Basic', parameter: 'opensesame' },
        header: { 'x-my-1': ['val1', 'val2'] },
        query: { sv: ['only-one'] },
        certificateIds: ['cert1']
      },
      proxy: { url: 'http://192.168.1.1:8080', username: 'Contoso\\admin', password: 'pw' },
      properties: {
        serviceFabricCluster: {
          managementEndpoints: ['https://sf.example.com:19080'],
          maxPartitionResolutionRetries: 5
        }
      },
      tls: { validateCertificateChain: false, validateCertificateName: true }
    })
  })

  it('sends no tls block when neither skip input is given', () => {
    expect((build(create({})) as CreateRequest).backend.tls).toBeUndefined()
  })

  it('generates a 32-hex-digit id when backend-id is empty, as the cmdlet does', () => {
    const req = build(create({ 'backend-id': undefined }))
    expect(req.target.backendId).toMatch(/^[0-9a-f]{32}$/)
    expect(req.target.generatedId).toBe(true)
  })

  it('accepts a Service Fabric url', () => {
    expect(
      (build(create({ url: 'fabric:/mytestapp/mytestservice' })) as CreateRequest).backend.url
    ).toBe('fabric:/mytestapp/mytestservice')
  })

  it('keeps YAML scalars as written and follows anchors and merge keys', () => {
    const req = build(
      create({
        'backend-credentials': 'base: &h {x-version: 1.10}\nheader:\n  <<: *h\n  x-other: true'
          .replace('base', 'header')
          .replace('header:\n  <<', 'query:\n  <<')
      })
    ) as CreateRequest
    expect(req.backend.credentials).toEqual({
      header: { 'x-version': ['1.10'] },
      query: { 'x-version': ['1.10'], 'x-other': ['true'] }
    })
  })

  it.each([
    [{ url: undefined }, "Input 'url': is required for operation create (or give pool)."],
    [
      { protocol: 'https' },
      "Input 'protocol': 'https' is not supported. Supported values: http, soap. protocol is the kind of API, not the URL's scheme: a backend at an https:// url uses protocol: http."
    ],
    [{ url: 'backend.example.com' }, "Input 'url': 'backend.example.com' is not a backend URL"],
    [{ url: 'javascript:alert(1)' }, "Input 'url': 'javascript:alert(1)' is not a backend URL"],
    [{ url: 'file:///etc/passwd' }, "Input 'url': 'file:///etc/passwd' is not a backend URL"],
    [
      { url: `https://x.example.com/${'a'.repeat(2000)}` },
      "Input 'url': 'https://x.example.com/aaaa"
    ],
    [{ title: 't'.repeat(301) }, 'at most 300 are accepted'],
    [{ 'backend-id': 'a'.repeat(81) }, "Input 'backend-id':"],
    [{ 'backend-id': 'a/b' }, "Input 'backend-id': 'a/b' is not a backend id"],
    [{ 'backend-id': 'a:b' }, 'is not a backend id'],
    [
      { 'skip-certificate-chain-validation': 'yes' },
      "Input 'skip-certificate-chain-validation': 'yes' is not a boolean"
    ],
    [
      { 'if-exists': 'overwrite' },
      "Input 'if-exists': 'overwrite' is not supported. Supported values: fail, replace, skip."
    ],
    [
      { 'time-until-reset': '30' },
      "Input 'time-until-reset': does not apply to operation 'create'; it belongs to 'reset' and 'switch'."
    ],
    [{ 'resource-group': 'rg.' }, "Input 'resource-group': 'rg.' is not a resource group name"],
    [
      { 'service-name': '1apim' },
      "Input 'service-name': '1apim' is not an API Management service name"
    ],
    [{ 'subscription-id': 'my-sub' }, "Input 'subscription-id': 'my-sub' is not a UUID"],
    [
      { 'backend-credentials': 'authorization: {scheme: Basic}' },
      "Input 'backend-credentials': authorization.parameter: is required"
    ],
    [
      { 'backend-credentials': 'headers: {a: b}' },
      "unknown key 'headers'; accepted: authorization, header, query, certificate, certificateIds"
    ],
    [
      { 'backend-credentials': '{"header": {"a": ["1"]}, "header": {"a": ["2"]}}' },
      'duplicate key'
    ],
    [
      { 'backend-credentials': 'header: !!binary aGVsbG8=' },
      "Input 'backend-credentials': header: expected a mapping"
    ],
    [{ 'backend-credentials': 'header: {"bad name": x}' }, 'is not a valid header name'],
    [
      { proxy: 'url: ftp://proxy' },
      "Input 'proxy': url: expected an absolute http:// or https:// URL"
    ],
    [
      { 'service-fabric-cluster': 'clientCertificateId: x' },
      "Input 'service-fabric-cluster': managementEndpoints: is required"
    ]
  ] as [RawInputs, string][])('refuses %j', (extra, expected) => {
    expect(problems(create(extra))).toContain(expected)
  })

  it.each([
    [{ 'resource-group': 'rg_(prod).west-europe' }],
    [{ 'resource-group': 'ресурсы-1' }],
    [{ 'backend-id': 'Orders API v2 (東京)' }],
    [{ 'backend-id': 'a'.repeat(80) }],
    [{ 'service-name': 'a' }],
    [{ 'tenant-id': 'contoso.onmicrosoft.com' }],
    [{ 'subscription-id': SUB.toUpperCase() }],
    [{ protocol: 'SOAP' }],
    [{ url: 'http://10.0.0.4:8080/path?query=1#x' }],
    [{ title: 't'.repeat(300) }],
    [{ 'backend-credentials': '{"header": {"x-n": 5}, "certificate": "ABCDEF"}' }],
    [{ 'auth-type': 'client-secret' }],
    [{ 'arm-endpoint': 'https://management.usgovcloudapi.net/' }]
  ] as [RawInputs][])('accepts the odd but valid %j', (extra) => {
    expect(() => build(create(extra))).not.toThrow()
  })

  describe('resource-id: Azure stores only an absolute http(s) URL', () => {
    const ARM_ID = '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders'
    const resourceIdOf = (extra: RawInputs) =>
      (build(create(extra)) as CreateRequest).backend.resourceId

    it('sends an ARM id as the Resource Manager endpoint + the id', () => {
      expect(resourceIdOf({ 'resource-id': ARM_ID })).toBe(`https://management.azure.com${ARM_ID}`)
    })

    it("uses the chosen cloud's, or arm-endpoint's, Resource Manager", () => {
      expect(resourceIdOf({ 'resource-id': ARM_ID, environment: 'AzureUSGovernment' })).toBe(
        `https://management.usgovcloudapi.net${ARM_ID}`
      )
      expect(resourceIdOf({ 'resource-id': ARM_ID, 'arm-endpoint': 'https://arm.contoso/' })).toBe(
        `https://arm.contoso${ARM_ID}`
      )
    })

    it('sends an absolute URL as given', () => {
      const url = `https://management.azure.com${ARM_ID}`
      expect(resourceIdOf({ 'resource-id': url })).toBe(url)
    })

    it.each([
      'orders',
      'subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders',
      '/subscriptions/x/resourceGroups/y',
      'fabric:/app/svc',
      'ftp://management.azure.com/x',
      'https://management.azure.com/a b'
    ])('refuses %j before any request, saying what is accepted', (value) => {
      expect(problems(create({ 'resource-id': value }))).toContain(
        "Input 'resource-id': " +
          `'${value}' is neither an absolute http(s) URL nor an ARM id; expected the management URL`
      )
    })
  })

  it('lists every problem at once, one line each', () => {
    const text = problems(
      create({ protocol: 'https', title: '', 'if-exists': 'x', 'backend-id': 'a?b' })
    )
    expect(text.split('\n')).toHaveLength(3)
  })
})

describe('reset: the Reset-AzApiManagementBackendConnection parameters', () => {
  it('sends after: PT<n>S from time-until-reset, and PATCHes only the given fields', () => {
    const req = build(
      reset({
        'time-until-reset': '30',
        url: 'https://new.example.com',
        'backend-credentials': 'header: {x-key: k2}'
      })
    ) as ResetRequest
    expect(req.afterSeconds).toBe(30)
    expect(req.updates).toEqual({
      url: 'https://new.example.com',
      credentials: { header: { 'x-key': ['k2'] } }
    })
  })

  it('sends no body and no PATCH when nothing is given', () => {
    const req = build(reset({})) as ResetRequest
    expect(req.afterSeconds).toBeUndefined()
    expect(req.updates).toBeUndefined()
  })

  it('reads the target from an earlier backend output', () => {
    const backend = JSON.stringify({
      id: `/subscriptions/${SUB}/resourceGroups/rg-2/providers/Microsoft.ApiManagement/service/apim-2/backends/orders`,
      properties: { credentials: { authorization: { scheme: 'Basic', parameter: '***' } } }
    })
    const req = build({
      operation: 'reset',
      backend,
      'client-id': CLIENT,
      'tenant-id': TENANT,
      'client-secret': 's'
    })
    expect(req.target).toEqual({
      subscriptionId: SUB,
      resourceGroup: 'rg-2',
      serviceName: 'apim-2',
      backendId: 'orders',
      generatedId: false
    })
  })

  it.each([
    [
      { 'time-until-reset': '-1' },
      "Input 'time-until-reset': '-1' is not a whole number of seconds"
    ],
    [{ 'time-until-reset': '1.5' }, "'1.5' is not a whole number of seconds"],
    [{ 'time-until-reset': 'PT30S' }, "'PT30S' is not a whole number of seconds"],
    [
      { title: 'x' },
      "Input 'title': does not apply to operation 'reset'; it belongs to 'create', 'update', 'plan' and 'apply'."
    ],
    [{ 'if-exists': 'skip' }, "Input 'if-exists': does not apply to operation 'reset'"],
    [
      { 'backend-id': undefined },
      "Input 'backend-id': is required (or pass an earlier step's 'backend' output in 'backend')."
    ],
    [{ backend: '{"name": "x"}' }, "Input 'backend': id: is required"],
    [
      { backend: '{"id": "/subscriptions/x/backends/y"}' },
      'is not the ARM id of an API Management backend'
    ],
    [
      {
        backend: `{"id": "/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/backends/other"}`
      },
      "Input 'backend-id': 'b1' differs from the 'backend' id's backend 'other'."
    ]
  ] as [RawInputs, string][])('refuses %j', (extra, expected) => {
    expect(problems(reset(extra))).toContain(expected)
  })
})

describe('sign-in: the conventions of azure/login', () => {
  const noAuth = { 'client-id': undefined, 'tenant-id': undefined, 'client-secret': undefined }
  const MI_ENV = { IDENTITY_ENDPOINT: 'https://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'h' }
  const AZ_ENV = { PATH: `${process.cwd()}/emulator/az-standin` }

  it('auto picks a client secret when one is given, and says why', () => {
    const req = build(create({}))
    expect(req.auth.reason).toBe('auth-type auto: a client secret was given')
    expect(req.auth.candidates).toMatchObject([{ kind: 'client-secret' }])
  })

  it('auto picks OIDC for client-id and tenant-id without a secret, when the runner offers an ID token', () => {
    const req = build(create({ 'client-secret': undefined }), OIDC_ENV)
    expect(req.auth.candidates).toMatchObject([
      { kind: 'oidc', audience: 'api://AzureADTokenExchange' }
    ])
  })

  it('auto lists every way the runner offers, in order: OIDC, managed identity, Azure CLI', () => {
    const req = build(create({ 'client-secret': undefined }), { ...OIDC_ENV, ...MI_ENV, ...AZ_ENV })
    expect(req.auth.candidates.map((c) => c.kind)).toEqual([
      'oidc',
      'managed-identity',
      'azure-cli'
    ])
    const mi = build(create({ ...noAuth }), { ...MI_ENV, ...AZ_ENV })
    expect(mi.auth.candidates.map((c) => c.kind)).toEqual(['managed-identity', 'azure-cli'])
    expect(mi.auth.reason).toContain('managed identity endpoint')
    expect(mi.auth.skipped[0]).toContain('OIDC: needs client-id and tenant-id')
  })

  it('auto with nothing available says what it looked for, including the id-token permission', () => {
    const text = problems(create({ 'client-secret': undefined }), { PATH: '' })
    expect(text).toContain(
      "OIDC: no GitHub ID token (grant the job 'permissions: id-token: write')"
    )
    expect(text).toContain('managed identity: no IDENTITY_ENDPOINT')
    expect(text).toContain("Azure CLI: 'az' is not on PATH")
  })

  it('managed identity: system-assigned, or user-assigned with client-id', () => {
    const sys = build(create({ ...noAuth, 'auth-type': 'managed-identity' }))
    expect(sys.auth.candidates).toEqual([{ kind: 'managed-identity', clientId: undefined }])
    const user = build(create({ ...noAuth, 'auth-type': 'managed-identity', 'client-id': CLIENT }))
    expect(user.auth.candidates).toEqual([{ kind: 'managed-identity', clientId: CLIENT }])
  })

  it("takes azure/login's auth-type values: SERVICE_PRINCIPAL (a secret if given, else OIDC), IDENTITY", () => {
    const secret = build(create({ 'auth-type': 'SERVICE_PRINCIPAL' }))
    expect(secret.auth.reason).toBe('auth-type SERVICE_PRINCIPAL (client-secret)')
    expect(secret.auth.candidates).toMatchObject([{ kind: 'client-secret', clientId: CLIENT }])
    const creds = JSON.stringify({ clientId: CLIENT, clientSecret: 's', tenantId: TENANT })
    const fromCreds = build(create({ ...noAuth, 'auth-type': 'service_principal', creds }))
    expect(fromCreds.auth.candidates).toMatchObject([{ kind: 'client-secret', clientSecret: 's' }])
    const oidc = build(
      create({ 'client-secret': undefined, 'auth-type': 'SERVICE_PRINCIPAL' }),
      OIDC_ENV
    )
    expect(oidc.auth.reason).toBe('auth-type SERVICE_PRINCIPAL (oidc)')
    expect(oidc.auth.candidates).toMatchObject([
      { kind: 'oidc', clientId: CLIENT, tenantId: TENANT }
    ])
    expect(
      problems(create({ 'client-secret': undefined, 'auth-type': 'SERVICE_PRINCIPAL' }))
    ).toContain("Input 'auth-type': OIDC sign-in needs an ID token from GitHub")
    const identity = build(create({ ...noAuth, 'auth-type': 'IDENTITY', 'client-id': CLIENT }))
    expect(identity.auth.reason).toBe('auth-type IDENTITY (managed-identity)')
    expect(identity.auth.candidates).toEqual([{ kind: 'managed-identity', clientId: CLIENT }])
    expect(problems(create({ 'auth-type': 'IDENTITY' }))).toContain(
      "Input 'client-secret': does not apply to auth-type IDENTITY (managed-identity); remove it."
    )
  })

  it('azure-cli reuses the azure/login session, with an optional tenant', () => {
    const req = build(create({ ...noAuth, 'auth-type': 'azure-cli', 'tenant-id': TENANT }))
    expect(req.auth.candidates).toEqual([{ kind: 'azure-cli', tenantId: TENANT }])
  })

  it('environment picks the cloud: authority, Resource Manager, token scope and OIDC audience', () => {
    const req = build(
      create({ 'client-secret': undefined, environment: 'azureusgovernment' }),
      OIDC_ENV
    )
    expect(req.endpoints).toEqual({
      cloud: 'AzureUSGovernment',
      arm: 'https://management.usgovcloudapi.net',
      authorityHost: 'https://login.microsoftonline.us',
      scope: 'https://management.usgovcloudapi.net/.default'
    })
    expect(req.auth.candidates).toMatchObject([
      { kind: 'oidc', audience: 'api://AzureADTokenExchangeUSGov' }
    ])
    const china = build(
      create({ environment: 'AzureChinaCloud', 'arm-endpoint': 'https://arm.contoso.cn' })
    )
    expect(china.endpoints).toMatchObject({
      arm: 'https://arm.contoso.cn',
      scope: 'https://management.chinacloudapi.cn/.default'
    })
    const audience = build(
      create({
        'client-secret': undefined,
        environment: 'AzureChinaCloud',
        audience: 'api://custom'
      }),
      OIDC_ENV
    )
    expect(audience.auth.candidates).toMatchObject([{ audience: 'api://custom' }])
  })

  it('reads the azure/login creds JSON, ignoring the other --sdk-auth keys', () => {
    const creds = JSON.stringify({
      clientId: CLIENT,
      clientSecret: 'from-creds',
      subscriptionId: SUB,
      tenantId: TENANT,
      activeDirectoryEndpointUrl: 'https://login.microsoftonline.com',
      resourceManagerEndpointUrl: 'https://management.azure.com/'
    })
    const req = build(create({ ...noAuth, 'subscription-id': undefined, creds }))
    expect(req.auth.candidates).toMatchObject([
      { kind: 'client-secret', clientId: CLIENT, clientSecret: 'from-creds' }
    ])
    expect(req.target.subscriptionId).toBe(SUB)
  })

  it.each([
    [{ ...noAuth }, "Input 'auth-type': no way to sign in"],
    [
      { 'auth-type': 'managed' },
      "Input 'auth-type': 'managed' is not supported. Supported values: auto, oidc, client-secret, managed-identity, azure-cli, SERVICE_PRINCIPAL, IDENTITY."
    ],
    [
      { environment: 'AzureGermanCloud' },
      "Input 'environment': 'AzureGermanCloud' is not supported. Supported values: AzureCloud, AzureUSGovernment, AzureChinaCloud."
    ],
    [{ 'client-id': 'app' }, "Input 'client-id': 'app' is not a UUID"],
    [{ creds: '{"clientId": "x", "foo": 1}' }, "Input 'creds': unknown key 'foo'"],
    [{ creds: `{"subscriptionId": "${CLIENT}"}` }, 'differs from creds.subscriptionId'],
    [{ audience: 'api://other' }, "Input 'audience': does not apply to auth-type client-secret"],
    [
      { 'auth-type': 'managed-identity' },
      "Input 'client-secret': does not apply to auth-type managed-identity; remove it."
    ],
    [
      { 'auth-type': 'azure-cli', 'client-secret': undefined },
      "Input 'client-id': does not apply to auth-type azure-cli; remove it."
    ],
    [
      { 'auth-type': 'client-secret', 'client-secret': undefined },
      "Input 'client-secret': is required for auth-type client-secret"
    ],
    [
      { 'arm-endpoint': 'http://127.0.0.1:1' },
      "Input 'arm-endpoint': 'http://127.0.0.1:1' is not an absolute https:// URL."
    ]
  ] as [RawInputs, string][])('refuses %j', (extra, expected) => {
    expect(problems(create(extra))).toContain(expected)
  })
})

describe('secrets in inputs', () => {
  it('registers every credential value before validation can fail, and never echoes it', () => {
    const secrets = new Secrets()
    const raw = create({
      protocol: 'https',
      'backend-credentials':
        'authorization: {scheme: Basic, parameter: p-4711}\nheader: {x-key: h-4711}\nquery: {code: q-4711}',
      proxy: 'url: http://proxy:8080\npassword: pw-4711'
    })
    let message = ''
    try {
      buildRequest(raw, secrets, {})
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toContain("Input 'protocol'")
    for (const s of ['p-4711', 'h-4711', 'q-4711', 'pw-4711', 'emulator-client-secret']) {
      expect(secrets.redact(`x ${s} y`)).toBe('x *** y')
    }
  })

  it('a parse error in a secret-bearing input names line and column but not the text', () => {
    const text = problems(
      create({ 'backend-credentials': 'authorization:\n  parameter: "s3cr3t-value\n' })
    )
    expect(text).toMatch(
      /Input 'backend-credentials': is not valid YAML or JSON \(line \d+, column \d+/
    )
    expect(text).not.toContain('s3cr3t')
  })
})
