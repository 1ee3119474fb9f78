// Managed identity, App Service style: the raw endpoint, then the real ManagedIdentityCredential
// of @azure/identity (MSAL-node's App Service source, chosen because IDENTITY_ENDPOINT and
// IDENTITY_HEADER are set) getting tokens the emulator's ARM accepts.
//
// MSAL keeps the managed identity source it picked, and the tokens, in static fields for the
// life of the module registry (one per test file here), so this file uses one emulator and
// sets the environment once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ApiManagementClient } from '@azure/arm-apimanagement'
import { ManagedIdentityCredential } from '@azure/identity'
import { readFileSync } from 'node:fs'
import { arcEnv, imdsEnv } from '../../emulator/managed-identity.js'
import { ApimEmulator } from '../../emulator/server.js'
import { RG, SERVICE, SUB, arm, backendPath, decodePayload, send } from './helpers.js'

const SYSTEM = { clientId: 'aaaaaaaa-0000-0000-0000-000000000001' }
const USER = {
  clientId: 'bbbbbbbb-0000-0000-0000-000000000002',
  objectId: 'bbbbbbbb-0000-0000-0000-0000000000ff'
}
const USER2 = {
  clientId: 'cccccccc-0000-0000-0000-000000000003',
  resourceId:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-two'
}
const RESOURCE = 'https://management.azure.com'
const SCOPE = `${RESOURCE}/.default`
const MI_VARS = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'IDENTITY_SERVER_THUMBPRINT',
  'MSI_ENDPOINT'
]

