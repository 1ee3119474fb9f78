// The backend as the action reports it: the raw ARM resource (id, name, type, properties) as
// Azure returned it, with every secret value replaced by ***. The SDK's flattened return value
// (typePropertiesType, eTag, no properties) is not what users see in the portal or REST docs.
import type { Secrets } from '../secrets.js'
import { REDACTED } from '../secrets.js'
import { secretLeaves } from '../structured.js'

export interface ArmBackend {
  id?: string
  name?: string
  type?: string
  properties?: {
    url?: string
    protocol?: string
    credentials?: Record<string, unknown>
    proxy?: Record<string, unknown>
    [key: string]: unknown
  }
  [key: string]: unknown
}

/** Register the secrets Azure sent back (a backend made elsewhere has secrets we never saw). */
export function absorbSecrets(backend: ArmBackend, secrets: Secrets): void {
  for (const v of secretLeaves(backend.properties?.credentials, 'credentials')) secrets.add(v)
  for (const v of secretLeaves(backend.properties?.proxy, 'proxy')) secrets.add(v)
}

export function redactBackend(backend: ArmBackend): ArmBackend {
  const copy = structuredClone(backend)
  const creds = copy.properties?.credentials as
    | {
        authorization?: { parameter?: string }
        header?: Record<string, string[]>
        query?: Record<string, string[]>
      }
    | undefined
  if (creds?.authorization?.parameter !== undefined) creds.authorization.parameter = REDACTED
  for (const map of [creds?.header, creds?.query]) {
    for (const name of Object.keys(map ?? {})) {
      const values = map![name]
      map![name] = Array.isArray(values) ? values.map(() => REDACTED) : [REDACTED]
    }
  }
  const proxy = copy.properties?.proxy as { password?: string } | undefined
  if (proxy?.password !== undefined) proxy.password = REDACTED
  return copy
}
