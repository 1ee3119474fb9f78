// Retries and time limits the SDK does not give: every attempt has a timeout (the pipeline has
// none, and its own timeout stops at the response headers), a 429 without Retry-After is
// retried with backoff, and a Retry-After longer than max-wait-seconds (or than the time the
// step has left) is not slept: the step fails at once and says so. Replaces the SDK's default
// retry policy.
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline'
import { ActionError } from '../messages.js'
import type { Deadline } from './deadline.js'
import { isCertificateFailure } from './network-errors.js'

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number
  /** Time limit of one attempt, headers and body. */
  attemptTimeoutMs: number
  /** The longest single wait the step accepts (max-wait-seconds). */
  maxWaitMs: number
  /** First backoff delay; doubles each retry, with ±20 % jitter. */
  baseDelayMs: number
  deadline: Deadline
}

export const RETRY_POLICY_NAME = 'apimBackendActionRetry'

/** Azure asked for a wait the step cannot afford. */
export class WaitTooLongError extends ActionError {
  constructor(
    readonly status: number,
    readonly waitMs: number,
    readonly limit: 'max-wait-seconds' | 'timeout-seconds',
    readonly response: PipelineResponse
  ) {
    super(`Azure asked to wait ${Math.ceil(waitMs / 1000)} s`)
    this.name = 'WaitTooLongError'
  }
}

/** An attempt that got no answer in time. */
export class AttemptTimeoutError extends Error {
  constructor(
    readonly request: PipelineRequest,
    readonly timeoutMs: number
  ) {
    super(`No answer within ${Math.round(timeoutMs / 1000)} s`)
    this.name = 'AttemptTimeoutError'
  }
}

const RETRY_AFTER_HEADERS: [string, number][] = [
  ['retry-after-ms', 1],
  ['x-ms-retry-after-ms', 1],
  ['retry-after', 1000]
]

/** Retry-After in ms (seconds, ms variants, or an HTTP date); undefined when absent. */
export function retryAfterMs(response: PipelineResponse): number | undefined {
  for (const [name, factor] of RETRY_AFTER_HEADERS) {
    const value = response.headers.get(name)
    if (value === undefined) continue
    const n = Number(value)
    if (value.trim() !== '' && Number.isFinite(n) && n >= 0) return n * factor
    const date = Date.parse(value)
    if (Number.isFinite(date)) return Math.max(0, date - Date.now())
  }
  return undefined
}

function retriableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)
}

export function retryPolicy(settings: RetrySettings): PipelinePolicy {
  return {
    name: RETRY_POLICY_NAME,
    async sendRequest(request, next) {
      const stepSignal = settings.deadline.signal
      for (let attempt = 0; ; attempt++) {
        const attemptTimeout = Math.min(settings.attemptTimeoutMs, settings.deadline.remainingMs())
        const controller = new AbortController()
        const onStepAbort = () => controller.abort()
        stepSignal.addEventListener('abort', onStepAbort)
        const timer = setTimeout(() => controller.abort(), attemptTimeout)
        request.abortSignal = controller.signal
        let response: PipelineResponse | undefined
        let error: unknown
        try {
          // next() reads the whole body, so the attempt's time limit covers it too.
          response = await next(request)
        } catch (e) {
          error = e
          response = (e as { response?: PipelineResponse }).response
        } finally {
          clearTimeout(timer)
          stepSignal.removeEventListener('abort', onStepAbort)
        }
        if (stepSignal.aborted) throw settings.deadline.error()
        const timedOut = controller.signal.aborted
        // Cut short by the step's end, the attempt's timer can fire a moment before the step's:
        // that is the step timing out, not request-timeout-seconds.
        if (timedOut && attemptTimeout < settings.attemptTimeoutMs) throw settings.deadline.error()
        if (timedOut) error = new AttemptTimeoutError(request, settings.attemptTimeoutMs)

        const status = error && !timedOut && response === undefined ? undefined : response?.status
        const networkFailure = error !== undefined && (timedOut || isNetworkError(error))
        // A certificate the runner does not trust fails the same way every time.
        const retriable =
          (networkFailure && !isCertificateFailure(error)) ||
          (status !== undefined && retriableStatus(status))
        if (!retriable || attempt >= settings.maxRetries) {
          if (error) throw error
          return response as PipelineResponse
        }

        const asked = response && !networkFailure ? retryAfterMs(response) : undefined
        const wait = asked ?? backoff(settings.baseDelayMs, attempt)
        if (asked !== undefined && asked > settings.maxWaitMs) {
          throw new WaitTooLongError(response!.status, asked, 'max-wait-seconds', response!)
        }
        if (wait >= settings.deadline.remainingMs()) {
          if (asked !== undefined)
            throw new WaitTooLongError(response!.status, asked, 'timeout-seconds', response!)
          if (error) throw error
          return response as PipelineResponse
        }
        await sleep(Math.min(wait, settings.maxWaitMs), stepSignal)
        if (stepSignal.aborted) throw settings.deadline.error()
      }
    }
  }
}

function backoff(baseMs: number, attempt: number): number {
  const exp = baseMs * 2 ** attempt
  return Math.round(exp * (0.8 + Math.random() * 0.4))
}

/** Transport failures: the request may or may not have reached Azure. */
export function isNetworkError(e: unknown): boolean {
  const err = e as { code?: string; name?: string; statusCode?: number }
  if (err?.name === 'AbortError') return true
  if (err?.name === 'RestError' && err.statusCode === undefined) return true
  return [
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'REQUEST_SEND_ERROR'
  ].includes(err?.code ?? '')
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}
