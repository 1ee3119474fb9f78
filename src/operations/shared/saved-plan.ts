// A saved plan (`plan-file`): what `plan` read and would write, kept as a file between jobs (an
// artifact: plan -> environment approval -> apply), so `apply` writes exactly that and nothing
// else, each write guarded by the ETag the plan read. It holds no secret value: each item's
// desired backend is kept with its secrets as *** (secret-fields.ts), and apply takes the values
// again from the same backends file and environment.
import { z } from 'zod'
import { backendsScopeId, type Target } from '../../input-rules/model.js'
import { writeWholeFile } from '../../input-rules/workspace-files.js'
import { ActionError, InputError } from '../../messages.js'
import { redactProperties } from '../../secret-fields.js'
import type { DesiredBackend } from '../spec.js'
import { armProperties } from './context.js'
import { isPool, PLAN_RESULTS, poolMembersOf, type PlanRow } from './desired-state.js'
import { diff } from './diff.js'

export const PLAN_FORMAT = 'apim-backend-action plan 1'
/** The largest saved plan read: 1,000 backends (MAX_BACKENDS) of a few KiB each. */
export const PLAN_FILE_BYTES = 8 * 1024 * 1024

const SavedRow = z.strictObject({
  'backend-id': z.string().min(1),
  result: z.enum(PLAN_RESULTS),
  /** The ETag the plan read: every write of a backend that exists is guarded by it. */
  // Never `*`: If-Match: * would make the write unguarded (an ETag read is always a real one).
  etag: z
    .string()
    .min(1)
    .refine((t) => !t.split(',').some((part) => part.trim() === '*'), 'an ETag read is never *')
    .optional(),
  /** What would change, old -> new, each secret as *** (diff.ts): the plan a reviewer read. */
  changes: z.array(
    z.strictObject({
      path: z.string(),
      old: z.unknown().optional(),
      new: z.unknown().optional(),
      secret: z.boolean()
    })
  ),
  /** A pool: deleted before the backends it refers to. */
  pool: z.boolean().optional(),
  /**
   * A pool of the service: its members as read (ARM ids), so apply holds back the delete of a
   * member while this pool's own write failed, as it does without a saved plan.
   */
  members: z.array(z.string()).optional(),
  /** The file's item as a PUT sends it, secrets as ***. */
  desired: z.record(z.string(), z.unknown()).optional()
})
const SavedPlanSchema = z.strictObject({
  format: z.literal(PLAN_FORMAT),
  service: z.string().min(1),
  'planned-at': z.string(),
  prune: z.boolean(),
  backends: z.array(SavedRow)
})
export type SavedPlan = z.infer<typeof SavedPlanSchema>
export type SavedPlanRow = z.infer<typeof SavedRow>

/** Every string of a value with `redact` applied (the step's secrets, found by their text). */
function redactStrings<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact)) as T
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactStrings(v, redact)])
    ) as T
  return value
}

/**
 * An item as the plan keeps it: secrets as *** by place (secret-fields.ts), and any other secret
 * of the step (a `${NAME}` value in a query parameter no rule knows) by its text.
 */
const desiredShown = (item: DesiredBackend, redact: (text: string) => string) =>
  redactStrings(redactProperties(armProperties(item.backend)), redact) as Record<string, unknown>

/** The plan as saved: rows of the file with their desired backend, ETags where read. */
export function savedPlan(
  target: Target,
  prune: boolean,
  rows: PlanRow[],
  redact: (text: string) => string
): SavedPlan {
  return {
    format: PLAN_FORMAT,
    service: backendsScopeId(target),
    'planned-at': new Date().toISOString(),
    prune,
    backends: rows.map((r) => ({
      'backend-id': r.backendId,
      result: r.result,
      ...(r.etag ? { etag: r.etag } : {}),
      ...(r.current && isPool(r.current) ? { pool: true, members: poolMembersOf(r.current) } : {}),
      changes: redactStrings(r.changes, redact),
      ...(r.item ? { desired: desiredShown(r.item, redact) } : {})
    }))
  }
}

