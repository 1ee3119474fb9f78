// A backends file as the desired state of the service, against the service's backends as listed:
// what plan reports and apply does, backend by backend. Each item is the whole backend (a PUT of
// it), compared as the service means it (nulls and service defaults absent, secrets compared
// without being shown); the service's backends the file does not name come after the file's.
import { backendIdOf, type ArmBackend } from '../../azure/backend-json.js'
import type { DesiredBackend } from '../spec.js'
import { armProperties } from './context.js'
import { diff, type Change } from './diff.js'

/** What becomes of one backend. */
export const PLAN_RESULTS = [
  'would-create',
  'would-replace',
  'unchanged',
  'would-delete',
  'not-in-file'
] as const
export type PlanItemResult = (typeof PLAN_RESULTS)[number]

/** One backend of the plan. */
export interface PlanRow {
  backendId: string
  result: PlanItemResult
  changes: Change[]
  /** The file's item (every result but would-delete and not-in-file). */
  item?: DesiredBackend
  /** The service's backend as listed or read (every result but would-create). */
  current?: ArmBackend
  /** The ETag of `current`, when it was read (a listing carries none). */
  etag?: string
}

/** Does this result write anything? */
export const writes = (result: PlanItemResult): boolean =>
  result !== 'unchanged' && result !== 'not-in-file'

/** Is the service's backend a pool (a pool goes after its members on create, before on delete)? */
export const isPool = (backend: ArmBackend): boolean =>
  backend.properties?.type === 'Pool' || backend.properties?.pool != null

/** The ARM ids of the members of a pool of the service, as listed or read. */
export function poolMembersOf(backend: ArmBackend): string[] {
  const pool = backend.properties?.pool as { services?: { id?: unknown }[] } | undefined
  return (pool?.services ?? []).flatMap((m) => (typeof m?.id === 'string' ? [m.id] : []))
}

/** Is this item of the file a pool (written after its members)? */
export const isPoolItem = (item: DesiredBackend): boolean => (item.poolMembers?.length ?? 0) > 0

/** One backend of the file against the service's version of it (undefined: absent). */
export function compareItem(item: DesiredBackend, current: ArmBackend | undefined): PlanRow {
  // An item is the whole backend: compared as a PUT of it would leave it.
  const changes = diff(current?.properties ?? {}, armProperties(item.backend))
  const result = !current ? 'would-create' : changes.length > 0 ? 'would-replace' : 'unchanged'
  return { backendId: item.backendId, result, changes, item, current }
}

/** A backend of the service that the file does not name. */
export function compareOther(current: ArmBackend, prune: boolean): PlanRow {
  return {
    backendId: backendIdOf(current),
    result: prune ? 'would-delete' : 'not-in-file',
    changes: prune ? diff(current.properties ?? {}, {}) : [],
    current
  }
}

/** The plan: the file's backends in its order, then the service's others in listing order. */
export function comparePlan(
  desired: DesiredBackend[],
  listed: ArmBackend[],
  prune: boolean
): PlanRow[] {
  // Backend ids are case-insensitive in ARM; the file's spelling is the one reported.
  const byId = new Map(listed.map((b) => [backendIdOf(b).toLowerCase(), b]))
  const rows: PlanRow[] = []
  for (const item of desired) {
    const key = item.backendId.toLowerCase()
    rows.push(compareItem(item, byId.get(key)))
    byId.delete(key)
  }
  for (const other of byId.values()) rows.push(compareOther(other, prune))
  return rows
}

/** The `results` output's entry for a row: id, result, the changed fields' paths. */
export function resultEntry(row: { backendId: string; result: string; changes: Change[] }) {
  return {
    'backend-id': row.backendId,
    result: row.result,
    changes: row.changes.map((c) => c.path)
  }
}
