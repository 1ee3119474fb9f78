// operation: export, without a network: a listed backend (the ARM body) as an item of a backends
// file, the names of the variables that stand for its secrets, and the round trip — the file read
// back as plan reads it is the backend it came from.
import { describe, expect, it, jest } from '@jest/globals'
import type { ArmBackend } from '../../src/azure/backend-json.js'
import { serviceArmId } from '../../src/input-rules/model.js'
import { fileText } from '../../src/operations/export/handler.js'
import { SecretNames, variableName } from '../../src/operations/export/secret-names.js'
import { literal, memberId, toItem } from '../../src/operations/export/to-item.js'
import { armProperties } from '../../src/operations/shared/context.js'
import { diff } from '../../src/operations/shared/diff.js'
import type { DesiredBackend } from '../../src/operations/spec.js'
import { Secrets } from '../../src/secrets.js'
import { buildDesiredState } from '../../src/step/build-desired.js'
import { base } from '../helpers/raw-inputs.js'

jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

const TARGET = {
  subscriptionId: base['subscription-id']!,
  resourceGroup: base['resource-group']!,
  serviceName: base['service-name']!,
  backendId: '',
  generatedId: false
}
const SERVICE = serviceArmId(TARGET)
const listed = (name: string, properties: Record<string, unknown>): ArmBackend => ({
  id: `${SERVICE}/backends/${name}`,
  name,
  type: 'Microsoft.ApiManagement/service/backends',
  properties
})
const itemOf = (b: ArmBackend, names = new SecretNames()) => toItem(b, SERVICE, names)

describe('variable names', () => {
  it('are the backend id and the place, upper-case, each run of other characters one _', () => {
    expect(variableName(['orders', 'header', 'x-api-key'])).toBe('ORDERS_HEADER_X_API_KEY')
    expect(variableName(['orders.v2--api', 'query', 'sig'])).toBe('ORDERS_V2_API_QUERY_SIG')
    expect(variableName(['-bestellungen-ä-', 'proxy', 'password'])).toBe(
      'BESTELLUNGEN_PROXY_PASSWORD'
    )
  })

  it('never start with a digit or a prefix the runner or GitHub reserve', () => {
    expect(variableName(['1orders', 'authorization'])).toBe('_1ORDERS_AUTHORIZATION')
    expect(variableName(['github', 'header', 'x'])).toBe('APIM_GITHUB_HEADER_X')
    expect(variableName(['input', 'header', 'x'])).toBe('APIM_INPUT_HEADER_X')
    expect(variableName(['runner-api', 'header', 'x'])).toBe('APIM_RUNNER_API_HEADER_X')
    expect(variableName(['actions', 'proxy', 'password'])).toBe('APIM_ACTIONS_PROXY_PASSWORD')
    expect(variableName(['äöü'])).toBe('BACKEND')
  })

  it('are unique in a file: a second place spelling the same name gets _2, _3, …', () => {
    const names = new SecretNames()
    expect(names.take('orders', ['header', 'x-api-key'])).toBe('ORDERS_HEADER_X_API_KEY')
    expect(names.take('orders', ['header', 'x_api_key'])).toBe('ORDERS_HEADER_X_API_KEY_2')
    expect(names.take('orders', ['header', 'X-Api-Key'])).toBe('ORDERS_HEADER_X_API_KEY_3')
    expect(names.take('orders-api', ['authorization'])).toBe('ORDERS_API_AUTHORIZATION')
    expect(names.take('orders.api', ['authorization'])).toBe('ORDERS_API_AUTHORIZATION_2')
    // A name made unique with a suffix is taken too: a place that spells it gets its own.
    expect(names.take('orders', ['header', 'x-api-key-2'])).toBe('ORDERS_HEADER_X_API_KEY_2_2')
  })

  it('are made of places, never of values: the same backend with other secrets, the same names', () => {
    const names = (secret: string) =>
      itemOf(
        listed('orders', {
          url: `https://u:${secret}@orders.example.com/?code=${secret}`,
          protocol: 'http',
          credentials: { header: { 'x-key': [secret] }, query: { k: [secret, secret] } },
          proxy: { url: 'https://proxy.example.com', password: secret }
        })
      ).secrets.map((s) => s.name)
    expect(names('first-secret')).toEqual(names('SECOND_SECRET'))
    expect(names('first-secret')).toEqual([
      'ORDERS_URL_USERINFO',
      'ORDERS_URL_CODE',
      'ORDERS_HEADER_X_KEY',
      'ORDERS_QUERY_K_1',
      'ORDERS_QUERY_K_2',
      'ORDERS_PROXY_PASSWORD'
    ])
  })
})

