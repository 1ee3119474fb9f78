// The backend as the action reports it: the raw ARM resource (id, name, type, properties) as
// Azure returned it, with every secret value replaced by ***. The SDK's flattened return value
// (typePropertiesType, eTag, no properties) is not what users see in the portal or REST docs.
import type { Secrets } from '../secrets.js'
import { redactProperties, secretValues } from '../secret-fields.js'

export interface ArmBackend {
  id?: string
  name?: string
  type?: string
  properties?: {
    /** null on a Pool, as the live service answers (docs/backend-contract.md "Real traffic"). */
    url?: string | null
    protocol?: string | null
    credentials?: Record<string, unknown>
    proxy?: Record<string, unknown>
    [key: string]: unknown
  }
  [key: string]: unknown
}

/** Register the secrets Azure sent back (a backend made elsewhere has secrets we never saw). */
export function absorbSecrets(backend: ArmBackend, secrets: Secrets): void {
  secrets.addAll(secretValues(backend.properties))
}

/** The backend with every secret replaced by *** at its place; all else byte for byte. */
export function redactBackend(backend: ArmBackend): ArmBackend {
  if (!backend.properties) return backend
  return {
    ...backend,
    properties: redactProperties(backend.properties) as ArmBackend['properties']
  }
}

/** A listed backend's id: its `name`, or the last segment of its ARM `id`; '' when it has neither. */
export function backendIdOf(backend: ArmBackend): string {
  if (typeof backend.name === 'string') return backend.name
  return typeof backend.id === 'string' ? backend.id.slice(backend.id.lastIndexOf('/') + 1) : ''
}

/** The backend id an ARM id ends in, %-decoded (a pool member's id, as the pool holds it). */
export function backendIdOfArmId(armId: string): string {
  return decodeURIComponent(armId.slice(armId.lastIndexOf('/') + 1))
}
