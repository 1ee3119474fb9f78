// What the runner reads from the step: no value from an input, a file or Azure can command it,
// and secrets are redacted by their place in every output, whatever their value. Every run is
// also read by the runner's own parse rules in runInProcess; here the injected texts are
// planted on purpose, and a command that starts with one of them fails the test.
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  INJECTIONS,
  PLANTED,
  injectedCommands,
  unintendedCommands
} from '../../scripts/runner-commands.js'
import { maskedValues, type Outcome } from '../../scripts/outcome.js'
import { runDist } from '../../scripts/runner.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  RG,
  SERVICE,
  SUB,
  TARGET,
  backendPath,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})
const step = (inputs: Record<string, string>) =>
  runInProcess({ ...TARGET, ...secretSignIn(emulator), ...inputs })

function expectInert(outcome: Outcome): void {
  expect(injectedCommands(outcome)).toEqual([])
}

describe('a value cannot command the runner', () => {
  it('the check itself finds each injection when it is printed as it is', () => {
    for (const injection of INJECTIONS) {
      const raw = `  description: '${injection}'`
      expect(unintendedCommands({ stdout: raw, stderr: '' }, PLANTED)).toHaveLength(1)
      expect(unintendedCommands({ stdout: '', stderr: raw })).toHaveLength(1)
    }
    const afterStop = `x\n::stop-commands::tok\n::add-mask::secret-value\n::tok::`
    expect(unintendedCommands({ stdout: afterStop, stderr: '' })).toEqual([
      expect.stringContaining("command 'stop-commands'"),
      expect.stringContaining('read while commands were stopped'),
      expect.stringContaining('read while commands were stopped')
    ])
  })

  it('titles and descriptions given as inputs are shown, never obeyed, in a what-if and a create', async () => {
    for (const whatIf of ['true', 'false']) {
      const outcome = await step({
        operation: 'create',
        'backend-id': 'orders',
        url: 'https://orders.example.com',
        protocol: 'http',
        title: 'Orders ##[stop-commands]PLANTED-4',
        description: INJECTIONS.join(' | '),
        'what-if': whatIf
      })
      expectInert(outcome)
    }
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')?.contract.properties.description).toBe(
      INJECTIONS.join(' | ')
    )
  })

  it('values anyone with portal access planted in the service are shown, never obeyed', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.example.com',
      protocol: 'http',
      title: INJECTIONS[3],
      description: INJECTIONS.join('\n'),
      credentials: { header: { 'x-api-key': ['service-held-key-1'] } }
    })
    const steps: Record<string, string>[] = [
      { operation: 'get' },
      { operation: 'update', title: 'Orders', 'what-if': 'true' },
      { operation: 'update', title: 'Orders' },
      {
        operation: 'create',
        'if-exists': 'replace',
        url: 'https://x.example.com',
        protocol: 'http'
      }
    ]
    for (const inputs of steps) {
      const outcome = await step({ 'backend-id': 'orders', ...inputs })
      expect(outcome.failure).toBeUndefined()
      expectInert(outcome)
      expectNoSecrets(outcome, ['service-held-key-1'])
    }
    const listed = await step({ operation: 'list' })
    expectInert(listed)
  })

  it("Azure's error message and details are shown, never obeyed", async () => {
    emulator.injectFault({
      method: 'PUT',
      status: 400,
      body: {
        error: {
          code: 'ValidationError',
          message: INJECTIONS[0],
          details: INJECTIONS.map((message) => ({
            code: 'ValidationError',
            target: 'title',
            message
          }))
        }
      }
    })
    const outcome = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.example.com',
      protocol: 'http'
    })
    expect(outcome.failure).toContain('ValidationError')
    expectInert(outcome)
  })

  it('in a backends step, a planted stop-commands cannot expose the next item’s secret', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'first', {
      url: 'https://first.example.com',
      protocol: 'http',
      description: 'x\n::stop-commands::PLANTED-1'
    })
    emulator.putBackend(SUB, RG, SERVICE, 'second', {
      url: 'https://second.example.com',
      protocol: 'http',
      credentials: { header: { 'x-api-key': ['second-items-key'] } }
    })
    // A replace shows the diff of each item (the planted description is removed) and reads the
    // second item's key from the service, which the step then masks.
    const outcome = await step({
      operation: 'create',
      'if-exists': 'replace',
      protocol: 'http',
      'max-parallel': '1',
      backends: JSON.stringify([
        { 'backend-id': 'first', url: 'https://first.example.com/v2' },
        { 'backend-id': 'second', url: 'https://second.example.com/v2' }
      ])
    })
    expect(outcome.failure).toBeUndefined()
    expectInert(outcome)
    expect(maskedValues(outcome.stdout)).toContain('second-items-key')
    expectNoSecrets(outcome, ['second-items-key'])
  })
})

