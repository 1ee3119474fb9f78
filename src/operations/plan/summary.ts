// operation: plan — its part of the job summary: the counts, then a row per changed field of
// each backend that would change.
import type { SummaryPart } from '../shared/context.js'
import { writes, type PlanItemResult, type PlanRow } from '../shared/desired-state.js'
import { changesTable, countsOf } from '../shared/state-summary.js'

const WORDS: Record<PlanItemResult, string> = {
  'would-create': 'to create',
  'would-replace': 'to replace',
  unchanged: 'unchanged',
  'would-delete': 'to delete',
  'not-in-file': 'not in the file'
}

export function planSummary(
  rows: PlanRow[],
  prune: boolean
): { counts: string; parts: SummaryPart[] } {
  const counts = countsOf(rows, WORDS)
  const parts: SummaryPart[] = [{ row: 'Plan', value: counts }]
  if (!prune && rows.some((r) => r.result === 'not-in-file'))
    parts.push({ row: 'Not in the file', value: 'kept (prune: true would delete them)' })
  const table = changesTable(rows, writes)
  if (table) parts.push(table)
  return { counts, parts }
}
