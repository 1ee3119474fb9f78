// operation: apply — make the service match the backends file: create what is missing
// (If-None-Match: *), replace what differs (If-Match: the ETag just read, or the one the saved
// plan read) and, with prune, delete what the file does not name (If-Match). Members are written
// before the pools that refer to them, and pools deleted before their members. One failure does
// not stop the others; the step fails at the end if any did. A second apply writes nothing.
import pLimit from 'p-limit'
import { describeAzureError, statusOf } from '../../azure/errors.js'
import * as workflow from '../../workflow.js'
import { scopeName } from '../../input-rules/model.js'
import { errorContext, type OperationContext, type OperationResult } from '../shared/context.js'
import { backendIdOfArmId } from '../../azure/backend-json.js'
import {
  comparePlan,
  isPool,
  isPoolItem,
  poolMembersOf,
  resultEntry,
  type PlanRow
} from '../shared/desired-state.js'
import type { Change } from '../shared/diff.js'
import { listAll } from '../shared/list-all.js'
import { contextOf, readRowsToWrite } from '../shared/read-current.js'
import { deleteBackend, putBackend } from '../shared/writes.js'
import { applySummary } from './summary.js'
import type { ApplyRequest, ApplyResult, ApplyRow } from './types.js'

/** A backend of the plan, and what its write waits for. */
interface Planned {
  row: PlanRow
  /** A pool of the file (written after its members) or of the service (deleted before them). */
  pool: boolean
  /** Not written, and why (a member missing, or a backend a pool of the file still refers to). */
  blocked?: string
}

export async function apply(
  ctx: OperationContext,
  request: ApplyRequest
): Promise<OperationResult<ApplyResult>> {
  const planned = request.saved ? fromSavedPlan(request) : await planNow(ctx, request)
  const done = new Map<Planned, ApplyRow>()
  ctx.deadline.progress = () => ({
    done: [`${done.size} of ${planned.length} backends (see the results output)`],
    notDone: [`${planned.length - done.size} backends`]
  })
  const limit = pLimit(request.maxParallel)
  const saved = request.saved !== undefined
  // Members before the pools that refer to them; pools deleted before their members.
  const waves: ((p: Planned) => boolean)[] = [
    (p) => isUpsert(p) && !p.pool,
    (p) => isUpsert(p) && p.pool,
    (p) => p.row.result === 'would-delete' && p.pool,
    (p) => p.row.result === 'would-delete' && !p.pool
  ]
  for (const wave of waves)
    await Promise.all(
      planned.filter(wave).map((p) =>
        limit(async () => {
          const outcome = await writeOne(ctx, p, planned, done, saved)
          done.set(p, outcome)
          if (outcome.result === 'failed') workflow.error(`${p.row.backendId}: ${outcome.error}`)
          else workflow.info(`${p.row.backendId}: ${outcome.result}`)
        })
      )
    )
  const rows: ApplyRow[] = planned.map(
    (p) =>
      done.get(p) ?? {
        backendId: p.row.backendId,
        result: p.row.result === 'unchanged' ? 'unchanged' : 'not-in-file',
        changes: []
      }
  )
  const written = rows.filter((r) => ['created', 'replaced', 'deleted'].includes(r.result))
  const failed = rows.filter((r) => r.result === 'failed')
  const summary = applySummary(rows, request.prune, request.saved?.file)
  workflow.info(`Apply to ${scopeName(ctx.target)}: ${summary.counts}.`)
  return {
    result: 'applied',
    outputs: {
      results: JSON.stringify(
        rows.map((r) => ({ ...resultEntry(r), ...(r.error ? { error: r.error } : {}) }))
      ),
      'has-changes': String(written.length > 0)
    },
    summary: summary.parts,
    failure:
      failed.length > 0
        ? `${failed.length} of ${rows.length} backends failed: ${failed.map((f) => `${f.backendId} (${f.error})`).join('; ')}`
        : undefined
  }
}

const isUpsert = (p: Planned) => p.row.result === 'would-create' || p.row.result === 'would-replace'

/** The plan made now: one listing, then a GET of each backend to replace or delete (its ETag). */
async function planNow(ctx: OperationContext, request: ApplyRequest): Promise<Planned[]> {
  const listed = comparePlan(request.desired, await listAll(ctx), request.prune)
  const rows = await readRowsToWrite(ctx, listed, request.prune, request.maxParallel)
  const planned = rows.map((row) => ({
    row,
    pool: row.item ? isPoolItem(row.item) : !!row.current && isPool(row.current)
  }))
  checkPoolMembers(planned)
  return planned
}

/**
 * A pool of the file must refer to backends the service will have: in the file, or in the
 * service and not deleted. Checked before any write, from the listing (no GET per member).
 */