describe('managed identity (App Service)', () => {
  let emu: ApimEmulator
  const saved: Record<string, string | undefined> = {}

  beforeAll(async () => {
    emu = await ApimEmulator.start({
      managedIdentity: { systemAssigned: SYSTEM, userAssigned: [USER, USER2] }
    })
    for (const name of MI_VARS) {
      saved[name] = process.env[name]
      delete process.env[name]
    }
    Object.assign(process.env, emu.managedIdentityEnv())
  })
  afterAll(async () => {
    for (const name of MI_VARS) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
    await emu.stop()
  })
  beforeEach(() => emu.reset())

  const msi = (query: Record<string, string>, headers: Record<string, string> = {}) =>
    send(`${emu.url}/msi/token?${new URLSearchParams(query)}`, { headers })
  const secret = () => ({ 'X-IDENTITY-HEADER': emu.managedIdentityEnv().IDENTITY_HEADER })

  describe('the endpoint', () => {
    it('gives the environment App Service sets', () => {
      const env = emu.managedIdentityEnv()
      expect(env.IDENTITY_ENDPOINT).toBe(`${emu.url}/msi/token`)
      expect(env.IDENTITY_HEADER).toMatch(/^[\w-]{20,}$/)
    })

    it("answers App Service's token JSON for the system-assigned identity", async () => {
      const res = await msi({ resource: RESOURCE, 'api-version': '2019-08-01' }, secret())
      expect(res.status).toBe(200)
      expect(Object.keys(res.json).sort()).toEqual(
        ['access_token', 'client_id', 'expires_on', 'resource', 'token_type'].sort()
      )
      expect(res.json).toMatchObject({
        resource: RESOURCE,
        token_type: 'Bearer',
        client_id: SYSTEM.clientId
      })
      expect(res.json.expires_on).toMatch(/^\d{10}$/)
      const now = Date.now() / 1000
      expect(Number(res.json.expires_on)).toBeGreaterThan(now + 3000)
      const claims = decodePayload(res.json.access_token)
      expect(claims).toMatchObject({
        aud: RESOURCE,
        appid: SYSTEM.clientId,
        tid: emu.tenantId,
        idtyp: 'app'
      })
      expect(emu.managedIdentityRequests()).toHaveLength(1)
      expect(emu.issuedTokens[0]).toMatchObject({
        clientId: SYSTEM.clientId,
        grant: 'managed_identity'
      })
    })

    it('picks a user-assigned identity by client_id, object_id or mi_res_id; takes scope too', async () => {
      const base = { 'api-version': '2019-08-01', resource: RESOURCE }
      const byClient = await msi({ ...base, client_id: USER.clientId }, secret())
      expect(decodePayload(byClient.json.access_token)).toMatchObject({
        appid: USER.clientId,
        oid: USER.objectId
      })
      const byObject = await msi({ ...base, object_id: USER.objectId }, secret())
      expect(byObject.json.client_id).toBe(USER.clientId)
      const byResource = await msi({ ...base, mi_res_id: USER2.resourceId }, secret())
      expect(byResource.json.client_id).toBe(USER2.clientId)
      expect(decodePayload(byResource.json.access_token).xms_mirid).toBe(USER2.resourceId)
      const byScope = await msi({ 'api-version': '2019-08-01', scope: SCOPE }, secret())
      expect(byScope.json.resource).toBe(RESOURCE)
    })

    it('refuses unknown identities and bad requests as App Service does', async () => {
      const base = { 'api-version': '2019-08-01', resource: RESOURCE }
      const unknown = await msi(
        { ...base, client_id: 'dddddddd-0000-0000-0000-000000000000' },
        secret()
      )
      expect(unknown.status).toBe(400)
      expect(unknown.json).toMatchObject({
        statusCode: 400,
        message:
          'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.'
      })
      expect((await msi(base)).status).toBe(400)
      expect((await msi(base, { 'X-IDENTITY-HEADER': 'wrong' })).status).toBe(401)
      expect((await msi({ ...base, 'api-version': '2017-09-01' }, secret())).status).toBe(400)
      expect((await msi({ 'api-version': '2019-08-01' }, secret())).status).toBe(400)
      expect(emu.managedIdentityRequests().map((r) => r.status)).toEqual([400, 400, 401, 400, 400])
    })

    it("issues tokens ARM accepts, as the identity's principal", async () => {
      const res = await msi({ 'api-version': '2019-08-01', resource: RESOURCE }, secret())
      const put = await arm(emu, 'PUT', backendPath('mi'), {
        token: res.json.access_token,
        body: { properties: { url: 'https://x', protocol: 'http' } }
      })
      expect(put.status).toBe(201)
    })

    it('honours canWrite: false', async () => {
      const readOnly = await ApimEmulator.start({
        managedIdentity: { systemAssigned: { clientId: SYSTEM.clientId, canWrite: false } }
      })
      try {
        const res = await send(
          `${readOnly.url}/msi/token?api-version=2019-08-01&resource=${encodeURIComponent(RESOURCE)}`,
          { headers: { 'X-IDENTITY-HEADER': readOnly.managedIdentityEnv().IDENTITY_HEADER } }
        )
        const put = await arm(readOnly, 'PUT', backendPath('mi'), {
          token: res.json.access_token,
          body: { properties: { url: 'https://x', protocol: 'http' } }
        })
        expect([put.status, put.json.error.code]).toEqual([403, 'AuthorizationFailed'])
      } finally {
        await readOnly.stop()
      }
    })

    it('without configured identities, refuses every request', async () => {
      const none = await ApimEmulator.start()
      try {
        const res = await send(`${none.url}/msi/token?api-version=2019-08-01&resource=x`, {
          headers: { 'X-IDENTITY-HEADER': none.managedIdentityEnv().IDENTITY_HEADER }
        })
        expect(res.status).toBe(400)
      } finally {
        await none.stop()
      }
    })
  })

  describe('the real ManagedIdentityCredential', () => {
    it('gets a system-assigned token that the SDK uses against ARM', async () => {
      const credential = new ManagedIdentityCredential()
      const token = await credential.getToken(SCOPE)
      expect(decodePayload(token.token)).toMatchObject({ appid: SYSTEM.clientId, aud: RESOURCE })
      expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000)

      const [request] = emu.managedIdentityRequests()
      expect(request).toMatchObject({ method: 'GET', status: 200 })
      expect(request.query).toEqual({ 'api-version': '2019-08-01', resource: RESOURCE })
      expect(request.headers['x-identity-header']).toBe(emu.managedIdentityEnv().IDENTITY_HEADER)

      const client = new ApiManagementClient(credential, SUB, {
        endpoint: emu.url,
        credentialScopes: SCOPE
      })
      const created = await client.backend.createOrUpdate(RG, SERVICE, 'from-mi', {
        url: 'https://api.example.com',
        protocol: 'http'
      })
      expect(created.name).toBe('from-mi')
      // MSAL cached the token: still one request to the endpoint
      expect(emu.managedIdentityRequests()).toHaveLength(1)
    })

    it('gets a user-assigned token with { clientId }', async () => {
      const credential = new ManagedIdentityCredential({ clientId: USER.clientId })
      const token = await credential.getToken(SCOPE)
      expect(decodePayload(token.token)).toMatchObject({ appid: USER.clientId, oid: USER.objectId })
      expect(emu.managedIdentityRequests()[0].query).toEqual({
        'api-version': '2019-08-01',
        resource: RESOURCE,
        client_id: USER.clientId
      })
    })

    it('gets a user-assigned token with { resourceId }', async () => {
      const credential = new ManagedIdentityCredential({ resourceId: USER2.resourceId })
      const token = await credential.getToken(SCOPE)
      expect(decodePayload(token.token).appid).toBe(USER2.clientId)
      expect(emu.managedIdentityRequests()[0].query.mi_res_id).toBe(USER2.resourceId)
    })

    it("fails with App Service's message for an identity the app does not have", async () => {
      const credential = new ManagedIdentityCredential({
        clientId: 'dddddddd-0000-0000-0000-000000000000'
      })
      await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
        name: 'CredentialUnavailableError',
        message: expect.stringContaining(
          'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.'
        )
      })
      expect(emu.managedIdentityRequests().map((r) => r.status)).toEqual([400])
    })
  })
})

