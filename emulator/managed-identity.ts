// Managed identity endpoints, each as the real one serves the code on its machine, and each
// reached through the variables @azure/identity 4 (MSAL-node's ManagedIdentityApplication)
// reads:
// - App Service / Functions / Container Apps (MSI_PATH): GET IDENTITY_ENDPOINT?resource=…&
//   api-version=2019-08-01 with the X-IDENTITY-HEADER secret, answering {access_token,
//   expires_on, resource, token_type, client_id}; picked when IDENTITY_ENDPOINT and
//   IDENTITY_HEADER are set (msal-node ManagedIdentitySources/AppService.ts).
// - Azure Arc (ARC_PATH): IDENTITY_ENDPOINT + IMDS_ENDPOINT; a first GET is answered 401 with
//   `WWW-Authenticate: Basic realm=<key file>`, the same GET with `Authorization: Basic <file
//   content>` gets the token (msal-node ManagedIdentitySources/AzureArc.ts).
// - A VM's IMDS (IMDS_PATH): GET …/metadata/identity/oauth2/token?api-version=2018-02-01 with
//   `Metadata: true`; MSAL asks AZURE_POD_IDENTITY_AUTHORITY_HOST instead of 169.254.169.254
//   when it is set (msal-node ManagedIdentitySources/Imds.ts), which is how tests reach it.
// The access tokens are signed like the Entra endpoint's, so the ARM routes accept them.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { EmuRequest, EmuResponse, jsonResponse } from './http.js'
import { signJwt } from './jwt.js'
import { EmulatorContext, ResolvedIdentity, entraIssuer } from './types.js'

export const MSI_PATH = '/msi/token'
export const MSI_API_VERSION = '2019-08-01'
/** IMDS's own path: MSAL appends it to AZURE_POD_IDENTITY_AUTHORITY_HOST (Imds.ts). */
export const IMDS_PATH = '/metadata/identity/oauth2/token'
// Imds.ts IMDS_API_VERSION.
export const IMDS_API_VERSION = '2018-02-01'
/** Under its own prefix: IDENTITY_ENDPOINT is a whole URL, and the IMDS route owns IMDS_PATH. */
export const ARC_PATH = `/arc${IMDS_PATH}`
// AzureArc.ts sends ARC_API_VERSION 2020-06-01 (msal-node 5); azure-sdk-for-net's
// AzureArcManagedIdentitySource and docs/backend-contract.md give 2019-11-01.
export const ARC_API_VERSIONS = ['2019-11-01', '2020-06-01']

export function isManagedIdentityPath(path: string): boolean {
  const p = routeOf(path)
  return p === MSI_PATH || p === IMDS_PATH || p === ARC_PATH
}

/**
 * msal-node 5.6's Imds source asks for `…/oauth2/token/` (its URL gains a trailing slash: seen in
 * this emulator's request log); guess: IMDS serves both spellings, as MSAL works against it.
 */
function routeOf(path: string): string {
  const p = path.toLowerCase()
  return p !== MSI_PATH && p.endsWith('/token/') ? p.slice(0, -1) : p
}

/** What an Azure Arc-enabled server sets (system-wide) for the code on it. */
export function arcEnv(emulatorUrl: string): { IDENTITY_ENDPOINT: string; IMDS_ENDPOINT: string } {
  return { IDENTITY_ENDPOINT: `${emulatorUrl}${ARC_PATH}`, IMDS_ENDPOINT: emulatorUrl }
}

/** Moves MSAL's IMDS requests from 169.254.169.254 to the emulator (an Azure VM's identity). */
export function imdsEnv(emulatorUrl: string): { AZURE_POD_IDENTITY_AUTHORITY_HOST: string } {
  return { AZURE_POD_IDENTITY_AUTHORITY_HOST: emulatorUrl }
}

/**
 * Where the emulator's Arc agent writes its key files. The real agent writes them to
 * /var/opt/azcmagent/tokens/ (Linux) and MSAL accepts no other directory (AzureArc.ts,
 * SUPPORTED_AZURE_ARC_PLATFORMS): a test cannot write there without root, so this is a
 * temporary directory and MSAL refuses the challenge ("invalid_file_path"). The whole exchange
 * is exercised by a client that reads the file itself (managed-identity.test.ts).
 */
