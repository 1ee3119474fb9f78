// What a write would change, field by field: the what-if preview, the `changes` output and the
// summary's diff table. Secret values are compared for real but kept only as ***.
import { isDeepStrictEqual } from 'node:util'
import { escapeControl } from '../../messages.js'
import { REDACTED } from '../../secrets.js'
import { redactProperties, secretKindAt } from '../../secret-fields.js'
import { isServiceDefault } from './service-defaults.js'

export interface Change {
  /** e.g. properties.url, properties.credentials.header.x-api-key */
  path: string
  /** Before and after, each secret already replaced by *** at its place (secret-fields.ts). */
  old: unknown
  new: unknown
  /** The whole value is a secret (shown as ***). */
  secret: boolean
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Leaf-by-leaf differences between two ARM bodies' properties; lists are compared as whole
 * values. Both sides are compared as the service means them (see `meaning`): an explicit null
 * and a service default are the same as leaving the field out.
 */
export function diff(before: unknown, after: unknown): Change[] {
  return diffAt(meaning(asInputs(before)), meaning(asInputs(after)), [])
}

/**
 * A backend's properties with the fields the service spells its own way put back as the inputs
 * spell them. The Service Fabric client certificate's thumbprint is written
 * `clientCertificatethumbprint` (the spec, lower-case t) and answered `clientCertificateThumbprint`
 * (capital T) — never the other spelling, even after a PUT that sent none: the service fills it
 * from the certificate `clientCertificateId` names (azure-sdk-for-net SessionRecords/BackendTests/
 * ServiceFabricCreateUpdateDelete.json). So the answered one is the input's field, unless a
 * certificate id is given: then it is derived, and not an input at all.
 */
export function asInputs(properties: unknown): unknown {
  if (!isObject(properties)) return properties
  const nested = properties.properties
  if (!isObject(nested) || !isObject(nested.serviceFabricCluster)) return properties
  const { clientCertificateThumbprint: answered, ...cluster } = nested.serviceFabricCluster
  if (answered !== undefined && answered !== null && cluster.clientCertificateId == null)
    cluster.clientCertificatethumbprint ??= answered
  return { ...properties, properties: { ...nested, serviceFabricCluster: cluster } }
}

function diffAt(before: unknown, after: unknown, keys: string[]): Change[] {
  if (isObject(before) && isObject(after)) {
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return names.flatMap((k) => diffAt(before[k], after[k], [...keys, k]))
  }
  if (isObject(before) && after === undefined) return diffAt(before, {}, keys)
  if (before === undefined && isObject(after)) return diffAt({}, after, keys)
  if (isDeepStrictEqual(before, after)) return []
  const secret = secretKindAt(keys) === 'whole'
  // A secret is shown as *** whatever its shape (a header's list of values included).
  const shown = (v: unknown) =>
    secret ? (v === undefined ? v : REDACTED) : redactProperties(v, keys)
  return [
    { path: ['properties', ...keys].join('.'), old: shown(before), new: shown(after), secret }
  ]
}

/**
 * A backend's properties as the service means them, for comparing:
 * - an explicit `null` is a field left out: the live service answers `"title": null` for a
 *   backend created without a title, and a Pool with `title`, `url` and `protocol` null
 *   (azure-sdk-for-js arm-apimanagement recordings/node/apimanagement_test/
 *   recording_backend_create_test1.json; azure-sdk-for-net SessionRecords/BackendTests/
 *   CreateListUpdateDelete.json);
 * - a field at the spec's default is a field left out: `type: Single` and
 *   `tls.validateCertificateChain/Name: true` (apim-spec 2024-05-01 definitions: "default": true;
 *   a backend without `type` is Single);
 * - an empty list, and an object left empty by the above, are left out (no certificates, no
 *   rules, no headers: the same as none given).
 * Other lists keep their order and length (a null inside a list is a value).
 */
export function meaning(v: unknown, keys: string[] = []): unknown {
  if (Array.isArray(v)) return v.map((item) => meaning(item, [...keys, '[]']))
  if (!isObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const [k, value] of Object.entries(v)) {
    const path = [...keys, k]
    if (value === null || value === undefined || isServiceDefault(path, value)) continue
    const kept = meaning(value, path)
    if (isObject(kept) && Object.keys(kept).length === 0) continue
    if (Array.isArray(kept) && kept.length === 0) continue
    out[k] = kept
  }
  return out
}

/** A value as a write may send it back: explicit nulls left out of its objects (not lists). */
export function sendable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sendable)
  if (!isObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const [k, value] of Object.entries(v)) if (value !== null) out[k] = sendable(value)
  return out
}

/** What a PATCH leaves behind: objects merged key by key, everything else replaced. */
export function mergePatch(current: unknown, patch: unknown): unknown {
  if (!isObject(current) || !isObject(patch)) return patch === undefined ? current : patch
  const out: Record<string, unknown> = { ...current }
  for (const [k, v] of Object.entries(patch)) out[k] = mergePatch(current[k], v)
  return out
}

/**
 * The merge patch that turns `now` back into `before` (the inverse of mergePatch): what `before`
 * lacks, at any depth, becomes null (RFC 7386: remove it); lists and scalars are `before`'s.
 */
export function mergePatchFrom(now: unknown, before: unknown): unknown {
  if (before === undefined) return null
  if (!isObject(now) || !isObject(before)) return before
  const out: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(now), ...Object.keys(before)]))
    out[key] = mergePatchFrom(now[key], before[key])
  return out
}

/** A value as the log and the summary show it: on one line, control characters escaped. */
export function shownValue(v: unknown, secret: boolean): string {
  if (v === undefined) return '(none)'
  if (secret) return REDACTED
  return typeof v === 'string' ? `'${escapeControl(v)}'` : JSON.stringify(v)
}

/**
 * The what-if log: one sentence saying what would happen (ending in a full stop), then the
 * changes, one per line, announced only when there are some.
 */
export function whatIfLines(sentence: string, changes: Change[]): string[] {
  const lines = describeChanges(changes)
  const heading = lines.length === 0 ? '' : lines.length === 1 ? ' The change:' : ' The changes:'
  return [`what-if (nothing was written): ${sentence}${heading}`, ...lines]
}

export function describeChanges(changes: Change[]): string[] {
  return changes.map(
    (c) =>
      `  ${c.path}: ${shownValue(c.old, c.secret)} → ${shownValue(c.new, c.secret)}${c.secret ? ' (secret changed)' : ''}`
  )
}
