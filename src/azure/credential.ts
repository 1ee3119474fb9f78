// Sign-in: turn the sign-in plan into an @azure/identity credential and get the one token this
// run needs. With auth-type auto the candidates are tried in order; a failure lists each try.
// Loaded only after the inputs are valid (see main.ts).
import * as core from '../workflow.js'
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential
} from '@azure/identity'
import type { AuthPlan, Candidate } from '../auth-plan.js'
import { KNOWN_AUTHORITIES } from '../clouds.js'
import { ActionError } from '../messages.js'
import type { Endpoints } from '../request.js'
import type { Secrets } from '../secrets.js'
import type { Deadline } from './deadline.js'
import { describeCandidate, describeSignInError } from './sign-in-errors.js'

export interface SignedIn {
  credential: TokenCredential
  /** The way that worked. */
  candidate: Candidate
}

export async function signIn(
  plan: AuthPlan,
  endpoints: Endpoints,
  secrets: Secrets,
  deadline: Deadline
): Promise<SignedIn> {
  const failures: string[] = []
  for (const [i, candidate] of plan.candidates.entries()) {
    const why = i === 0 ? plan.reason : `the previous way failed; next in auto's order`
    core.info(`Signing in with ${describeCandidate(candidate)} (${why}).`)
    try {
      return { credential: await trySignIn(candidate, endpoints, secrets, deadline), candidate }
    } catch (e) {
      if (deadline.signal.aborted) throw deadline.error()
      if (plan.candidates.length === 1) throw e
      const message = e instanceof Error ? e.message : String(e)
      failures.push(message)
      core.info(`  failed: ${message}`) // redacted by the writer (workflow.ts)
    }
  }
  const skipped = plan.skipped.length ? ` Not available: ${plan.skipped.join('; ')}.` : ''
  throw new ActionError(
    `Sign-in failed every way auth-type auto tried: ${failures.map((f, i) => `(${i + 1}) ${f}`).join(' ')}${skipped}`
  )
}

async function trySignIn(
  c: Candidate,
  endpoints: Endpoints,
  secrets: Secrets,
  deadline: Deadline
): Promise<TokenCredential> {
  const options = {
    authorityHost: endpoints.authorityHost,
    // Instance discovery only knows Microsoft's own hosts; a private authority has no entry.
    disableInstanceDiscovery: !KNOWN_AUTHORITIES.includes(endpoints.authorityHost)
  }
  let idToken: string | undefined
  let credential: TokenCredential
  switch (c.kind) {
    case 'client-secret':
      credential = new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, options)
      break
    case 'oidc': {
      try {
        // @actions/core (and the HTTP client it bundles) is needed only here: load it only here.
        const { getIDToken } = await import('@actions/core')
        idToken = await withDeadline(getIDToken(c.audience), deadline)
      } catch (e) {
        if (deadline.signal.aborted) throw deadline.error()
        throw describeSignInError(e, c, undefined)
      }
      secrets.add(idToken)
      const assertion = idToken
      credential = new ClientAssertionCredential(
        c.tenantId,
        c.clientId,
        async () => assertion,
        options
      )
      break
    }
    case 'managed-identity':
      credential = c.clientId
        ? new ManagedIdentityCredential({ clientId: c.clientId })
        : new ManagedIdentityCredential()
      break
    case 'azure-cli':
      credential = new AzureCliCredential(c.tenantId ? { tenantId: c.tenantId } : {})
      break
  }
  try {
    // One explicit token request: a sign-in problem is reported as such, not as an ARM error,
    // and the credential's cache serves every ARM call after it. enableCae as the SDK's bearer
    // policy asks, so its request hits this cached token. MSAL does not stop on the abort
    // signal, so the deadline races it.
    const token = await withDeadline(
      credential.getToken(endpoints.scope, { enableCae: true, abortSignal: deadline.signal }),
      deadline
    )
    if (!token) throw new Error('the credential returned no token')
    secrets.add(token.token)
  } catch (e) {
    if (deadline.signal.aborted) throw deadline.error()
    throw describeSignInError(e, c, idToken)
  }
  return credential
}

/** getIDToken and MSAL take no (working) abort signal: race them against the deadline. */
function withDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadline.error())
    deadline.signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort))
  })
}
