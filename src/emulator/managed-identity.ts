// Managed identity the way App Service (and Azure Functions) serve it to the code they host:
// GET IDENTITY_ENDPOINT?resource=…&api-version=2019-08-01 with the X-IDENTITY-HEADER secret,
// answering {access_token, expires_on, resource, token_type, client_id}. This is the source
// MSAL-node's ManagedIdentityApplication (under @azure/identity 4's ManagedIdentityCredential)
// picks when IDENTITY_ENDPOINT and IDENTITY_HEADER are set. The access tokens are signed like
// the Entra endpoint's, so the ARM routes accept them.
import { randomUUID } from 'node:crypto'
import { EmuRequest, EmuResponse, jsonResponse } from './http.js'
import { signJwt } from './jwt.js'
import { EmulatorContext, ResolvedIdentity, entraIssuer } from './types.js'

export const MSI_PATH = '/msi/token'
export const MSI_API_VERSION = '2019-08-01'

export function isManagedIdentityPath(path: string): boolean {
  return path.toLowerCase() === MSI_PATH
}

// App Service's own text for an identity the app does not have (seen in SDK bug reports).
export const UNKNOWN_IDENTITY_MESSAGE =
  'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.'

export function handleManagedIdentity(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
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
  return jsonResponse(200, {
    access_token: signJwt(claims, ctx.entraKey),
    expires_on: String(expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: identity.clientId
  })
}

/** client_id, mi_res_id or object_id (principal_id) pick a user-assigned identity. */
function selectIdentity(req: EmuRequest, ctx: EmulatorContext): ResolvedIdentity | undefined {
  const q = req.query
  const same = (a: string | undefined, b: string) =>
    a !== undefined && a.toLowerCase() === b.toLowerCase()
  const users = ctx.managedIdentities.filter((m) => m.kind === 'user')
  if (q.client_id !== undefined) return users.find((m) => same(m.clientId, q.client_id))
  if (q.mi_res_id !== undefined) return users.find((m) => same(m.resourceId, q.mi_res_id))
  const objectId = q.object_id ?? q.principal_id
  if (objectId !== undefined) return users.find((m) => same(m.objectId, objectId))
  return ctx.managedIdentities.find((m) => m.kind === 'system')
}

/** App Service's error body: {statusCode, message, correlationId}. */
export function msiError(status: number, message: string): EmuResponse {
  return jsonResponse(status, { statusCode: status, message, correlationId: randomUUID() })
}