/** Write it whole or not at all (writeWholeFile), over an earlier plan at the same path. */
export function writeSavedPlan(file: string, plan: SavedPlan): void {
  try {
    writeWholeFile(file, `${JSON.stringify(plan, null, 2)}\n`, true)
  } catch (e) {
    throw new ActionError(
      `Could not write the plan to plan-file ${file}: ${e instanceof Error ? e.message : String(e)}. Nothing was written to Azure.`
    )
  }
}

/** A saved plan's text, read back; what is wrong with it names plan-file. */
export function parseSavedPlan(text: string): SavedPlan {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new InputError('plan-file', 'is not JSON; expected a plan written by operation: plan.')
  }
  const parsed = SavedPlanSchema.safeParse(json)
  if (!parsed.success) {
    const format = (json as { format?: unknown } | null)?.format
    throw new InputError(
      'plan-file',
      format !== PLAN_FORMAT
        ? `is not a plan of this action's format ('${PLAN_FORMAT}'); write it with operation: plan and plan-file.`
        : `is not a valid plan (${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || 'the plan'}: ${i.message}`)
            .join('; ')}); write it again with operation: plan.`
    )
  }
  return parsed.data
}

/**
 * Why the step's backends file and target are not the ones the plan was made from, if they are
 * not: another service, an item added, dropped or changed (secret values aside: they are not in
 * the plan, and apply sends the values the references hold now).
 */
export function planMismatches(
  plan: SavedPlan,
  target: Target,
  desired: DesiredBackend[],
  /** The step's secrets by text, as the plan was redacted (savedPlan). */
  redact: (text: string) => string
): string[] {
  const problems: string[] = []
  if (plan.service.toLowerCase() !== backendsScopeId(target).toLowerCase())
    problems.push(`the plan is for ${plan.service}, not ${backendsScopeId(target)}`)
  // Only what a plan of this file and prune can hold: each backend once; a row with the file's
  // item is one of the file's (create, replace or unchanged); any other is the service's
  // (not-in-file, or would-delete with prune).
  const seen = new Set<string>()
  for (const r of plan.backends) {
    const key = r['backend-id'].toLowerCase()
    if (seen.has(key)) problems.push(`backend '${r['backend-id']}' appears more than once`)
    seen.add(key)
    const ofFile =
      r.result === 'would-create' || r.result === 'would-replace' || r.result === 'unchanged'
    if (ofFile !== (r.desired !== undefined))
      problems.push(
        `backend '${r['backend-id']}' is ${r.result} ${r.desired ? 'with' : 'without'} an item of the file`
      )
    if (r.result === 'would-delete' && !plan.prune)
      problems.push(`backend '${r['backend-id']}' is would-delete in a plan made without prune`)
  }
  const planned = new Map(
    plan.backends
      .filter((r) => r.desired !== undefined)
      .map((r) => [r['backend-id'].toLowerCase(), r])
  )
  const others = new Set(
    plan.backends.filter((r) => r.desired === undefined).map((r) => r['backend-id'].toLowerCase())
  )
  for (const item of desired) {
    const row = planned.get(item.backendId.toLowerCase())
    planned.delete(item.backendId.toLowerCase())
    if (others.has(item.backendId.toLowerCase()))
      problems.push(
        `backend '${item.backendId}' is in the file but not-in-file or would-delete in the plan`
      )
    if (!row) {
      problems.push(`backend '${item.backendId}' is in the file but not in the plan`)
      continue
    }
    const changed = diff(row.desired, desiredShown(item, redact)).map((c) =>
      c.path.replace(/^properties\./, '')
    )
    if (changed.length > 0)
      problems.push(`backend '${item.backendId}' differs from the plan (${changed.join(', ')})`)
  }
  for (const row of planned.values())
    problems.push(`backend '${row['backend-id']}' is in the plan but no longer in the file`)
  return problems
}
