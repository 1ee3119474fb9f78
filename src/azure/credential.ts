// Sign-in: turn the sign-in plan into an @azure/identity credential and get the one token this
// run needs. With auth-type auto the candidates are tried in order; a failure lists each try.
// Loaded only after the inputs are valid (see main.ts).
import * as workflow from '../workflow.js'
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential
} from '@azure/identity'
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import { noWayToSignIn, type AuthPlan, type Candidate } from '../auth-plan.js'
import { KNOWN_AUTHORITIES } from '../clouds.js'
import { ActionError } from '../messages.js'
import type { Endpoints } from '../input-rules/model.js'
import type { Secrets } from '../secrets.js'
import type { Deadline } from './deadline.js'
import { describeNetworkFailure } from './network-errors.js'
import {
  SignInError,
  describeCandidate,
  describeSignInError,
  managedIdentityUrl,
  type NoAnswer
} from './sign-in-errors.js'

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
  const failures: unknown[] = []
  const unavailable: string[] = []
  for (const [i, candidate] of plan.candidates.entries()) {
    const why = i === 0 ? plan.reason : `the previous way failed; next in auto's order`
    workflow.info(`Signing in with ${describeCandidate(candidate)} (${why}).`)
    try {
      return { credential: await trySignIn(candidate, endpoints, secrets, deadline), candidate }
    } catch (e) {
      if (deadline.signal.aborted) throw e instanceof SignInTimeout ? e : deadline.error()
      // Hosted runners have az installed and logged out (docs/runner.md): for auto, an az
      // without a session is a way that is not there, not the failure to report.
      if (plan.auto && e instanceof SignInError && e.unavailable) {
        unavailable.push(`Azure CLI: ${e.unavailable}`)
        workflow.info(`  not available: ${e.unavailable}; auto goes on without it.`)
        continue
      }
      if (plan.candidates.length === 1) throw e
      failures.push(e)
      workflow.info(`  failed: ${messageOf(e)}`) // redacted by the writer (workflow.ts)
    }
  }
  const notAvailable = [...plan.skipped, ...unavailable]
  // Nothing could sign in at all: the same words as when auto finds nothing before any request.
  if (failures.length === 0) throw noWayToSignIn(plan, notAvailable)
  // The one way that could sign in failed: its own message and hint say what to fix.
  if (failures.length === 1) throw failures[0]
  const skipped = notAvailable.length ? ` Not available: ${notAvailable.join('; ')}.` : ''
  throw new ActionError(
    `Sign-in failed every way auth-type auto tried: ${failures.map((f, i) => `(${i + 1}) ${messageOf(f)}`).join(' ')}${skipped}`
  )
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

async function trySignIn(
  c: Candidate,
  endpoints: Endpoints,
  secrets: Secrets,
  deadline: Deadline
): Promise<TokenCredential> {
  const watch = watchRequests(deadline)
  const options = {
    authorityHost: endpoints.authorityHost,
    // Instance discovery only knows Microsoft's own hosts; a private authority has no entry.
    disableInstanceDiscovery: !KNOWN_AUTHORITIES.includes(endpoints.authorityHost),
    additionalPolicies: watch.policies
  }
  const context = () => ({ authorityHost: endpoints.authorityHost, noAnswer: watch.noAnswer })
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
        if (deadline.signal.aborted) throw timedOut(deadline, undefined)
        throw describeSignInError(e, c, undefined, context())
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
    // policy asks, so its request hits this cached token. MSAL does not pass the abort signal
    // on: the watch policies give the deadline to each request and retry wait (Entra), and the
    // deadline races the rest (managed identity, az).
    const token = await withDeadline(
      credential.getToken(endpoints.scope, { enableCae: true, abortSignal: deadline.signal }),
      deadline
    )
    if (!token) throw new Error('the credential returned no token')
    secrets.add(token.token)
  } catch (e) {
    if (deadline.signal.aborted) throw timedOut(deadline, watch.noAnswer)
    // ManagedIdentityCredential replaces additionalPolicies with its own, so its transport error
    // is not recorded; one probe of its endpoint names it.
    if (c.kind === 'managed-identity' && !watch.noAnswer && /network/i.test(messageOf(e)))
      watch.noAnswer = await probe(managedIdentityUrl(), deadline)
    if (deadline.signal.aborted) throw timedOut(deadline, watch.noAnswer)
    throw describeSignInError(e, c, idToken, context())
  }
  return credential
}

/**
 * Pipeline policies for the credential's own requests. perCall (outside the retries): the step
 * deadline aborts the request and the waits between retries. perRetry (each attempt): the last
 * transport error is recorded, since MSAL keeps only "endpoints_resolution_error" /
 * "network_error" without the cause.
 */
function watchRequests(deadline: Deadline): {
  policies: { policy: PipelinePolicy; position: 'perCall' | 'perRetry' }[]
  noAnswer?: NoAnswer
} {
  const watch: ReturnType<typeof watchRequests> = { policies: [] }
  watch.policies.push(
    {
      position: 'perCall',
      policy: {
        name: 'apimSignInDeadline',
        sendRequest(request, next) {
          request.abortSignal = request.abortSignal
            ? AbortSignal.any([request.abortSignal as AbortSignal, deadline.signal])
            : deadline.signal
          return next(request)
        }
      }
    },
    {
      position: 'perRetry',
      policy: {
        name: 'apimSignInNoAnswer',
        async sendRequest(request, next) {
          try {
            return await next(request)
          } catch (e) {
            // A RestError with a response is an answer; the deadline's own abort is not what
            // the requests met.
            if ((e as { response?: unknown }).response === undefined && !deadline.signal.aborted)
              watch.noAnswer = { error: e, url: request.url }
            throw e
          }
        }
      }
    }
  )
  return watch
}

/** The timeout, with what the sign-in requests met until then when they got no answer. */
function timedOut(deadline: Deadline, noAnswer: NoAnswer | undefined): SignInTimeout {
  const timeout = deadline.error().message
  const network = noAnswer && describeNetworkFailure(noAnswer.error, noAnswer.url)
  return new SignInTimeout(network ? `${timeout} Sign-in got no answer: ${network}.` : timeout)
}

class SignInTimeout extends ActionError {}

/** One GET of `url`, at most 3 s and within the deadline: the transport error, if any. */
async function probe(url: string, deadline: Deadline): Promise<NoAnswer | undefined> {
  const signal = AbortSignal.any([deadline.signal, AbortSignal.timeout(3000)])
  try {
    const res = await fetch(url, { signal })
    await res.body?.cancel()
    return undefined
  } catch (error) {
    return { error, url }
  }
}

/** getIDToken and MSAL take no (working) abort signal: race them against the deadline. */
function withDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadline.error())
    deadline.signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort))
  })
}