function checkPoolMembers(planned: Planned[]): void {
  const byId = new Map(planned.map((p) => [p.row.backendId.toLowerCase(), p]))
  for (const pool of planned) {
    // Every pool of the file, unchanged ones included: each keeps referring to its members.
    if (!pool.row.item) continue
    for (const member of pool.row.item.poolMembers ?? []) {
      const id = backendIdOfArmId(member)
      const target = byId.get(id.toLowerCase())
      if (!target) {
        if (isUpsert(pool))
          pool.blocked = `not written: its member '${id}' is neither in the file nor in the service`
      } else if (target.row.result === 'would-delete')
        target.blocked = `not deleted: pool '${pool.row.backendId}' of the file refers to it (add it to the file, or take it out of the pool)`
    }
  }
}

/** The saved plan, as it was reviewed: no listing, no read; its ETags guard the writes. */
function fromSavedPlan(request: ApplyRequest): Planned[] {
  const items = new Map(request.desired.map((d) => [d.backendId.toLowerCase(), d]))
  const planned = request.saved!.plan.backends.map((r): Planned => {
    const item = items.get(r['backend-id'].toLowerCase())
    const needsEtag = r.result === 'would-replace' || r.result === 'would-delete'
    return {
      row: {
        backendId: r['backend-id'],
        result: r.result,
        changes: r.changes as Change[],
        item,
        etag: r.etag,
        // A pool of the service, as the plan read it: its members are held back if its write fails.
        current: r.members
          ? { properties: { pool: { services: r.members.map((id) => ({ id })) } } }
          : undefined
      },
      pool: item ? isPoolItem(item) : r.pool === true,
      blocked:
        needsEtag && !r.etag ? 'not written: the plan has no ETag for it; plan again' : undefined
    }
  })
  checkPoolMembers(planned)
  return planned
}

/** Write one backend of the plan, and say what became of it. */
async function writeOne(
  ctx: OperationContext,
  p: Planned,
  planned: Planned[],
  done: Map<Planned, ApplyRow>,
  saved: boolean
): Promise<ApplyRow> {
  const { row } = p
  const failed = (error: string): ApplyRow => ({
    backendId: row.backendId,
    result: 'failed',
    changes: row.changes,
    error: ctx.secrets.redact(error)
  })
  if (p.blocked) return failed(p.blocked)
  const unwritten = unwrittenMember(p, planned, done)
  if (unwritten) return failed(`not written: its member '${unwritten}' failed`)
  const holding = failedPoolReferring(p, planned, done)
  if (holding)
    return failed(`not deleted: pool '${holding}' still refers to it, and its own write failed`)
  if (ctx.deadline.signal.aborted) return failed('not started: timeout-seconds was reached')
  const one = contextOf(ctx, row.backendId)
  const verb = { 'would-create': 'Creating', 'would-replace': 'Replacing' }[
    row.result as 'would-create'
  ]
  const doing = `${verb ?? 'Deleting'} backend '${row.backendId}'`
  try {
    if (row.result === 'would-delete') {
      await deleteBackend(one, row.etag!)
      return { backendId: row.backendId, result: 'deleted', changes: row.changes }
    }
    await putBackend(one, row.item!.backend, row.result === 'would-replace' ? row.etag : undefined)
    return {
      backendId: row.backendId,
      result: row.result === 'would-create' ? 'created' : 'replaced',
      changes: row.changes
    }
  } catch (e) {
    const status = statusOf(e)
    // 412: the precondition failed — someone else created, changed or deleted the backend since
    // it was read (a create may meet 409 instead: a guess, as in create). 404 on a guarded
    // replace: deleted since.
    if (
      status === 412 ||
      (status === 409 && row.result === 'would-create') ||
      (status === 404 && row.result === 'would-replace')
    )
      return failed(
        saved
          ? `changed since the plan (${row.result === 'would-create' ? 'created' : status === 404 ? 'deleted' : 'written'} by someone else); not written. Plan again and review the new plan.`
          : `changed by someone else while this step ran; not written. Run apply again.`
      )
    return failed(describeAzureError(e, errorContext(one, doing)).message)
  }
}

/** A member of this pool, in the file, whose own write failed: the pool would refer to it. */
function unwrittenMember(
  p: Planned,
  planned: Planned[],
  done: Map<Planned, ApplyRow>
): string | undefined {
  if (!p.pool || !isUpsert(p)) return undefined
  const members = new Set(
    (p.row.item?.poolMembers ?? []).map((m) => backendIdOfArmId(m).toLowerCase())
  )
  return planned.find(
    (q) => members.has(q.row.backendId.toLowerCase()) && done.get(q)?.result === 'failed'
  )?.row.backendId
}

/**
 * A backend to delete that a pool of the service still refers to, when that pool's replace or
 * delete failed: deleting it would leave the pool pointing at nothing.
 */
function failedPoolReferring(
  p: Planned,
  planned: Planned[],
  done: Map<Planned, ApplyRow>
): string | undefined {
  if (p.row.result !== 'would-delete' || p.pool) return undefined
  const id = p.row.backendId.toLowerCase()
  return planned.find(
    (q) =>
      done.get(q)?.result === 'failed' &&
      (q.row.current ? poolMembersOf(q.row.current) : []).some(
        (m) => backendIdOfArmId(m).toLowerCase() === id
      )
  )?.row.backendId
}