describe('secrets are redacted by their place in the outputs', () => {
  // One character that turns up in every id, and punctuation that would break JSON.
  const SHORT = ['v', 'e', '":"', '\\', '"', '}', '/', ',']

  it('one-character and punctuation secrets leave every output valid JSON with its ids intact', async () => {
    const header = Object.fromEntries(SHORT.map((v, i) => [`x-h${i}`, [v]]))
    const created = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.example.com/api',
      protocol: 'http',
      title: 'Orders service',
      'backend-credentials': JSON.stringify({
        header,
        authorization: { scheme: 'Basic', parameter: ':' }
      }),
      proxy: JSON.stringify({ url: 'http://proxy.example.com:8080', username: 'u', password: 'p' })
    })
    expect(created.failure).toBeUndefined()
    const backend = JSON.parse(created.outputs.backend)
    expect(backend.id).toBe(backendPath('orders'))
    expect(backend.name).toBe('orders')
    expect(backend.properties.url).toBe('https://orders.example.com/api')
    expect(backend.properties.title).toBe('Orders service')
    expect(backend.properties.proxy).toEqual({
      url: 'http://proxy.example.com:8080',
      username: 'u',
      password: '***'
    })
    expect(backend.properties.credentials.authorization).toEqual({
      scheme: 'Basic',
      parameter: '***'
    })
    expect(Object.values(backend.properties.credentials.header)).toEqual(SHORT.map(() => ['***']))
    expect(JSON.parse(created.outputs.changes)).toContain('properties.credentials.header.x-h0')

    const listed = await step({ operation: 'list' })
    const [only] = JSON.parse(listed.outputs.backends)
    expect(only.id).toBe(backendPath('orders'))
    expect(only.properties.credentials.header['x-h2']).toEqual(['***'])

    const batch = await step({
      operation: 'reset',
      backends: JSON.stringify([{ 'backend-id': 'orders' }, { 'backend-id': 'missing' }])
    })
    const results = JSON.parse(batch.outputs.results)
    expect(results.map((r: { 'backend-id': string }) => r['backend-id'])).toEqual([
      'orders',
      'missing'
    ])
  })

  it('a header value too short to mask (e, ::) is *** by place, and the log and summary keep their letters', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.example.com',
      protocol: 'http',
      credentials: { header: { 'x-a': ['e'], 'x-b': ['::'], 'x-key': ['orders-key-4711'] } }
    })
    const listed = await step({ operation: 'list' })
    expect(listed.failure).toBeUndefined()
    const masks = maskedValues(listed.stdout)
    expect(masks).toContain('orders-key-4711')
    expect(masks.filter((m) => m.length < 4)).toEqual([])
    expect(listed.stdout.match(/not registered with the runner's mask/g)).toHaveLength(1)
    expect(listed.stdout).toContain('1 backend in apimService1.')
    expect(listed.summary).toContain('<h3>APIM backend list: listed</h3>')
    const [only] = JSON.parse(listed.outputs.backends)
    expect(only.properties.credentials.header).toEqual({
      'x-a': ['***'],
      'x-b': ['***'],
      'x-key': ['***']
    })

    // A change to one is shown as a secret change, in the log and the summary's table.
    const preview = await step({
      operation: 'update',
      'backend-id': 'orders',
      'backend-credentials': JSON.stringify({
        header: { 'x-a': ['f'], 'x-b': ['::'], 'x-key': ['orders-key-4711'] }
      }),
      'what-if': 'true'
    })
    expect(preview.failure).toBeUndefined()
    expect(preview.summary).toContain(
      '<tr><td><code>properties.credentials.header.x-a</code></td><td>***</td><td>*** (secret changed)</td></tr>'
    )
    expect(preview.summary).toContain('<h3>APIM backend update: ')
    expect(preview.stdout).not.toMatch(/'[ef]'/)
    expectNoSecrets(listed, ['orders-key-4711'])
  })

  it('a header whose name has dots is a secret like any other', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.example.com',
      protocol: 'http',
      'backend-credentials': JSON.stringify({ header: { 'x.api.key': ['dotted-name-key'] } })
    })
    expect(JSON.parse(outcome.outputs.backend).properties.credentials.header['x.api.key']).toEqual([
      '***'
    ])
    expectNoSecrets(outcome, ['dotted-name-key'])
  })
})