describe('a listed backend as an item', () => {
  it('leaves out nulls, empty lists and maps, type Single and TLS flags at true', () => {
    const { item, leftOut } = itemOf(
      listed('orders', {
        title: null,
        description: null,
        url: 'https://orders.example.com',
        protocol: 'http',
        type: 'Single',
        resourceId: null,
        credentials: { header: {}, query: null, certificate: [], certificateIds: null },
        proxy: null,
        tls: { validateCertificateChain: true, validateCertificateName: false },
        properties: { serviceFabricCluster: null },
        circuitBreaker: null,
        pool: null
      })
    )
    expect(item).toEqual({
      'backend-id': 'orders',
      url: 'https://orders.example.com',
      protocol: 'http',
      'skip-certificate-name-validation': 'true'
    })
    expect(leftOut).toEqual([])
  })

  it('keeps the keys in the order of the backends input (BACKEND_ITEM_KEYS)', () => {
    const { item } = itemOf(
      listed('orders', {
        circuitBreaker: {
          rules: [
            {
              name: 'r',
              failureCondition: { percentage: 50, interval: 'PT1M' },
              tripDuration: 'PT1M'
            }
          ]
        },
        proxy: { url: 'https://proxy.example.com' },
        tls: { validateCertificateChain: false, validateCertificateName: false },
        description: 'd',
        title: 't',
        protocol: 'http',
        url: 'https://orders.example.com'
      })
    )
    expect(Object.keys(item)).toEqual([
      'backend-id',
      'url',
      'protocol',
      'title',
      'description',
      'skip-certificate-chain-validation',
      'skip-certificate-name-validation',
      'proxy',
      'circuit-breaker'
    ])
  })

  it('writes each secret as a reference and every other ${ as $${', () => {
    const { item, secrets } = itemOf(
      listed('orders', {
        url: 'https://orders.example.com/${path}?sig=s3cret&x=${y}',
        protocol: 'http',
        description: 'Uses ${HOME} and $${x}',
        credentials: {
          authorization: { scheme: 'Basic', parameter: 'dXNlcjpwYXNz' },
          header: { 'x-key': ['${NOT_A_REFERENCE}'] }
        },
        properties: {
          serviceFabricCluster: {
            managementEndpoints: ['https://a:b@sf1.example.com', 'https://sf2.example.com?key=k']
          }
        }
      })
    )
    expect(item).toEqual({
      'backend-id': 'orders',
      url: 'https://orders.example.com/$${path}?sig=${ORDERS_URL_SIG}&x=$${y}',
      protocol: 'http',
      description: 'Uses $${HOME} and $$${x}',
      'backend-credentials': {
        authorization: { scheme: 'Basic', parameter: '${ORDERS_AUTHORIZATION}' },
        header: { 'x-key': '${ORDERS_HEADER_X_KEY}' }
      },
      'service-fabric-cluster': {
        managementEndpoints: [
          'https://${ORDERS_MANAGEMENT_ENDPOINT_1_USERINFO}@sf1.example.com',
          'https://sf2.example.com?key=${ORDERS_MANAGEMENT_ENDPOINT_2_KEY}'
        ]
      }
    })
    expect(secrets).toEqual([
      { name: 'ORDERS_URL_SIG', backendId: 'orders', field: 'url (parameter sig)' },
      {
        name: 'ORDERS_AUTHORIZATION',
        backendId: 'orders',
        field: 'backend-credentials.authorization.parameter'
      },
      {
        name: 'ORDERS_HEADER_X_KEY',
        backendId: 'orders',
        field: 'backend-credentials.header.x-key'
      },
      {
        name: 'ORDERS_MANAGEMENT_ENDPOINT_1_USERINFO',
        backendId: 'orders',
        field: 'service-fabric-cluster.managementEndpoints[0] (userinfo)'
      },
      {
        name: 'ORDERS_MANAGEMENT_ENDPOINT_2_KEY',
        backendId: 'orders',
        field: 'service-fabric-cluster.managementEndpoints[1] (parameter key)'
      }
    ])
    expect(literal('a ${b} $${c}')).toBe('a $${b} $$${c}')
  })

  it('pool members: backend ids when spelt as the step names the service, else the ARM id', () => {
    expect(memberId(`${SERVICE}/backends/orders`, SERVICE)).toBe('orders')
    const otherCase = `${SERVICE.replace('resourceGroups', 'resourcegroups')}/backends/orders`
    expect(memberId(otherCase, SERVICE)).toBe(otherCase)
    expect(memberId(`${SERVICE}/backends/a/b`, SERVICE)).toBe(`${SERVICE}/backends/a/b`)
    const { item } = itemOf(
      listed('pool', {
        type: 'Pool',
        url: null,
        protocol: null,
        title: null,
        pool: { services: [{ id: `${SERVICE}/backends/a` }, { id: otherCase, priority: 2 }] }
      })
    )
    expect(item).toEqual({ 'backend-id': 'pool', pool: ['a', { id: otherCase, priority: 2 }] })
  })

  it("the Service Fabric thumbprint as answered (capital T) is written as the input's field", () => {
    const cluster = (extra: Record<string, unknown>) =>
      itemOf(
        listed('sf', {
          url: 'fabric:/app/svc',
          protocol: 'http',
          properties: {
            serviceFabricCluster: {
              managementEndpoints: ['https://sf.example.com:19080'],
              clientCertificateThumbprint: 'ABC123',
              ...extra
            }
          }
        })
      ).item['service-fabric-cluster']
    expect(cluster({})).toEqual({
      managementEndpoints: ['https://sf.example.com:19080'],
      clientCertificatethumbprint: 'ABC123'
    })
    // Derived from the certificate the id names: not an input.
    expect(cluster({ clientCertificateId: 'cert' })).toEqual({
      managementEndpoints: ['https://sf.example.com:19080'],
      clientCertificateId: 'cert'
    })
  })

  it('names the fields no item key holds (a newer api-version), and leaves them out', () => {
    const { item, leftOut } = itemOf(
      listed('orders', {
        url: 'https://orders.example.com',
        protocol: 'http',
        azureRegion: 'westeurope',
        tls: { validateCertificateChain: true, serverCertificateThumbprints: ['X'] },
        credentials: { managedIdentity: { resource: 'api://x' }, future: 'y' },
        circuitBreaker: {
          rules: [
            {
              name: 'r',
              failureCondition: { count: 1, interval: 'PT1M' },
              tripDuration: 'PT1M',
              failureResponse: { statusCode: 503 }
            }
          ]
        }
      })
    )
    expect(leftOut.sort()).toEqual([
      'azureRegion',
      'circuitBreaker.rules.failureResponse',
      'credentials.future',
      'tls.serverCertificateThumbprints'
    ])
    expect(item['backend-credentials']).toEqual({ managedIdentity: { resource: 'api://x' } })
    expect(item).not.toHaveProperty('skip-certificate-chain-validation')
  })
})

