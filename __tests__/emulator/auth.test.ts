// Entra token endpoint, GitHub OIDC endpoint and ARM's front-door authentication/authorization.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync, sign } from 'node:crypto'
import { ApimEmulator } from '../../emulator/server.js'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  arm,
  backendPath,
  decodePayload,
  getToken,
  send,
  servicePath,
  tokenRequest
} from './helpers.js'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const SCOPE = 'https://management.azure.com/.default'

async function idToken(emu: ApimEmulator, audience?: string): Promise<string> {
  const url = audience
    ? `${emu.oidcRequestUrl()}&audience=${encodeURIComponent(audience)}`
    : emu.oidcRequestUrl()
  const res = await send(url, { headers: { authorization: `Bearer ${emu.oidcRequestToken}` } })
  expect(res.status).toBe(200)
  return res.json.value
}

function assertionRequest(emu: ApimEmulator, assertion: string, clientId = CLIENT_ID) {
  return tokenRequest(emu, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
    scope: SCOPE
  })
}

function expectEntraError(
  res: { status: number; json: Record<string, unknown> },
  status: number,
  error: string,
  code: number
) {
  expect(res.status).toBe(status)
  expect(res.json.error).toBe(error)
  expect(res.json.error_codes).toEqual([code])
  expect(res.json.error_description).toMatch(new RegExp(`^AADSTS${code}: `))
  expect(res.json.error_description).toMatch(/Trace ID: .+ Correlation ID: .+ Timestamp: /)
  for (const key of ['timestamp', 'trace_id', 'correlation_id'])
    expect(typeof res.json[key]).toBe('string')
}

