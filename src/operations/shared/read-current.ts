// Before a backend of a plan is written (or a plan is saved), it is read again: a listing carries
// no ETag, and a write must be guarded by the ETag of what was compared. Only the rows that write
// are read, at most `parallel` at a time; each is compared again with what the read says.
import pLimit from 'p-limit'
import { readBackend, type OperationContext } from './context.js'
import { compareItem, compareOther, type PlanRow } from './desired-state.js'

/** The context of one backend of a step over the whole service. */
export function contextOf(ctx: OperationContext, backendId: string): OperationContext {
  return { ...ctx, target: { ...ctx.target, backendId, generatedId: false } }
}

/** The rows, those that would replace or delete read again with their ETags. */
export async function readRowsToWrite(
  ctx: OperationContext,
  rows: PlanRow[],
  prune: boolean,
  parallel: number
): Promise<PlanRow[]> {
  const limit = pLimit(parallel)
  return Promise.all(
    rows.map((row): PlanRow | Promise<PlanRow> =>
      row.result !== 'would-replace' && row.result !== 'would-delete'
        ? row
        : limit(async (): Promise<PlanRow> => {
            const now = await readBackend(contextOf(ctx, row.backendId))
            if (row.item) {
              const again = compareItem(row.item, now?.backend)
              return { ...again, etag: now?.etag }
            }
            // Deleted by someone else since the listing: nothing left to delete.
            if (!now) return { ...row, result: 'not-in-file', changes: [], current: undefined }
            return { ...compareOther(now.backend, prune), etag: now.etag }
          })
    )
  )
}
