// The ARM client: the real @azure/arm-apimanagement client pointed at the chosen endpoint, with
// the token scope pinned, the run's identity in the user agent, this action's retry policy in
// place of the SDK's, the traffic recorder, and request logging when the step runs in debug.
import { ApiManagementClient } from '@azure/arm-apimanagement'
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import type { TokenCredential } from '@azure/identity'
import * as workflow from '../workflow.js'
import { MAX_RETRIES } from '../catalog.js'
import type { Endpoints, Limits } from '../input-rules/model.js'
import { redactUrl, urlSecrets } from '../secret-fields.js'
import type { Secrets } from '../secrets.js'
import type { Deadline } from './deadline.js'
import { absorbSecrets, redactBackend, type ArmBackend } from './backend-json.js'
import { ForeignOriginError } from './errors.js'
import { retryPolicy } from './retry.js'
import { writeBudgetPolicy } from './write-budget.js'
import type { Traffic } from './traffic.js'

export interface ClientSettings {
  subscriptionId: string
  endpoints: Endpoints
  limits: Limits
  deadline: Deadline
  traffic: Traffic
  secrets: Secrets
  userAgentPrefix: string
  /** Extra policies (perCall), e.g. the exact-body policy (exact-body.ts). */
  extraPolicies?: PipelinePolicy[]
}

/** First backoff delay; tests shorten it with APIM_BACKEND_ACTION_RETRY_DELAY_MS. */
function baseDelayMs(): number {
  const fromEnv = Number(process.env.APIM_BACKEND_ACTION_RETRY_DELAY_MS)
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.APIM_BACKEND_ACTION_RETRY_DELAY_MS
    ? fromEnv
    : 1000
}

export function createClient(credential: TokenCredential, s: ClientSettings): ApiManagementClient {
  const client = new ApiManagementClient(credential, s.subscriptionId, {
    endpoint: s.endpoints.arm,
    // Without this a custom endpoint would ask for a token scoped to itself.
    credentialScopes: s.endpoints.scope,
    userAgentOptions: { userAgentPrefix: s.userAgentPrefix },
    additionalPolicies: [
      ...(s.extraPolicies ?? []).map((policy) => ({ policy, position: 'perCall' as const })),
      // First of the per-retry policies, so a refused request is neither counted nor logged.
      { policy: armOnlyPolicy(s.endpoints.arm), position: 'perRetry' },
      { policy: writeBudgetPolicy(), position: 'perRetry' },
      { policy: s.traffic.policy, position: 'perRetry' },
      ...(workflow.isDebug()
        ? [{ policy: debugLogPolicy(s.secrets), position: 'perRetry' as const }]
        : [])
    ]
  })
  // The SDK's retry policy has no attempt timeout, does not retry a 429 without Retry-After and
  // sleeps any Retry-After it is given; this action's policy replaces it.
  client.pipeline.removePolicy({ name: 'defaultRetryPolicy' })
  client.pipeline.addPolicy(
    retryPolicy({
      maxRetries: MAX_RETRIES,
      attemptTimeoutMs: s.limits.attemptTimeoutMs,
      maxWaitMs: s.limits.maxWaitMs,
      baseDelayMs: baseDelayMs(),
      deadline: s.deadline
    }),
    { phase: 'Retry' }
  )
  return client
}

const ARM_ONLY_POLICY_NAME = 'apimBackendActionArmOnly'

/**
 * The token goes to the ARM endpoint only. The SDK follows any URL the service hands back —
 * a list's nextLink (and, in other clients, Location / Azure-AsyncOperation polls) — with the
 * bearer token attached. This policy refuses, before anything is sent, every request whose
 * origin is not the endpoint's. It runs per attempt after the Sign phase, i.e. after the
 * redirect policy too, so it sees the URL each attempt really goes to (core-rest-pipeline
 * already declines cross-origin redirects; this does not depend on that).
 */
export function armOnlyPolicy(endpoint: string): PipelinePolicy {
  const allowed = new URL(endpoint).origin
  return {
    name: ARM_ONLY_POLICY_NAME,
    async sendRequest(request, next) {
      const origin = new URL(request.url).origin
      if (origin !== allowed) throw new ForeignOriginError(origin, allowed)
      return next(request)
    }
  }
}

/** With debug on (RUNNER_DEBUG), each attempt's request and response, secrets redacted. */
function debugLogPolicy(secrets: Secrets): PipelinePolicy {
  return {
    name: 'apimBackendActionDebugLog',
    async sendRequest(request, next) {
      // A URL the service handed back (a nextLink) may carry a userinfo or a key this run never saw.
      secrets.addAll(urlSecrets(request.url))
      const url = redactUrl(request.url)
      const body = typeof request.body === 'string' ? ` ${loggedBody(request.body, secrets)}` : ''
      workflow.debug(`--> ${request.method} ${url}${body}`)
      const response = await next(request)
      workflow.debug(
        `<-- ${response.status} ${request.method} ${url} ${loggedBody(response.bodyAsText, secrets)}`
      )
      return response
    }
  }
}

/**
 * A body as the debug log shows it. A JSON writer may escape any character (ARM's writes
 * \u003C, \u0022, \u00E9 …), so no list of a secret's forms can be complete: a JSON body is
 * parsed, every backend in it is redacted by place (a backend read back may carry secrets this
 * run never saw: they are masked first), and it is written again in one known form, which the
 * substring redaction of the log (workflow.ts) then covers.
 */
function loggedBody(text: string | null | undefined, secrets: Secrets): string {
  if (!text) return ''
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return text
  }
  if (!body || typeof body !== 'object') return JSON.stringify(body)
  const o = body as ArmBackend & { value?: ArmBackend[]; nextLink?: unknown }
  for (const backend of [o, ...(Array.isArray(o.value) ? o.value : [])])
    absorbSecrets(backend, secrets)
  const redacted = Array.isArray(o.value)
    ? { ...o, value: o.value.map((b) => (b && typeof b === 'object' ? redactBackend(b) : b)) }
    : redactBackend(o)
  // A list page's link to the next one, which the SDK follows: any userinfo or key in it is secret.
  if (typeof o.nextLink === 'string') {
    secrets.addAll(urlSecrets(o.nextLink))
    redacted.nextLink = redactUrl(o.nextLink)
  }
  return JSON.stringify(redacted)
}