/** A well-formed RS256 JWT signed by a key that is not the emulator's. */
function forgedJwt(payload: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const input = `${enc({ alg: 'RS256', typ: 'JWT', kid: 'forged' })}.${enc(payload)}`
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`
}

describe('Entra token endpoint', () => {
  let emu: ApimEmulator
  beforeAll(async () => {
    emu = await ApimEmulator.start({
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          federatedSubjects: ['repo:octo-org/octo-repo:ref:refs/heads/main'],
          objectId: 'aaaaaaaa-0000-0000-0000-000000000001'
        }
      ]
    })
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  it('serves the OpenID configuration MSAL needs, for the tenant in any case', async () => {
    const res = await send(
      `${emu.url}/${emu.tenantId.toUpperCase()}/v2.0/.well-known/openid-configuration`
    )
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      token_endpoint: `${emu.url}/${emu.tenantId}/oauth2/v2.0/token`,
      authorization_endpoint: `${emu.url}/${emu.tenantId}/oauth2/v2.0/authorize`,
      issuer: `${emu.url}/${emu.tenantId}/v2.0`,
      jwks_uri: `${emu.url}/${emu.tenantId}/discovery/v2.0/keys`
    })
    const keys = await send(res.json.jwks_uri)
    expect(keys.json.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' })
  })

  it('answers AADSTS90002 for an unknown tenant', async () => {
    const res = await send(`${emu.url}/not-a-tenant/v2.0/.well-known/openid-configuration`)
    expectEntraError(res, 400, 'invalid_tenant', 90002)
    const token = await tokenRequest(emu, { grant_type: 'client_credentials' }, 'not-a-tenant')
    expectEntraError(token, 400, 'invalid_tenant', 90002)
  })

  it('issues an RS256 access token with the ARM claims for a client secret', async () => {
    const res = await tokenRequest(emu, {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: SCOPE
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 })
    const header = JSON.parse(
      Buffer.from(res.json.access_token.split('.')[0], 'base64url').toString()
    )
    expect(header.alg).toBe('RS256')
    const claims = decodePayload(res.json.access_token)
    expect(claims).toMatchObject({
      aud: 'https://management.azure.com',
      iss: `https://sts.windows.net/${emu.tenantId}/`,
      appid: CLIENT_ID,
      azp: CLIENT_ID,
      oid: 'aaaaaaaa-0000-0000-0000-000000000001',
      tid: emu.tenantId
    })
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600)
    expect(emu.tokenRequests()).toHaveLength(1)
    expect(emu.issuedTokens[0]).toMatchObject({ scope: SCOPE, grant: 'client_secret' })
  })

  it('rejects a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    const res = await tokenRequest(emu, {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: 'nope',
      scope: SCOPE
    })
    expectEntraError(res, 401, 'invalid_client', 7000215)
    expect(res.json.error_description).toContain('Invalid client secret provided.')
  })

  it('rejects an unknown client with 400 unauthorized_client AADSTS700016', async () => {
    const other = '22222222-2222-2222-2222-222222222222'
    const res = await tokenRequest(emu, {
      grant_type: 'client_credentials',
      client_id: other,
      client_secret: 'x',
      scope: SCOPE
    })
    expectEntraError(res, 400, 'unauthorized_client', 700016)
    expect(res.json.error_description).toContain(
      `Application with identifier '${other}' was not found in the directory`
    )
  })

  it('requires a /.default scope and some credential', async () => {
    const scope = await tokenRequest(emu, {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'https://management.azure.com/user_impersonation'
    })
    expectEntraError(scope, 400, 'invalid_scope', 1002012)
    const missing = await tokenRequest(emu, {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      scope: SCOPE
    })
    expectEntraError(missing, 401, 'invalid_client', 7000218)
  })

  it('exchanges a GitHub ID token from the emulator for an access token', async () => {
    const assertion = await idToken(emu)
    const claims = decodePayload(assertion)
    expect(claims).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'api://AzureADTokenExchange',
      repository: 'octo-org/octo-repo'
    })
    expect(Number(claims.exp) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300)
    const res = await assertionRequest(emu, assertion)
    expect(res.status).toBe(200)
    expect(decodePayload(res.json.access_token).appidacr).toBe('2')
  })

  it('refuses the OIDC endpoint without the request token', async () => {
    const res = await send(emu.oidcRequestUrl(), { headers: { authorization: 'Bearer wrong' } })
    expect(res.status).toBe(401)
  })

  it('rejects an assertion for another audience with AADSTS700212', async () => {
    const res = await assertionRequest(emu, await idToken(emu, 'api://SomethingElse'))
    expectEntraError(res, 401, 'invalid_client', 700212)
    expect(res.json.error_description).toContain(
      "AADSTS700212: No matching federated identity record found for presented assertion audience 'api://SomethingElse'."
    )
  })

  it('rejects an assertion not signed by the emulator', async () => {
    const now = Math.floor(Date.now() / 1000)
    const forged = forgedJwt({
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'api://AzureADTokenExchange',
      exp: now + 300
    })
    expectEntraError(await assertionRequest(emu, forged), 400, 'invalid_client', 50027)
    expectEntraError(await assertionRequest(emu, 'not-a-jwt'), 400, 'invalid_client', 50027)
  })

  it('rejects a subject with no federated credential with AADSTS700213, in the text users reported', async () => {
    // A pull_request workflow against a credential made for the main branch (Azure/login#379).
    const other = await ApimEmulator.start({ oidcSubject: 'repo:octo-org/octo-repo:pull_request' })
    try {
      const res = await assertionRequest(other, await idToken(other))
      expectEntraError(res, 401, 'invalid_client', 700213)
      expect(res.json.error_description).toMatch(
        /^AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:octo-org\/octo-repo:pull_request'\. Check your federated identity credential Subject, Audience and Issuer against the presented assertion\. https:\/\/learn\.microsoft\.com\/entra\/workload-id\/workload-identity-federation Trace ID: /
      )
    } finally {
      await other.stop()
    }
  })

  it('rejects a subject that differs only in case with AADSTS7002138 (Azure/login#515)', async () => {
    const other = await ApimEmulator.start({
      oidcSubject: 'repo:Octo-Org/octo-repo:ref:refs/heads/main'
    })
    try {
      const res = await assertionRequest(other, await idToken(other))
      expectEntraError(res, 401, 'invalid_client', 7002138)
      expect(res.json.error_description).toContain(
        'The subject matches with case-insensitive comparison, but not with case-sensitive comparison.'
      )
    } finally {
      await other.stop()
    }
  })
})

