// operation: apply — its part of the job summary: the counts, then a row per changed field of
// each backend written, and each failure with its reason.
import type { SummaryPart } from '../shared/context.js'
import { changesTable, countsOf } from '../shared/state-summary.js'
import type { ApplyItemResult, ApplyRow } from './types.js'

const WORDS: Record<ApplyItemResult, string> = {
  created: 'created',
  replaced: 'replaced',
  deleted: 'deleted',
  unchanged: 'unchanged',
  'not-in-file': 'not in the file',
  failed: 'failed'
}

export function applySummary(
  rows: ApplyRow[],
  prune: boolean,
  planFile: string | undefined
): { counts: string; parts: SummaryPart[] } {
  const counts = countsOf(rows, WORDS)
  const parts: SummaryPart[] = [{ row: 'Applied', value: counts }]
  if (planFile) parts.push({ row: 'Saved plan', value: `${planFile} (applied as reviewed)` })
  if (!prune && rows.some((r) => r.result === 'not-in-file'))
    parts.push({ row: 'Not in the file', value: 'kept (prune: true deletes them)' })
  // A failure shows its reason in place of its changes.
  const table = changesTable(
    rows.map((r) => (r.result === 'failed' ? { ...r, changes: [] } : r)),
    (result) => result !== 'unchanged' && result !== 'not-in-file'
  )
  if (table) parts.push(table)
  return { counts, parts }
}
