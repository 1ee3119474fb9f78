// backend-credentials.managedIdentity ({resource, clientId}) is accepted by the service but
// missing from the stable 2024-05-01 spec, so the SDK's serializer silently drops it. This
// policy puts it back into the PUT/PATCH body of the backend it belongs to.
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import type { BackendContract } from '@azure/arm-apimanagement'

export interface ManagedIdentityCredential {
  resource: string
  clientId?: string
}

/** The managedIdentity a request body asked for, if any (the SDK type does not know it). */
export function managedIdentityOf(
  contract: BackendContract | undefined
): ManagedIdentityCredential | undefined {
  return (contract?.credentials as { managedIdentity?: ManagedIdentityCredential } | undefined)
    ?.managedIdentity
}

/** backendId (lower case) → the managedIdentity its write must carry. */
export function managedIdentityPolicy(
  wanted: Map<string, ManagedIdentityCredential>
): PipelinePolicy {
  return {
    name: 'apimBackendActionManagedIdentityCredentials',
    async sendRequest(request, next) {
      if (
        (request.method === 'PUT' || request.method === 'PATCH') &&
        typeof request.body === 'string'
      ) {
        const id = /\/backends\/([^/?]+)$/i.exec(new URL(request.url).pathname)?.[1]
        const identity = id ? wanted.get(decodeURIComponent(id).toLowerCase()) : undefined
        if (identity) {
          const body = JSON.parse(request.body) as {
            properties?: { credentials?: Record<string, unknown> }
          }
          body.properties ??= {}
          body.properties.credentials = {
            ...(body.properties.credentials ?? {}),
            managedIdentity: identity
          }
          request.body = JSON.stringify(body)
          request.headers.delete('Content-Length')
        }
      }
      return next(request)
    }
  }
}