// The raw endpoints of a VM (IMDS) and of an Azure Arc-enabled server, as a client that follows
// the protocol (msal-node Imds.ts and AzureArc.ts) sees them. The real credential against them
// runs in __tests__/e2e/sign-in-runner.test.ts.
describe('managed identity on a VM (IMDS) and on Azure Arc: the endpoints', () => {
  let emu: ApimEmulator
  beforeAll(async () => {
    emu = await ApimEmulator.start({
      managedIdentity: { systemAssigned: SYSTEM, userAssigned: [USER, USER2] }
    })
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  const query = (extra: Record<string, string> = {}, version = '2018-02-01') =>
    new URLSearchParams({ 'api-version': version, resource: RESOURCE, ...extra })

  it("IMDS: with Metadata: true, answers the VM's token with every number as a string", async () => {
    const host = imdsEnv(emu.url).AZURE_POD_IDENTITY_AUTHORITY_HOST
    const res = await send(`${host}/metadata/identity/oauth2/token?${query()}`, {
      headers: { Metadata: 'true' }
    })
    expect(res.status).toBe(200)
    const body = res.json as Record<string, string>
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'client_id',
      'expires_in',
      'expires_on',
      'ext_expires_in',
      'not_before',
      'resource',
      'token_type'
    ])
    expect(body.client_id).toBe(SYSTEM.clientId)
    expect(typeof body.expires_on).toBe('string')
    expect(decodePayload(body.access_token).aud).toBe(RESOURCE)
  })

  it('IMDS: refuses a request without Metadata: true, and an identity the VM lacks', async () => {
    const url = `${emu.url}/metadata/identity/oauth2/token`
    const bare = await send(`${url}?${query()}`)
    expect(bare.status).toBe(400)
    expect(bare.json).toEqual({
      error: 'invalid_request',
      error_description: 'Required metadata header not specified'
    })
    const other = await send(
      `${url}?${query({ client_id: 'dddddddd-0000-0000-0000-000000000004' })}`,
      {
        headers: { Metadata: 'true' }
      }
    )
    expect(other.status).toBe(400)
    expect(other.json).toMatchObject({ error_description: 'Identity not found' })
    const byResource = await send(`${url}?${query({ msi_res_id: USER2.resourceId })}`, {
      headers: { Metadata: 'true' }
    })
    expect((byResource.json as { client_id: string }).client_id).toBe(USER2.clientId)
  })

  it('Azure Arc: a 401 names a key file; the same request with its content gets the token', async () => {
    const { IDENTITY_ENDPOINT, IMDS_ENDPOINT } = arcEnv(emu.url)
    expect(IMDS_ENDPOINT).toBe(emu.url)
    const url = `${IDENTITY_ENDPOINT}?${query({}, '2020-06-01')}`
    const challenge = await send(url, { headers: { Metadata: 'true' } })
    expect(challenge.status).toBe(401)
    const realm = /^Basic realm=(.+)$/.exec(challenge.headers.get('www-authenticate') ?? '')?.[1]
    expect(realm).toMatch(/\.key$/)
    const secret = readFileSync(realm!, 'utf8')
    const answer = await send(url, {
      headers: { Metadata: 'true', Authorization: `Basic ${secret}` }
    })
    expect(answer.status).toBe(200)
    expect((answer.json as { client_id: string }).client_id).toBe(SYSTEM.clientId)
    // One answer per key: a replayed secret meets a new challenge (guess, see the emulator).
    const again = await send(url, {
      headers: { Metadata: 'true', Authorization: `Basic ${secret}` }
    })
    expect(again.status).toBe(401)
    // The api-version azure-sdk-for-net sends is served too.
    const net = await send(`${IDENTITY_ENDPOINT}?${query({}, '2019-11-01')}`, {
      headers: { Metadata: 'true', Authorization: 'Basic wrong' }
    })
    expect(net.status).toBe(401)
  })
})
