// Sign-in failures (Entra, GitHub OIDC, managed identity, Azure CLI), turned into one readable
// line that says which way was tried and what to fix.
import { ActionError, msg } from '../messages.js'
import type { Candidate } from '../auth-plan.js'
import { KNOWN_AUTHORITIES } from '../clouds.js'
import { describeNetworkFailure, isCertificateFailure, originOf } from './network-errors.js'

/** A sign-in failure; `unavailable` when it was an az without a session (auto goes on). */
export class SignInError extends ActionError {
  constructor(
    message: string,
    readonly unavailable?: string
  ) {
    super(message)
  }
}

/** A request of this sign-in that got no HTTP answer, with the URL it was for. */
export interface NoAnswer {
  error: unknown
  url: string
}

/** Where the sign-in went, for naming an endpoint that did not answer. */
export interface SignInContext {
  authorityHost: string
  /** the last transport failure a sign-in request met (recorded by credential.ts) */
  noAnswer?: NoAnswer
}

interface AuthErrorLike {
  name: string
  message: string
  statusCode?: number
  errorResponse?: { error?: string; errorDescription?: string; correlationId?: string }
}

/** How a candidate signs in, for messages. */
export function describeCandidate(c: Candidate): string {
  switch (c.kind) {
    case 'client-secret':
      return `a client secret to tenant ${c.tenantId} as ${c.clientId}`
    case 'oidc':
      return `OIDC to tenant ${c.tenantId} as ${c.clientId}`
    case 'managed-identity':
      return c.clientId
        ? `the user-assigned managed identity ${c.clientId}`
        : 'the system-assigned managed identity'
    case 'azure-cli':
      return `the Azure CLI session${c.tenantId ? ` (tenant ${c.tenantId})` : ''}`
  }
}

/** A sign-in failure (Entra, GitHub OIDC, managed identity, Azure CLI) with what to fix. */
export function describeSignInError(
  e: unknown,
  plan: Candidate,
  idToken: string | undefined,
  context: SignInContext
): SignInError {
  const err = e as AuthErrorLike
  if (plan.kind === 'oidc' && idToken === undefined) {
    // @actions/core keeps Node's text ("connect ECONNREFUSED …") in its message.
    const url =
      process.env.ACTIONS_ID_TOKEN_REQUEST_URL ?? 'https://token.actions.githubusercontent.com'
    const network = describeNetworkFailure(e, url)
    return new SignInError(
      network
        ? `Could not get an ID token from GitHub for audience '${plan.audience}': ${msg.signInNoAnswer(network, isCertificateFailure(e) ? msg.trustCertificate : "the runner could not reach the job's ID token service (ACTIONS_ID_TOKEN_REQUEST_URL); re-run the job, and check its network and proxy")}`
        : `Could not get an ID token from GitHub for audience '${plan.audience}': ${firstLine(err.message)}. Grant the job 'permissions: id-token: write'.`
    )
  }
  const description = err.errorResponse?.errorDescription ?? err.message ?? String(e)
  const aadsts = /AADSTS\d+/.exec(description)?.[0]
  const network =
    aadsts || err.errorResponse?.error || plan.kind === 'azure-cli'
      ? undefined
      : noAnswer(e, plan, context)
  if (network) return new SignInError(`Sign-in with ${describeCandidate(plan)} failed: ${network}`)
  const parts = [`Sign-in with ${describeCandidate(plan)} failed: ${firstLine(description)}`]
  if (err.errorResponse?.correlationId)
    parts.push(`Correlation id: ${err.errorResponse.correlationId}.`)
  if (plan.kind === 'oidc') {
    const claims = idToken ? tokenClaims(idToken) : undefined
    if (claims)
      parts.push(
        `The GitHub ID token had iss '${claims.iss}', sub '${claims.sub}', aud '${claims.aud}'.`
      )
    parts.push(
      `Hint: the app's federated credential must have exactly this issuer, subject and audience (the usual cause is a subject mismatch, e.g. a branch, environment or pull_request subject), and the job needs 'permissions: id-token: write'.`
    )
  } else if (plan.kind === 'managed-identity') {
    parts.push(
      // msal-node AzureArc.ts refuses a key file it cannot read or that is not in the agent's
      // directory; reading it needs the himds group (Linux) or the Hybrid agent extension
      // applications group (Windows), per learn.microsoft.com's Azure Arc managed identity page.
      /www-authenticate|secret file|file path|\.key file|invalid_file|unable_to_read/i.test(
        description
      )
        ? "Hint: on an Azure Arc-enabled server, the runner's user must be able to read the agent's key file in /var/opt/azcmagent/tokens (Linux: member of the 'himds' group; Windows: of 'Hybrid agent extension applications')."
        : plan.clientId
          ? `Hint: check that a user-assigned identity with client id ${plan.clientId} is attached to this runner's machine.`
          : "Hint: check that the runner's machine has a system-assigned managed identity, or give client-id for a user-assigned one."
    )
  } else if (plan.kind === 'azure-cli') {
    const notInstalled = /not be found|not installed|ENOENT|command not found/i.test(description)
    // @azure/identity's texts for "not installed" and "not logged in" (azureCliCredential.js,
    // azureCliPublicErrorMessages); anything else (a tenant mismatch, an AADSTS from az) is a
    // real failure of a session that exists.
    const noSession = /az login/i.test(description)
    parts.push(
      notInstalled
        ? "Hint: 'az' is not installed on this runner; run azure/login first on a runner with the Azure CLI, or choose another auth-type."
        : 'Hint: the Azure CLI is not logged in; run azure/login first, in an earlier step of the same job.'
    )
    const unavailable = notInstalled
      ? msg.cliNotRunnable(firstLine(description))
      : noSession
        ? msg.cliNoSession(firstLine(description))
        : undefined
    return new SignInError(parts.join(' '), unavailable)
  } else if (aadsts === 'AADSTS7000215' || aadsts === 'AADSTS7000222') {
    parts.push(
      'Hint: the client secret is wrong or expired; create a new one and update the repository secret.'
    )
  } else if (aadsts === 'AADSTS700016' || aadsts === 'AADSTS90002') {
    parts.push('Hint: check client-id and tenant-id: the application or tenant was not found.')
  } else {
    parts.push('Hint: check client-id, tenant-id and the secret.')
  }
  return new SignInError(parts.join(' '))
}

