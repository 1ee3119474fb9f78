// Sign-in failures (Entra, GitHub OIDC, managed identity, Azure CLI), turned into one readable
// line that says which way was tried and what to fix.
import { ActionError } from '../messages.js'
import type { Candidate } from '../auth-plan.js'

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
  idToken: string | undefined
): ActionError {
  const err = e as AuthErrorLike
  if (plan.kind === 'oidc' && idToken === undefined) {
    return new ActionError(
      `Could not get an ID token from GitHub for audience '${plan.audience}': ${firstLine(err.message)}. Grant the job 'permissions: id-token: write'.`
    )
  }
  const description = err.errorResponse?.errorDescription ?? err.message ?? String(e)
  const aadsts = /AADSTS\d+/.exec(description)?.[0]
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
      plan.clientId
        ? `Hint: check that a user-assigned identity with client id ${plan.clientId} is attached to this runner's machine.`
        : "Hint: check that the runner's machine has a system-assigned managed identity, or give client-id for a user-assigned one."
    )
  } else if (plan.kind === 'azure-cli') {
    parts.push(
      /not be found|not installed|ENOENT|command not found/i.test(description)
        ? "Hint: 'az' is not installed on this runner; run azure/login first on a runner with the Azure CLI, or choose another auth-type."
        : 'Hint: the Azure CLI is not logged in; run azure/login first, in an earlier step of the same job.'
    )
  } else if (aadsts === 'AADSTS7000215' || aadsts === 'AADSTS7000222') {
    parts.push(
      'Hint: the client secret is wrong or expired; create a new one and update the repository secret.'
    )
  } else if (aadsts === 'AADSTS700016' || aadsts === 'AADSTS90002') {
    parts.push('Hint: check client-id and tenant-id: the application or tenant was not found.')
  } else {
    parts.push('Hint: check client-id, tenant-id and the secret.')
  }
  return new ActionError(parts.join(' '))
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
