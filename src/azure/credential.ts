// Sign-in: turn an AuthPlan into an @azure/identity credential and get the one token this run
// needs. Loaded only after the inputs are valid (see main.ts).
import * as core from '@actions/core'
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  type TokenCredential
} from '@azure/identity'
import type { AuthPlan } from '../auth-plan.js'
import { ARM_SCOPE, DEFAULT_AUTHORITY_HOST } from '../catalog.js'
import type { Endpoints } from '../request.js'
import type { Secrets } from '../secrets.js'
import type { Deadline } from './deadline.js'
import { describeSignInError } from './errors.js'

export interface SignedIn {
  credential: TokenCredential
}

const LABEL: Record<AuthPlan['kind'], string> = {
  'client-secret': 'a client secret',
  oidc: 'OIDC (GitHub ID token)'
}

export async function signIn(
  plan: AuthPlan,
  endpoints: Endpoints,
  secrets: Secrets,
  deadline: Deadline
): Promise<SignedIn> {
  core.info(
    `Signing in to tenant ${plan.tenantId} as ${plan.clientId} with ${LABEL[plan.kind]} (${plan.reason}).`
  )
  const options = {
    authorityHost: endpoints.authorityHost,
    // Instance discovery only knows Microsoft's own hosts; a private authority has no entry.
    disableInstanceDiscovery: endpoints.authorityHost !== DEFAULT_AUTHORITY_HOST
  }
  let idToken: string | undefined
  let credential: TokenCredential
  if (plan.kind === 'client-secret') {
    credential = new ClientSecretCredential(
      plan.tenantId,
      plan.clientId,
      plan.clientSecret,
      options
    )
  } else {
    try {
      idToken = await withDeadline(core.getIDToken(plan.audience), deadline)
    } catch (e) {
      if (deadline.signal.aborted) throw deadline.error()
      throw describeSignInError(e, plan, undefined)
    }
    secrets.add(idToken)
    const assertion = idToken
    credential = new ClientAssertionCredential(
      plan.tenantId,
      plan.clientId,
      async () => assertion,
      options
    )
  }
  try {
    // One explicit token request: a sign-in problem is reported as such, not as an ARM error,
    // and the credential's cache serves every ARM call after it.
    // enableCae as the SDK's bearer policy asks, so its request hits this cached token.
    // MSAL does not stop on the abort signal, so the deadline races it.
    const token = await withDeadline(
      credential.getToken(ARM_SCOPE, { enableCae: true, abortSignal: deadline.signal }),
      deadline
    )
    if (!token) throw new Error('the credential returned no token')
    secrets.add(token.token)
  } catch (e) {
    if (deadline.signal.aborted) throw deadline.error()
    throw describeSignInError(e, plan, idToken)
  }
  return { credential }
}

/** core.getIDToken takes no abort signal: race it against the step's deadline. */
function withDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadline.error())
    deadline.signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort))
  })
}
