// A pipeline policy that records every attempt the SDK makes (retries included), so errors can
// say how often a request was retried, each write's correlation id can be reported, and a
// failure can say which writes were applied, which may have been, and which never left.
import { randomUUID } from 'node:crypto'
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import { neverSent } from './network-errors.js'

export interface Attempt {
  method: string
  url: string
  status?: number
  correlationId?: string
  /** No answer, but the request is known not to have left (connection refused, bad certificate). */
  unsent?: boolean
}

/** What became of one write (all attempts of one method and URL). */
export type WriteOutcome = 'applied' | 'unknown' | 'not-applied'

export class Traffic {
  readonly attempts: Attempt[] = []
  /**
   * @param onWrite told of each attempt of a write as soon as it is answered or failed, so the log
   *   shows it in the order things happen (before a wait or a probe that follows it).
   */
  constructor(private readonly onWrite?: (attempt: Attempt) => void) {}

  /** One correlation id for the whole step, as az CLI does: Azure's activity log groups by it. */
  readonly correlationId = randomUUID()
  /**
   * The setting that makes a re-run fail once a write was applied (a create with if-exists:
   * fail meets the backend; a delete with if-missing: fail misses it), and the one that would
   * not: set by the step, so advice after a failure never promises a clean re-run wrongly.
   */
  failsOnRepeat?: { setting: string; instead: string }
  private readonly settled = new Map<string, WriteOutcome>()

  readonly policy: PipelinePolicy = {
    name: 'apimBackendActionTraffic',
    sendRequest: async (request, next) => {
      if (!request.headers.has('x-ms-correlation-request-id')) {
        request.headers.set('x-ms-correlation-request-id', this.correlationId)
      }
      const attempt: Attempt = { method: request.method, url: request.url }
      this.attempts.push(attempt)
      try {
        const response = await next(request)
        attempt.status = response.status
        attempt.correlationId =
          response.headers.get('x-ms-correlation-request-id') ??
          request.headers.get('x-ms-correlation-request-id')
        this.answered(attempt)
        return response
      } catch (e) {
        attempt.correlationId = request.headers.get('x-ms-correlation-request-id')
        const status = (e as { statusCode?: unknown }).statusCode
        if (typeof status === 'number') attempt.status = status
        else if (neverSent(e)) attempt.unsent = true
        this.answered(attempt)
        throw e
      }
    }
  }

  private answered(attempt: Attempt): void {
    if (isWrite(attempt)) this.onWrite?.(attempt)
  }

  /** Attempts beyond the first for the request with this method and URL. */
  retriesOf(method: string, url: string): number {
    return Math.max(0, this.attempts.filter((a) => a.method === method && a.url === url).length - 1)
  }

  /** Attempts of this request that got no answer: they may or may not have reached Azure. */
  lostAttempts(method: string, url: string): number {
    return this.attempts.filter(
      (a) => a.method === method && a.url === url && a.status === undefined && !a.unsent
    ).length
  }

  /** Correlation ids of the writes sent (PUT, PATCH, POST, DELETE), in order. */
  writes(): Attempt[] {
    return this.attempts.filter(isWrite)
  }

  /**
   * After a write got no answer, the step read the backend again and knows: record it, so the
   * advice of a later failure says what is true.
   */
  settle(method: string, url: string, outcome: 'applied' | 'not-applied'): void {
    this.settled.set(`${method} ${url}`, outcome)
  }

  /**
   * Each write (method and URL) with what became of it: applied when an attempt was answered
   * 2xx; unknown when an attempt may have reached Azure but its answer was lost (and no re-read
   * settled it); not applied otherwise.
   */
  writeOutcomes(): { method: string; url: string; outcome: WriteOutcome }[] {
    const byKey = new Map<string, Attempt[]>()
    for (const a of this.writes()) {
      const key = `${a.method} ${a.url}`
      byKey.set(key, [...(byKey.get(key) ?? []), a])
    }
    return [...byKey.entries()].map(([key, attempts]) => {
      const { method, url } = attempts[0]
      const settled = this.settled.get(key)
      const outcome: WriteOutcome =
        settled ??
        (attempts.some((a) => a.status !== undefined && a.status >= 200 && a.status < 300)
          ? 'applied'
          : attempts.some((a) => a.status === undefined && !a.unsent)
            ? 'unknown'
            : 'not-applied')
      return { method, url, outcome }
    })
  }
}

const isWrite = (a: Attempt): boolean => a.method !== 'GET' && a.method !== 'HEAD'

/** The part of an ARM path after the service, e.g. /backends/orders/reconnect. */
export function pathOf(url: string): string {
  let path: string
  try {
    path = new URL(url).pathname
  } catch {
    return url
  }
  return /\/service\/[^/]+(\/.*)$/i.exec(path)?.[1] ?? path
}

/** A write's log line: what was sent, what came back, and the id Azure's activity log knows it by. */
export function writeLine(a: Attempt): string {
  return `${a.method} ${pathOf(a.url)} -> ${a.status ?? 'no answer'}; x-ms-correlation-request-id: ${a.correlationId}`
}