let arcKeyDir: string | undefined
/** Per emulator: the secrets written to key files, each good for one answer (guess: reuse). */
const arcSecrets = new WeakMap<EmulatorContext, Set<string>>()

// App Service's own text for an identity the app does not have (seen in SDK bug reports).
export const UNKNOWN_IDENTITY_MESSAGE =
  'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.'

export function handleManagedIdentity(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const p = routeOf(req.path)
  if (p === IMDS_PATH) return imds(req, ctx)
  if (p === ARC_PATH) return arc(req, ctx)
  if (req.method !== 'GET') {
    return msiError(405, `The requested resource does not support http method '${req.method}'.`)
  }
  // Not confirmed against App Service: the exact texts of these two refusals.
  const secret = req.headers['x-identity-header']
  if (secret === undefined || secret === '') {
    return msiError(400, 'The X-IDENTITY-HEADER header is required.')
  }
  if (secret !== ctx.identityHeader) {
    return msiError(401, 'The X-IDENTITY-HEADER header does not match this app.')
  }
  const apiVersion = req.query['api-version']
  if (apiVersion !== MSI_API_VERSION) {
    return msiError(
      400,
      `The api-version '${apiVersion ?? ''}' is not supported; use '${MSI_API_VERSION}'.`
    )
  }
  const requested = req.query.resource ?? req.query.scope
  if (!requested) return msiError(400, "The 'resource' query parameter is required.")
  const resource = requested.endsWith('/.default')
    ? requested.slice(0, -'/.default'.length)
    : requested

  const identity = selectIdentity(req, ctx)
  if (!identity) return msiError(400, UNKNOWN_IDENTITY_MESSAGE)
  const { token, expiresOn } = issue(ctx, identity, resource)
  return jsonResponse(200, {
    access_token: token,
    expires_on: String(expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: identity.clientId
  })
}

/**
 * IMDS on an Azure VM. Request and answer as learn.microsoft.com "How to use managed identities
 * for Azure resources on an Azure VM to acquire an access token" (HTTP sample and error table).
 */
function imds(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  if (req.method !== 'GET') return imdsError(405, 'invalid_request', 'Method not allowed') // guess: text
  // That page's error table: a request without the header is refused with this text.
  if (req.headers.metadata !== 'true')
    return imdsError(400, 'invalid_request', 'Required metadata header not specified')
  if (req.query['api-version'] !== IMDS_API_VERSION) {
    // guess: IMDS accepts other versions too; the emulator holds MSAL to the one it sends.
    return imdsError(
      400,
      'invalid_request',
      `Unsupported api-version '${req.query['api-version'] ?? ''}'`
    )
  }
  const resource = req.query.resource
  if (!resource)
    return imdsError(400, 'invalid_request', 'Required query variable resource is missing') // guess: text
  const identity = selectIdentity(req, ctx)
  // That page's error table: "Identity not found" for a user-assigned identity the VM lacks.
  if (!identity) return imdsError(400, 'invalid_request', 'Identity not found')
  return jsonResponse(200, imdsToken(ctx, identity, resource))
}

/** Azure Arc's HIMDS agent: the key-file challenge, then the token in IMDS's shape. */
function arc(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  if (req.method !== 'GET') return imdsError(405, 'invalid_request', 'Method not allowed') // guess: text
  // AzureArc.ts createRequest sends Metadata: true, as IMDS wants it.
  if (req.headers.metadata !== 'true')
    return imdsError(400, 'invalid_request', 'Required metadata header not specified')
  const apiVersion = req.query['api-version'] ?? ''
  if (!ARC_API_VERSIONS.includes(apiVersion))
    return imdsError(400, 'invalid_request', `Unsupported api-version '${apiVersion}'`) // guess: text
  const resource = req.query.resource
  if (!resource)
    return imdsError(400, 'invalid_request', 'Required query variable resource is missing') // guess: text
  const secrets = arcSecrets.get(ctx) ?? new Set<string>()
  arcSecrets.set(ctx, secrets)
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1]
  if (basic === undefined || !secrets.has(basic)) {
    // AzureArc.ts getServerTokenResponseAsync: a 401 whose WWW-Authenticate is
    // "Basic realm=<path of a .key file>"; the agent has just written the secret there.
    arcKeyDir ??= mkdtempSync(path.join(tmpdir(), 'apim-emulator-azcmagent-'))
    const file = path.join(arcKeyDir, `${randomUUID()}.key`)
    const secret = randomBytes(32).toString('base64url')
    writeFileSync(file, secret, { mode: 0o600 })
    secrets.add(secret)
    return {
      status: 401,
      headers: { 'www-authenticate': `Basic realm=${file}` },
      body: imdsErrorBody('unauthorized', 'Unauthorized') // guess: body
    }
  }
  secrets.delete(basic)
  const identity = selectIdentity(req, ctx)
  if (!identity) return imdsError(400, 'invalid_request', 'Identity not found')
  return jsonResponse(200, imdsToken(ctx, identity, resource))
}

