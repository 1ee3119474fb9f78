// ARM's write budget per subscription and principal is a token bucket: 200 writes at once,
// refilled at 10 a second; deletes have a bucket of their own, the same size (learn.microsoft.com
// "Understand how Azure Resource Manager throttles requests"; a DELETE answers
// x-ms-ratelimit-remaining-subscription-deletes, azure-sdk-for-net SessionRecords/BackendTests/
// CreateListUpdateDelete.json). Many backends in one step spend them fast; this policy makes
// writes wait for a token on the client side instead of earning 429s (which are still retried).
import type { PipelinePolicy } from '@azure/core-rest-pipeline'

export class TokenBucket {
  private tokens: number
  private last = Date.now()

  constructor(
    private readonly burst: number,
    private readonly perSecond: number
  ) {
    this.tokens = burst
  }

  /** Wait until a token is available, then take it. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now()
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      if (signal?.aborted) return
      await new Promise((r) =>
        setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000))
      )
    }
  }
}

export const ARM_WRITES = { burst: 200, perSecond: 10 }
export const ARM_DELETES = { burst: 200, perSecond: 10 }

/** One bucket for PUT, PATCH and POST, one for DELETE; reads are not limited here. */
export function writeBudgetPolicy(
  writes = new TokenBucket(ARM_WRITES.burst, ARM_WRITES.perSecond),
  deletes = new TokenBucket(ARM_DELETES.burst, ARM_DELETES.perSecond)
): PipelinePolicy {
  return {
    name: 'apimBackendActionWriteBudget',
    async sendRequest(request, next) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const bucket = request.method === 'DELETE' ? deletes : writes
        await bucket.take(request.abortSignal as AbortSignal | undefined)
      }
      return next(request)
    }
  }
}
