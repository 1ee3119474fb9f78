// The part of Entra ID (AAD v2) that MSAL-node uses for the client-credentials flow: the
// OpenID discovery document, the signing keys, instance discovery and the token endpoint, with
// errors in Entra's shape and its AADSTS texts.
import { randomUUID } from 'node:crypto'
import { EmuRequest, EmuResponse, jsonResponse, pathSegments, sameText } from './http.js'
import { publicJwk, signJwt, verifyJwt } from './jwt.js'
import { EmulatorContext, GITHUB_ISSUER, ResolvedClient, entraIssuer, findClient } from './types.js'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email'])

/** Answers the Entra routes; undefined when the path is not one of them. */
export function handleEntra(req: EmuRequest, ctx: EmulatorContext): EmuResponse | undefined {
  const s = pathSegments(req.path)
  if (!s) return undefined
  const route = (...parts: string[]) =>
    s.length === parts.length + 1 && parts.every((p, i) => sameText(s[i + 1], p))

  if (
    s.length === 3 &&
    sameText(s[0], 'common') &&
    sameText(s[1], 'discovery') &&
    sameText(s[2], 'instance')
  ) {
    return instanceDiscovery(req, ctx)
  }
  const tenant = s[0]
  if (
    route('v2.0', '.well-known', 'openid-configuration') ||
    route('.well-known', 'openid-configuration')
  ) {
    return knownTenant(ctx, tenant) ? openIdConfiguration(ctx) : tenantNotFound(req, tenant)
  }
  if (route('discovery', 'v2.0', 'keys') || route('discovery', 'keys')) {
    return knownTenant(ctx, tenant)
      ? jsonResponse(200, { keys: [publicJwk(ctx.entraKey, `${ctx.url}/${ctx.tenantId}/v2.0`)] })
      : tenantNotFound(req, tenant)
  }
  if (route('oauth2', 'v2.0', 'token')) {
    if (req.method !== 'POST') {
      return entraError(
        req,
        400,
        'invalid_request',
        900561,
        `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`
      )
    }
    return knownTenant(ctx, tenant) ? token(req, ctx) : tenantNotFound(req, tenant)
  }
  return undefined
}

function knownTenant(ctx: EmulatorContext, tenant: string): boolean {
  return tenant.toLowerCase() === ctx.tenantId.toLowerCase()
}

function openIdConfiguration(ctx: EmulatorContext): EmuResponse {
  const base = `${ctx.url}/${ctx.tenantId}`
  return jsonResponse(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic'
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/openid/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'appid', 'azp'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net'
  })
}

function instanceDiscovery(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const host = new URL(ctx.url).host
  return jsonResponse(200, {
    tenant_discovery_endpoint: `${ctx.url}/${ctx.tenantId}/v2.0/.well-known/openid-configuration`,
    'api-version': req.query['api-version'] ?? '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }]
  })
}

