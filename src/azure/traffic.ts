// A pipeline policy that records every attempt the SDK makes (retries included), so errors can
// say how often a request was retried and each write's correlation id can be reported.
import { randomUUID } from 'node:crypto'
import type { PipelinePolicy } from '@azure/core-rest-pipeline'

export interface Attempt {
  method: string
  url: string
  status?: number
  correlationId?: string
}

export class Traffic {
  readonly attempts: Attempt[] = []
  /** One correlation id for the whole step, as az CLI does: Azure's activity log groups by it. */
  readonly correlationId = randomUUID()

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
        return response
      } catch (e) {
        attempt.correlationId = request.headers.get('x-ms-correlation-request-id')
        throw e
      }
    }
  }

  /** Attempts beyond the first for the request with this method and URL. */
  retriesOf(method: string, url: string): number {
    return Math.max(0, this.attempts.filter((a) => a.method === method && a.url === url).length - 1)
  }

  /** Attempts of this request that got no answer: they may or may not have reached Azure. */
  lostAttempts(method: string, url: string): number {
    return this.attempts.filter(
      (a) => a.method === method && a.url === url && a.status === undefined
    ).length
  }

  /** Correlation ids of the writes sent (PUT, PATCH, POST, DELETE), in order. */
  writes(): Attempt[] {
    return this.attempts.filter((a) => a.method !== 'GET' && a.method !== 'HEAD')
  }
}