describe('URLs carry secrets too', () => {
  it('the userinfo of user:password@ and key parameters are masked and redacted; the rest stays', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://deploy:p4ss-w0rd@orders.example.com/api?code=fn-key-123&x=1&Sig=sas-sig-456',
      protocol: 'http',
      proxy: JSON.stringify({ url: 'http://proxyuser:proxy-url-pw@proxy.example.com:8080' })
    })
    expect(outcome.failure).toBeUndefined()
    const backend = JSON.parse(outcome.outputs.backend)
    expect(backend.properties.url).toBe('https://***@orders.example.com/api?code=***&x=1&Sig=***')
    expect(backend.properties.proxy.url).toBe('http://***@proxy.example.com:8080')
    expect(maskedValues(outcome.stdout)).toEqual(
      expect.arrayContaining(['p4ss-w0rd', 'fn-key-123', 'sas-sig-456', 'proxy-url-pw'])
    )
    expectNoSecrets(outcome, ['p4ss-w0rd', 'fn-key-123', 'sas-sig-456', 'proxy-url-pw'])
    // The stored backend keeps the real URL: only what the step shows is redacted.
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')?.contract.properties.url).toContain(
      'code=fn-key-123'
    )
  })

  it('a token written as the user of a URL (TOKEN@host) is a secret in every URL field', async () => {
    const tokens = ['url-T0ken-1', 'proxy-T0ken-2', 'rid-T0ken-3', 'sf-T0ken-4']
    const outcome = await step({
      operation: 'create',
      'backend-id': 'sf',
      url: 'fabric:/app/orders',
      protocol: 'http',
      'resource-id': `https://${tokens[2]}@management.azure.com/subscriptions/x`,
      proxy: JSON.stringify({ url: `http://${tokens[1]}@proxy.example.com:8080` }),
      'service-fabric-cluster': JSON.stringify({
        managementEndpoints: [`https://${tokens[3]}@sf.example.com:19080/`],
        clientCertificateId: 'cert1'
      })
    })
    expect(outcome.failure).toBeUndefined()
    const { properties } = JSON.parse(outcome.outputs.backend)
    expect(properties.resourceId).toBe('https://***@management.azure.com/subscriptions/x')
    expect(properties.proxy.url).toBe('http://***@proxy.example.com:8080')
    expect(properties.properties.serviceFabricCluster.managementEndpoints).toEqual([
      'https://***@sf.example.com:19080/'
    ])
    expectNoSecrets(outcome, tokens.slice(1))

    const updated = await step({
      operation: 'create',
      'backend-id': 'orders',
      url: `https://${tokens[0]}@orders.example.com/api`,
      protocol: 'http'
    })
    expect(JSON.parse(updated.outputs.backend).properties.url).toBe(
      'https://***@orders.example.com/api'
    )
    expect(updated.summary).toContain('https://***@orders.example.com/api')
    expectNoSecrets(updated, [tokens[0]])
  })

  it('an endpoint with a user name or password is refused before any request, without showing them', async () => {
    for (const [input, value, secret] of [
      ['arm-endpoint', 'https://arm-user:arm-Passw0rd@management.example.com', 'arm-Passw0rd'],
      ['authority-host', 'https://login-T0ken@login.example.com', 'login-T0ken'],
      ['arm-endpoint', 'https://u:pw@management.example.com', ':pw@'],
      ['authority-host', 'https:login-T0ken@login.example.com', 'login-T0ken']
    ]) {
      const before = emulator.requests.length
      const outcome = await step({ operation: 'get', 'backend-id': 'orders', [input]: value })
      expect(outcome.failure).toContain(
        `Input '${input}': holds a user name or password (user@ or user:password@), which an endpoint does not take`
      )
      expect(emulator.requests.length).toBe(before)
      expectNoSecrets(outcome, [secret])
    }
  })

  it('a URL with a key that the service holds is masked when read back', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'fn', {
      url: 'https://fn.azurewebsites.net/api/orders?code=service-held-fn-key',
      protocol: 'http'
    })
    const outcome = await step({ operation: 'get', 'backend-id': 'fn' })
    expect(JSON.parse(outcome.outputs.backend).properties.url).toBe(
      'https://fn.azurewebsites.net/api/orders?code=***'
    )
    expectNoSecrets(outcome, ['service-held-fn-key'])
  })
})

describe('secrets in the debug log', () => {
  it('a key with & < > + is redacted in the form ARM writes it (\\u0026 …) too', async () => {
    const key = 'k&y<1>+2'
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.example.com',
      protocol: 'http',
      credentials: { header: { 'x-api-key': [key] } }
    })
    // runInProcess runs with RUNNER_DEBUG=1: every response body is in the debug log.
    const outcome = await step({ operation: 'get', 'backend-id': 'orders' })
    expect(outcome.stdout).toContain('::debug::')
    expectNoSecrets(outcome, [key])
  })
})

