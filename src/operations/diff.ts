// What a write would change, field by field: the what-if preview, the `changes` output and the
// summary's diff table. Secret values are compared for real but shown as ***.
import { isDeepStrictEqual } from 'node:util'
import { REDACTED } from '../secrets.js'

export interface Change {
  /** e.g. properties.url, properties.credentials.header.x-api-key */
  path: string
  old: unknown
  new: unknown
  secret: boolean
}

const SECRET_PATHS = [
  /^properties\.credentials\.authorization\.parameter$/,
  /^properties\.credentials\.(header|query)\.[^.]+$/,
  /^properties\.proxy\.password$/
]

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Leaf-by-leaf differences between two ARM bodies; lists are compared as whole values. */
export function diff(before: unknown, after: unknown, path = 'properties'): Change[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys.flatMap((k) => diff(before[k], after[k], `${path}.${k}`))
  }
  if (isObject(before) && after === undefined) return diff(before, {}, path)
  if (before === undefined && isObject(after)) return diff({}, after, path)
  if (isDeepStrictEqual(before, after)) return []
  return [{ path, old: before, new: after, secret: SECRET_PATHS.some((re) => re.test(path)) }]
}

/** What a PATCH leaves behind: objects merged key by key, everything else replaced. */
export function mergePatch(current: unknown, patch: unknown): unknown {
  if (!isObject(current) || !isObject(patch)) return patch === undefined ? current : patch
  const out: Record<string, unknown> = { ...current }
  for (const [k, v] of Object.entries(patch)) out[k] = mergePatch(current[k], v)
  return out
}

/** A value as the log and the summary show it. */
export function shownValue(v: unknown, secret: boolean): string {
  if (v === undefined) return '(none)'
  if (secret) return REDACTED
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v)
}

export function describeChanges(changes: Change[]): string[] {
  return changes.map(
    (c) =>
      `  ${c.path}: ${shownValue(c.old, c.secret)} → ${shownValue(c.new, c.secret)}${c.secret ? ' (secret changed)' : ''}`
  )
}
