// The body a backend write sends is exactly the one the action built and compared. The SDK's
// serializer keeps only the fields its models know: it drops `credentials.managedIdentity`
// (accepted by the service, missing from the 2024-05-01 spec) and any field a newer service
// returns in a GET. A PATCH built from the current backend must send such fields back as they
// are, and a PUT must send what the diff compared; this policy puts the action's own JSON in
// place of the serialized one. The SDK still builds the request (URL, api-version, If-Match).
import type { PipelinePolicy } from '@azure/core-rest-pipeline'

type WriteMethod = 'PUT' | 'PATCH'

export class ExactBodies {
  private readonly bodies = new Map<string, string>()

  /** The next `method` of backend `backendId` sends `{ properties }`, whatever the SDK built. */
  set(method: WriteMethod, backendId: string, properties: Record<string, unknown>): void {
    this.bodies.set(key(method, backendId), JSON.stringify({ properties }))
  }

  /** A per-call policy: it runs once per SDK call, so every retry of the call sends this body. */
  readonly policy: PipelinePolicy = {
    name: 'apimBackendActionExactBody',
    sendRequest: async (request, next) => {
      const method = request.method
      if (method === 'PUT' || method === 'PATCH') {
        const id = /\/backends\/([^/?]+)$/i.exec(new URL(request.url).pathname)?.[1]
        const k = id === undefined ? undefined : key(method, decodeURIComponent(id))
        const body = k === undefined ? undefined : this.bodies.get(k)
        if (k !== undefined && body !== undefined) {
          this.bodies.delete(k)
          request.body = body
          request.headers.delete('Content-Length')
        }
      }
      return next(request)
    }
  }
}

const key = (method: WriteMethod, backendId: string) => `${method} ${backendId.toLowerCase()}`