describe("the Azure SDK's own log", () => {
  it('with AZURE_LOG_LEVEL or DEBUG=*, hostile response headers are shown, never obeyed (dist/)', async () => {
    const envs: Record<string, string>[] = [{ AZURE_LOG_LEVEL: 'info' }, { DEBUG: '*' }]
    for (const env of envs) {
      // The SDK logs allowed response headers as they came; a hostile service (or a proxy on
      // the way) can put a command in one.
      emulator.injectFault({
        method: 'GET',
        path: /backends\/orders$/,
        status: 200,
        body: {
          id: backendPath('orders'),
          name: 'orders',
          properties: {
            url: 'https://orders.example.com',
            protocol: 'http',
            credentials: { header: { 'x-api-key': ['sdk-log-key-1'] } }
          }
        },
        headers: { etag: '"e1"', 'x-ms-request-id': '##[stop-commands]PLANTED-4' }
      })
      // The SDK reads these variables when it loads: a fresh process, as the runner starts one.
      const outcome = await runDist(
        { ...TARGET, ...secretSignIn(emulator), operation: 'get', 'backend-id': 'orders' },
        env,
        emulator.certPath
      )
      expect(outcome.failure).toBeUndefined()
      expect(outcome.stderr).toBe('')
      expect(outcome.stdout).toContain('x-ms-request-id')
      expectInert(outcome)
      expect(maskedValues(outcome.stdout)).toContain('sdk-log-key-1')
      expectNoSecrets(outcome, ['sdk-log-key-1'])
    }
  })

  it('a body written with any JSON escapes (\\u003C, \\u0022, \\u00E9) is logged without its secrets', async () => {
    const keys = ['k<y>1+2', 'sa"lt', 'clé-secrète']
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.example.com',
      protocol: 'http',
      credentials: { header: { a: [keys[0]], b: [keys[1]], c: [keys[2]] } }
    })
    const escaped = (s: string) =>
      s.replace(
        /[^ -~]|[<>+"]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
      )
    const body = {
      id: backendPath('orders'),
      name: 'orders',
      properties: {
        url: 'https://orders.example.com',
        protocol: 'http',
        credentials: { header: { a: [keys[0]], b: [keys[1]], c: [keys[2]] } }
      }
    }
    const text = JSON.stringify(body).replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => {
      const value = JSON.parse(`"${inner}"`) as string
      return `"${escaped(value)}"`
    })
    emulator.injectFault({
      method: 'GET',
      path: /backends\/orders$/,
      status: 200,
      body: text,
      headers: { etag: '"e1"', 'content-type': 'application/json' }
    })
    const outcome = await step({ operation: 'get', 'backend-id': 'orders' })
    expect(outcome.failure).toBeUndefined()
    expectNoSecrets(outcome, keys)
    // The body is logged in one form, whatever escapes it came with (the mask lines aside).
    const logged = outcome.stdout.split('\n').find((l) => l.startsWith('::debug::<-- 200 GET'))
    expect(logged).not.toContain('\\u00E9')
  })
})

describe('every field that holds URLs', () => {
  it('resourceId and Service Fabric management endpoints keep their passwords and keys secret', async () => {
    const outcome = await step({
      operation: 'create',
      'backend-id': 'sf',
      url: 'fabric:/app/orders',
      protocol: 'http',
      'resource-id':
        'https://ops:rid-P4ssw0rd@management.azure.com/subscriptions/x?code=rid-code-K3y',
      'service-fabric-cluster': JSON.stringify({
        managementEndpoints: ['https://admin:sf-P4ssw0rd@sf.example.com:19080/?sig=sf-S1g'],
        clientCertificateId: 'cert1'
      }),
      'what-if': 'true'
    })
    expect(outcome.failure).toBeUndefined()
    const secrets = ['rid-P4ssw0rd', 'rid-code-K3y', 'sf-P4ssw0rd', 'sf-S1g']
    expect(maskedValues(outcome.stdout)).toEqual(expect.arrayContaining(secrets))
    expectNoSecrets(outcome, secrets)
    expectInert(outcome)
  })
})

describe('input errors that quote a value', () => {
  it('redact a key before the value is cut short or its control characters escaped', async () => {
    const key = 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnopq=='
    for (const [url, secret] of [
      [`htps://fn-orders.azurewebsites.net/api/orders?code=${key}`, key],
      ['https://deploy:p4ss\tw0rd@orders.example.com/', 'p4ss\tw0rd']
    ]) {
      const outcome = await step({ operation: 'create', 'backend-id': 'o', url, protocol: 'http' })
      expect(outcome.failure).toContain("Input 'url'")
      expect(outcome.failure).toContain('***')
      expectNoSecrets(outcome, [secret, secret.slice(0, 12), 'p4ss\\u0009w0rd'])
    }
  })
})
