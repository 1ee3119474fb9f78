// What a write would change, field by field: the what-if preview, the `changes` output and the
// summary's diff table. Secret values are compared for real but kept only as ***.
import { isDeepStrictEqual } from 'node:util'
import { escapeControl } from '../messages.js'
import { REDACTED } from '../secrets.js'
import { redactProperties, secretKindAt } from '../secret-fields.js'

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

/** Leaf-by-leaf differences between two ARM bodies' properties; lists are compared as whole values. */
export function diff(before: unknown, after: unknown, keys: string[] = []): Change[] {
  if (isObject(before) && isObject(after)) {
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return names.flatMap((k) => diff(before[k], after[k], [...keys, k]))
  }
  if (isObject(before) && after === undefined) return diff(before, {}, keys)
  if (before === undefined && isObject(after)) return diff({}, after, keys)
  if (isDeepStrictEqual(before, after)) return []
  const secret = secretKindAt(keys) === 'whole'
  // A secret is shown as *** whatever its shape (a header's list of values included).
  const shown = (v: unknown) =>
    secret ? (v === undefined ? v : REDACTED) : redactProperties(v, keys)
  return [
    { path: ['properties', ...keys].join('.'), old: shown(before), new: shown(after), secret }
  ]
}

/** What a PATCH leaves behind: objects merged key by key, everything else replaced. */
export function mergePatch(current: unknown, patch: unknown): unknown {
  if (!isObject(current) || !isObject(patch)) return patch === undefined ? current : patch
  const out: Record<string, unknown> = { ...current }
  for (const [k, v] of Object.entries(patch)) out[k] = mergePatch(current[k], v)
  return out
}

/** A value as the log and the summary show it: on one line, control characters escaped. */
export function shownValue(v: unknown, secret: boolean): string {
  if (v === undefined) return '(none)'
  if (secret) return REDACTED
  return typeof v === 'string' ? `'${escapeControl(v)}'` : JSON.stringify(v)
}

export function describeChanges(changes: Change[]): string[] {
  return changes.map(
    (c) =>
      `  ${c.path}: ${shownValue(c.old, c.secret)} → ${shownValue(c.new, c.secret)}${c.secret ? ' (secret changed)' : ''}`
  )
}