describe('the round trip, as plan reads the file', () => {
  const BACKENDS: ArmBackend[] = [
    listed('plain', { title: null, url: 'https://plain.example.com', protocol: 'http' }),
    listed('everything', {
      title: 'Everything ${x}',
      description: 'Line one\nline two with $${y}',
      url: 'https://user:pa55@everything.example.com/api?code=c0de&v=${v}',
      protocol: 'soap',
      type: 'Single',
      resourceId:
        'https://management.azure.com/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/z',
      tls: { validateCertificateChain: false, validateCertificateName: true },
      credentials: {
        header: { 'x-api-key': ['k1'], 'x-two': ['k2', 'k3'] },
        query: { sig: ['q1'] },
        authorization: { scheme: 'Bearer', parameter: 'token-1' },
        certificateIds: ['/certs/a'],
        certificate: null
      },
      proxy: { url: 'https://p:pw@proxy.example.com', username: 'u', password: 'proxy-pw' },
      circuitBreaker: {
        rules: [
          {
            name: 'r',
            failureCondition: {
              count: 5,
              interval: 'PT5M',
              statusCodeRanges: [{ min: 500, max: 503 }],
              errorReasons: ['timeout', 'reset']
            },
            tripDuration: 'PT1M',
            acceptRetryAfter: false
          }
        ]
      }
    }),
    listed('sf', {
      title: null,
      url: 'fabric:/app/svc',
      protocol: 'http',
      properties: {
        serviceFabricCluster: {
          managementEndpoints: ['https://sf1.example.com:19080', 'https://sf2.example.com:19080'],
          clientCertificateThumbprint: 'ABC',
          maxPartitionResolutionRetries: 3,
          serverCertificateThumbprints: ['DEF'],
          serverX509Names: [{ name: 'sf', issuerCertificateThumbprint: 'GHI' }]
        }
      }
    }),
    listed('pool', {
      type: 'Pool',
      title: null,
      url: null,
      protocol: null,
      pool: {
        services: [
          { id: `${SERVICE}/backends/plain`, weight: 10 },
          { id: `${SERVICE}/backends/sf`, priority: 0 }
        ]
      }
    })
  ]
  /** What each reference stands for: the value the service holds. */
  const ENV = {
    EVERYTHING_URL_USERINFO: 'user:pa55',
    EVERYTHING_URL_CODE: 'c0de',
    EVERYTHING_HEADER_X_API_KEY: 'k1',
    EVERYTHING_HEADER_X_TWO_1: 'k2',
    EVERYTHING_HEADER_X_TWO_2: 'k3',
    EVERYTHING_QUERY_SIG: 'q1',
    EVERYTHING_AUTHORIZATION: 'token-1',
    EVERYTHING_PROXY_URL_USERINFO: 'p:pw',
    EVERYTHING_PROXY_PASSWORD: 'proxy-pw'
  }

  it('every backend reads back as itself: no change', () => {
    const names = new SecretNames()
    const items = BACKENDS.map((b) => toItem(b, SERVICE, names))
    expect(items.flatMap((i) => i.secrets.map((s) => s.name)).sort()).toEqual(
      Object.keys(ENV).sort()
    )
    const text = fileText({ target: TARGET }, items)
    for (const secret of ['pa55', 'c0de', 'k1', 'k2', 'k3', 'q1', 'token-1', 'proxy-pw'])
      expect(text).not.toContain(secret)
    const request = buildDesiredState(
      { operation: 'plan', ...base, backends: text },
      new Secrets(),
      ENV
    )
    const desired = (request as unknown as { desired: DesiredBackend[] }).desired
    expect(desired.map((d) => d.backendId)).toEqual(BACKENDS.map((b) => b.name))
    desired.forEach((d, i) =>
      expect({
        id: d.backendId,
        changes: diff(BACKENDS[i].properties, armProperties(d.backend))
      }).toEqual({
        id: d.backendId,
        changes: []
      })
    )
  })
})
