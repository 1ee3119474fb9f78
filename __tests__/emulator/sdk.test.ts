// End to end with the real SDKs: @azure/identity (MSAL-node underneath) gets tokens from the
// emulator's Entra endpoint, @azure/arm-apimanagement calls its ARM endpoint, and
// @actions/core's getIDToken() fetches the GitHub OIDC assertion.
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import * as core from '@actions/core'
import { ApiManagementClient } from '@azure/arm-apimanagement'
import { ClientAssertionCredential, ClientSecretCredential, TokenCredential } from '@azure/identity'
import { ApimEmulator } from '../../emulator/server.js'
import { CLIENT_ID, CLIENT_SECRET, RG, SERVICE, SUB } from './helpers.js'

const SCOPE = 'https://management.azure.com/.default'

function apim(emu: ApimEmulator, credential: TokenCredential): ApiManagementClient {
  return new ApiManagementClient(credential, SUB, { endpoint: emu.url, credentialScopes: SCOPE })
}

describe('real Azure SDK against the emulator', () => {
  let emu: ApimEmulator
  let client: ApiManagementClient

  beforeAll(async () => {
    emu = await ApimEmulator.start()
    const credential = new ClientSecretCredential(emu.tenantId, CLIENT_ID, CLIENT_SECRET, {
      authorityHost: emu.url,
      disableInstanceDiscovery: true
    })
    client = apim(emu, credential)
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  it('creates, gets, lists and reconnects a backend with ClientSecretCredential', async () => {
    const created = await client.backend.createOrUpdate(RG, SERVICE, 'sdk-backend', {
      url: 'https://api.example.com',
      protocol: 'http',
      description: 'made by the SDK',
      tls: { validateCertificateChain: true, validateCertificateName: true }
    })
    expect(created.eTag).toMatch(/^"[A-Za-z0-9+/]+=*"$/)
    expect(created).toMatchObject({
      name: 'sdk-backend',
      url: 'https://api.example.com',
      protocol: 'http'
    })

    const got = await client.backend.get(RG, SERVICE, 'sdk-backend')
    expect(got.eTag).toBe(created.eTag)
    expect(got.description).toBe('made by the SDK')

    const names: string[] = []
    for await (const b of client.backend.listByService(RG, SERVICE)) names.push(b.name!)
    expect(names).toEqual(['sdk-backend'])

    await client.backend.reconnect(RG, SERVICE, 'sdk-backend', { parameters: { after: 'PT30S' } })
    const reconnect = emu.armRequests().find((r) => r.path.endsWith('/reconnect'))!
    expect(reconnect.status).toBe(202)
    expect(JSON.parse(reconnect.body)).toEqual({ properties: { after: 'PT30S' } })

    // MSAL fetched the OpenID document once, then one token for the management scope.
    const tokens = emu.tokenRequests()
    expect(tokens).toHaveLength(1)
    expect(new URLSearchParams(tokens[0].body).get('scope')).toBe(SCOPE)
    expect(
      emu.requests.some((r) => r.path.endsWith('/v2.0/.well-known/openid-configuration'))
    ).toBe(true)
  })

  it('surfaces ARM errors as RestError with the code and status', async () => {
    emu.putBackend(SUB, RG, SERVICE, 'b1', { url: 'https://x', protocol: 'http' })
    await expect(
      client.backend.createOrUpdate(RG, SERVICE, 'b2', { url: 'https://x', protocol: 'https' })
    ).rejects.toMatchObject({ statusCode: 400, code: 'ValidationError' })
    await expect(
      client.backend.update(RG, SERVICE, 'b1', '"stale"', { title: 't' })
    ).rejects.toMatchObject({ statusCode: 412, code: 'PreconditionFailed' })
    await expect(client.backend.get(RG, SERVICE, 'missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound'
    })
  })

  it('retries a 429 with Retry-After and then succeeds', async () => {
    emu.putBackend(SUB, RG, SERVICE, 'b1', { url: 'https://x', protocol: 'http' })
    emu.injectFault({
      method: 'GET',
      path: /\/backends\/b1$/,
      status: 429,
      headers: { 'Retry-After': '1' }
    })
    const got = await client.backend.get(RG, SERVICE, 'b1')
    expect(got.name).toBe('b1')
    expect(emu.armRequests().map((r) => r.status)).toEqual([429, 200])
  })
})

describe('ClientAssertionCredential with the GitHub OIDC endpoint', () => {
  const saved = { ...process.env }
  const write = process.stdout.write.bind(process.stdout)
  beforeEach(() => {
    // getIDToken() prints ::debug:: and ::add-mask::<token> workflow commands; keep them out of the log.
    jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) =>
        String(chunk).startsWith('::') ? true : write(chunk)
      )
  })
  afterEach(() => {
    jest.restoreAllMocks()
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = saved.ACTIONS_ID_TOKEN_REQUEST_URL
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = saved.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    for (const key of ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
      if (saved[key] === undefined) delete process.env[key]
    }
  })

  async function withEmulator(
    oidcSubject: string | undefined,
    run: (emu: ApimEmulator, client: ApiManagementClient) => Promise<void>
  ) {
    const emu = await ApimEmulator.start({ oidcSubject })
    try {
      process.env.ACTIONS_ID_TOKEN_REQUEST_URL = emu.oidcRequestUrl()
      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = emu.oidcRequestToken
      const credential = new ClientAssertionCredential(
        emu.tenantId,
        CLIENT_ID,
        () => core.getIDToken('api://AzureADTokenExchange'),
        { authorityHost: emu.url, disableInstanceDiscovery: true }
      )
      await run(emu, apim(emu, credential))
    } finally {
      await emu.stop()
    }
  }

  it('authenticates with the ID token from @actions/core getIDToken()', async () => {
    await withEmulator(undefined, async (emu, client) => {
      emu.putBackend(SUB, RG, SERVICE, 'b1', { url: 'https://x', protocol: 'http' })
      const tag = await client.backend.getEntityTag(RG, SERVICE, 'b1')
      expect(tag.eTag).toBe(emu.getBackend(SUB, RG, SERVICE, 'b1')!.etag)
      const oidc = emu.requests.filter((r) => r.path === '/_github/oidc/token')
      expect(oidc.length).toBeGreaterThan(0)
      expect(oidc[0].query.audience).toBe('api://AzureADTokenExchange')
      expect(emu.issuedTokens).toEqual([expect.objectContaining({ grant: 'client_assertion' })])
    })
  })

  it('fails with AADSTS70021 when the subject has no federated credential', async () => {
    await withEmulator('repo:octo-org/octo-repo:environment:prod', async (_emu, client) => {
      await expect(client.backend.get(RG, SERVICE, 'b1')).rejects.toThrow(/AADSTS70021/)
    })
  })
})