/** IMDS's token answer: every number as a string (the learn.microsoft.com page's sample). */
function imdsToken(ctx: EmulatorContext, identity: ResolvedIdentity, requested: string) {
  const resource = requested.endsWith('/.default')
    ? requested.slice(0, -'/.default'.length)
    : requested
  const { token, expiresOn, now } = issue(ctx, identity, resource)
  return {
    access_token: token,
    client_id: identity.clientId,
    expires_in: String(ctx.tokenLifetimeSeconds),
    expires_on: String(expiresOn),
    ext_expires_in: String(ctx.tokenLifetimeSeconds),
    not_before: String(now),
    resource,
    token_type: 'Bearer'
  }
}

function imdsErrorBody(error: string, description: string) {
  return { error, error_description: description }
}

/** IMDS's error body: {error, error_description} (the learn.microsoft.com page's table). */
function imdsError(status: number, error: string, description: string): EmuResponse {
  return jsonResponse(status, imdsErrorBody(error, description))
}

/** An access token for the identity, recorded as issued. */
function issue(ctx: EmulatorContext, identity: ResolvedIdentity, resource: string) {
  const now = Math.floor(Date.now() / 1000)
  const expiresOn = now + ctx.tokenLifetimeSeconds
  const claims: Record<string, unknown> = {
    aud: resource,
    iss: entraIssuer(ctx.tenantId),
    iat: now,
    nbf: now,
    exp: expiresOn,
    aio: randomUUID(),
    appid: identity.clientId,
    azp: identity.clientId,
    appidacr: '2',
    idp: entraIssuer(ctx.tenantId),
    idtyp: 'app',
    oid: identity.objectId,
    sub: identity.objectId,
    tid: ctx.tenantId,
    uti: randomUUID().replace(/-/g, '').slice(0, 22),
    ver: '1.0'
  }
  if (identity.resourceId) claims.xms_mirid = identity.resourceId
  ctx.issuedTokens.push({
    clientId: identity.clientId,
    scope: `${resource}/.default`,
    audience: resource,
    grant: 'managed_identity',
    at: Date.now()
  })
  return { token: signJwt(claims, ctx.entraKey), expiresOn, now }
}

/** client_id, mi_res_id or object_id (principal_id) pick a user-assigned identity. */
function selectIdentity(req: EmuRequest, ctx: EmulatorContext): ResolvedIdentity | undefined {
  const q = req.query
  const same = (a: string | undefined, b: string) =>
    a !== undefined && a.toLowerCase() === b.toLowerCase()
  const users = ctx.managedIdentities.filter((m) => m.kind === 'user')
  if (q.client_id !== undefined) return users.find((m) => same(m.clientId, q.client_id))
  if (q.mi_res_id !== undefined) return users.find((m) => same(m.resourceId, q.mi_res_id))
  // IMDS and Arc spell the resource id selector msi_res_id (Imds.ts, AzureArc.ts createRequest).
  if (q.msi_res_id !== undefined) return users.find((m) => same(m.resourceId, q.msi_res_id))
  const objectId = q.object_id ?? q.principal_id
  if (objectId !== undefined) return users.find((m) => same(m.objectId, objectId))
  return ctx.managedIdentities.find((m) => m.kind === 'system')
}

/** App Service's error body: {statusCode, message, correlationId}. */
export function msiError(status: number, message: string): EmuResponse {
  return jsonResponse(status, { statusCode: status, message, correlationId: randomUUID() })
}