describe('ARM authentication and authorization', () => {
  let emu: ApimEmulator
  let token: string
  beforeAll(async () => {
    emu = await ApimEmulator.start({
      clients: [
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        {
          clientId: '33333333-3333-3333-3333-333333333333',
          clientSecret: 'reader-secret',
          objectId: '44444444-4444-4444-4444-444444444444',
          canWrite: false
        }
      ]
    })
    token = await getToken(emu)
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  it('answers 401 AuthenticationFailed without an Authorization header', async () => {
    const res = await arm(emu, 'GET', `${servicePath()}/backends`)
    expect(res.status).toBe(401)
    expect(res.json.error).toEqual({
      code: 'AuthenticationFailed',
      message: "Authentication failed. The 'Authorization' header is missing."
    })
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
  })

  it('answers 401 InvalidAuthenticationToken for garbage and for a token not issued here', async () => {
    for (const bad of [
      'garbage',
      forgedJwt({
        aud: 'https://management.azure.com',
        iss: `https://sts.windows.net/${emu.tenantId}/`,
        exp: Math.floor(Date.now() / 1000) + 600
      })
    ]) {
      const res = await arm(emu, 'GET', `${servicePath()}/backends`, { token: bad })
      expect(res.status).toBe(401)
      expect(res.json.error).toEqual({
        code: 'InvalidAuthenticationToken',
        message: 'The access token is invalid.'
      })
    }
    const other = await ApimEmulator.start()
    try {
      const foreign = await getToken(other)
      const res = await arm(emu, 'GET', `${servicePath()}/backends`, { token: foreign })
      expect(res.json.error.code).toBe('InvalidAuthenticationToken')
    } finally {
      await other.stop()
    }
  })

  it('answers 401 InvalidAuthenticationTokenAudience for a token for another resource', async () => {
    const graph = await getToken(emu, 'https://graph.microsoft.com/.default')
    const res = await arm(emu, 'GET', `${servicePath()}/backends`, { token: graph })
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('InvalidAuthenticationTokenAudience')
    expect(res.json.error.message).toContain(
      "The access token has been obtained for wrong audience or resource 'https://graph.microsoft.com'."
    )
  })

  it('accepts the management audience with and without the trailing slash', async () => {
    for (const scope of [
      'https://management.azure.com/.default',
      'https://management.azure.com//.default'
    ]) {
      const res = await arm(emu, 'GET', `${servicePath()}/backends`, {
        token: await getToken(emu, scope)
      })
      expect(res.status).toBe(200)
    }
  })

  it('answers 401 ExpiredAuthenticationToken for an expired token', async () => {
    const now = Math.floor(Date.now() / 1000)
    const expired = emu.mintAccessToken({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 })
    const res = await arm(emu, 'GET', `${servicePath()}/backends`, { token: expired })
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('ExpiredAuthenticationToken')
    expect(res.json.error.message).toMatch(
      /^The access token expiry UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time '.+'\.$/
    )
  })

  it('expires tokens after tokenLifetimeSeconds', async () => {
    const shortLived = await ApimEmulator.start({ tokenLifetimeSeconds: 1 })
    try {
      const t = await getToken(shortLived)
      await new Promise((r) => setTimeout(r, 1100))
      const res = await arm(shortLived, 'GET', `${servicePath()}/backends`, { token: t })
      expect(res.json.error.code).toBe('ExpiredAuthenticationToken')
    } finally {
      await shortLived.stop()
    }
  })

  it('answers 403 AuthorizationFailed on writes for a client without write access, reads still work', async () => {
    const reader = await getToken(
      emu,
      SCOPE,
      '33333333-3333-3333-3333-333333333333',
      'reader-secret'
    )
    expect((await arm(emu, 'GET', `${servicePath()}/backends`, { token: reader })).status).toBe(200)
    const res = await arm(emu, 'PUT', backendPath('b1'), {
      token: reader,
      body: { properties: { url: 'https://x', protocol: 'http' } }
    })
    expect(res.status).toBe(403)
    expect(res.json.error).toEqual({
      code: 'AuthorizationFailed',
      message: `The client '33333333-3333-3333-3333-333333333333' with object id '44444444-4444-4444-4444-444444444444' does not have authorization to perform action 'Microsoft.ApiManagement/service/backends/write' over scope '${backendPath('b1')}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
    })
    const reconnect = await arm(emu, 'POST', `${backendPath('b1')}/reconnect`, { token: reader })
    expect(reconnect.json.error.message).toContain(
      "'Microsoft.ApiManagement/service/backends/reconnect/action'"
    )
  })

  it('requires api-version 2024-05-01', async () => {
    const missing = await arm(emu, 'GET', `${servicePath()}/backends`, { token, apiVersion: null })
    expect(missing.status).toBe(400)
    expect(missing.json.error.code).toBe('MissingApiVersionParameter')
    const wrong = await arm(emu, 'GET', `${servicePath()}/backends`, {
      token,
      apiVersion: '2022-08-01'
    })
    expect(wrong.status).toBe(400)
    expect(wrong.json.error.code).toBe('InvalidApiVersionParameter')
  })
})