function token(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const form = new URLSearchParams(req.body)
  const param = (name: string) => form.get(name) ?? undefined
  const missing = (name: string) =>
    entraError(
      req,
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`
    )

  const grantType = param('grant_type')
  if (!grantType) return missing('grant_type')
  if (grantType !== 'client_credentials') {
    return entraError(
      req,
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`
    )
  }
  const clientId = param('client_id')
  if (!clientId) return missing('client_id')
  const scopeParam = param('scope')
  if (!scopeParam) return missing('scope')

  const client = findClient(ctx, clientId)
  if (!client) {
    return entraError(
      req,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${ctx.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
    )
  }

  const scopes = scopeParam.split(' ').filter((v) => v && !OIDC_SCOPES.has(v))
  if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
    return entraError(
      req,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scopeParam} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
    )
  }

  const assertion = param('client_assertion')
  const secret = param('client_secret')
  let grant: 'client_secret' | 'client_assertion'
  if (assertion !== undefined) {
    const failure = checkAssertion(req, ctx, client, assertion, param('client_assertion_type'))
    if (failure) return failure
    grant = 'client_assertion'
  } else if (secret !== undefined) {
    if (!client.clientSecret || secret !== client.clientSecret) {
      return entraError(
        req,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`
      )
    }
    grant = 'client_secret'
  } else {
    return entraError(
      req,
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
    )
  }

  const audience = scopes[0].slice(0, -'/.default'.length)
  const now = Math.floor(Date.now() / 1000)
  const lifetime = ctx.tokenLifetimeSeconds
  const accessToken = signJwt(
    {
      aud: audience,
      iss: entraIssuer(ctx.tenantId),
      iat: now,
      nbf: now,
      exp: now + lifetime,
      aio: randomUUID(),
      appid: client.clientId,
      azp: client.clientId,
      appidacr: grant === 'client_secret' ? '1' : '2',
      idp: entraIssuer(ctx.tenantId),
      idtyp: 'app',
      oid: client.objectId,
      sub: client.objectId,
      tid: ctx.tenantId,
      uti: randomUUID().replace(/-/g, '').slice(0, 22),
      ver: '1.0'
    },
    ctx.entraKey
  )
  ctx.issuedTokens.push({
    clientId: client.clientId,
    scope: scopes[0],
    audience,
    grant,
    at: Date.now()
  })
  return jsonResponse(
    200,
    {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken
    },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache', ...correlationHeaders(req) }
  )
}

/** Federated credential check: the assertion must be a GitHub ID token this emulator signed. */
function checkAssertion(
  req: EmuRequest,
  ctx: EmulatorContext,
  client: ResolvedClient,
  assertion: string,
  assertionType: string | undefined
): EmuResponse | undefined {
  if (assertionType !== JWT_BEARER) {
    return entraError(
      req,
      400,
      'invalid_request',
      50027,
      `Invalid client_assertion_type '${assertionType ?? ''}'. It must be '${JWT_BEARER}'.`
    )
  }
  const verified = verifyJwt(assertion, ctx.oidcKey)
  if (!verified.ok) {
    return entraError(req, 400, 'invalid_client', 50027, 'JWT token is invalid or malformed.')
  }
  const { iss, sub, aud, exp, nbf } = verified.payload
  const audiences = Array.isArray(aud) ? aud.map(String) : [String(aud)]
  // Federated-credential mismatches: the codes and texts users reported from the live service.
  // Status 401 invalid_client as reported for 700211 (Azure/azure-workload-identity#1200) and
  // 7002137 (microsoft/Agents#202); guess: the same status for 700212/700213/7002138, whose
  // reports show only the description.
  const fic =
    'Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation'
  if (iss !== GITHUB_ISSUER) {
    // Azure/azure-workload-identity#1200: "AADSTS700211: No matching federated identity record
    // found for presented assertion issuer '…'. Please check your federated identity credential …"
    return entraError(
      req,
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${String(iss)}'. Please ${fic[0].toLowerCase()}${fic.slice(1)}`
    )
  }
  const now = Math.floor(Date.now() / 1000)
  if (typeof exp !== 'number' || exp <= now || (typeof nbf === 'number' && nbf > now + 300)) {
    const iso = (t: unknown) =>
      typeof t === 'number' ? new Date(t * 1000).toISOString() : 'unknown'
    return entraError(
      req,
      400,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}.`
    )
  }
  if (!audiences.includes(ctx.exchangeAudience)) {
    // guess: no report of AADSTS700212's text was found; worded like 700211 and 700213.
    return entraError(
      req,
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. ${fic}`
    )
  }
  const subjects = client.federatedSubjects ?? []
  if (typeof sub !== 'string' || !subjects.includes(sub)) {
    const lower = typeof sub === 'string' ? sub.toLowerCase() : undefined
    if (lower !== undefined && subjects.some((s) => s.toLowerCase() === lower)) {
      // Azure/login#515 and #517 (since the August 2024 breaking change: case-sensitive subjects).
      return entraError(
        req,
        401,
        'invalid_client',
        7002138,
        `No matching federated identity record found for presented assertion subject '${sub}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. ${fic.replace(' https://', ' See documentation at: https://')}. See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.`
      )
    }
    // Azure/login#379 and #482 ("Please check …", 2023–24); dotnet/maui#31978 and
    // Azure/azure-workload-identity#1200 (2025) show this newer wording, kept here.
    return entraError(
      req,
      401,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${String(sub)}'. ${fic}`
    )
  }
  return undefined
}

function tenantNotFound(req: EmuRequest, tenant: string): EmuResponse {
  return entraError(
    req,
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
  )
}

/** Entra's error body: error, "AADSTSnnnn: …" description with trace footer, codes, ids. */
export function entraError(
  req: EmuRequest,
  status: number,
  error: string,
  code: number,
  text: string
): EmuResponse {
  const traceId = randomUUID()
  const correlationId = req.headers['client-request-id'] ?? randomUUID()
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
  return jsonResponse(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`
    },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache', ...correlationHeaders(req) }
  )
}

function correlationHeaders(req: EmuRequest): Record<string, string> {
  const id = req.headers['client-request-id']
  return id ? { 'client-request-id': id } : {}
}