/**
 * A sign-in that got no answer: named as a network or certificate failure with the origin it was
 * for, instead of a hint about credentials that were never checked. MSAL drops the cause
 * ("endpoints_resolution_error", "network_error"), so credential.ts records the transport error
 * its requests met (or probes the managed identity endpoint) and passes it in `context`.
 */
function noAnswer(e: unknown, plan: Candidate, context: SignInContext): string | undefined {
  const msalNetwork = /endpoints_resolution_error|network_error|Network unreachable/i.test(
    (e as Error)?.message ?? ''
  )
  const fallback = plan.kind === 'managed-identity' ? managedIdentityUrl() : context.authorityHost
  const recorded = context.noAnswer
  const described =
    (recorded && describeNetworkFailure(recorded.error, recorded.url)) ??
    describeNetworkFailure(e, fallback) ??
    (msalNetwork ? `cannot reach ${originOf(recorded?.url ?? fallback)}: no answer` : undefined)
  if (!described) return undefined
  const certificate = isCertificateFailure(recorded?.error) || isCertificateFailure(e)
  const fix = certificate
    ? msg.trustCertificate
    : plan.kind === 'managed-identity'
      ? msg.reachIdentityEndpoint
      : msg.reachAuthority(!KNOWN_AUTHORITIES.includes(context.authorityHost))
  return msg.signInNoAnswer(described, fix)
}

/** The endpoint @azure/identity's ManagedIdentityCredential asks, from the same variables. */
export function managedIdentityUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.IDENTITY_ENDPOINT ??
    env.MSI_ENDPOINT ??
    `${env.AZURE_POD_IDENTITY_AUTHORITY_HOST ?? 'http://169.254.169.254'}/metadata/identity/oauth2/token`
  )
}

/** MSAL wraps Entra's text as "code: Error(s): n - Timestamp: t - Description: AADSTS…"; keep the description. */
function firstLine(text: string): string {
  const description = /Description: (.*)$/s.exec(text)?.[1] ?? text
  return description
    .split(/\r?\n/)[0]
    .replace(/\s*-? ?(Trace ID|Correlation ID|Timestamp):.*$/, '')
    .trim()
}

function tokenClaims(jwt: string): { iss?: string; sub?: string; aud?: string } | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'))
    const aud = Array.isArray(payload.aud) ? payload.aud.join(',') : payload.aud
    return { iss: payload.iss, sub: payload.sub, aud }
  } catch {
    return undefined
  }
}
