// operation: plan — its part of the job summary: the counts, then a row per changed field of
// each backend that would change (secrets as ***, every value escaped by summary.ts), up to
// PLAN_ROWS rows.
import type { SummaryCell, SummaryPart } from '../shared/context.js'
import { shownValue } from '../shared/diff.js'
import { PLAN_RESULTS, type PlanRow } from './types.js'

export const PLAN_ROWS = 200

const WORDS: Record<(typeof PLAN_RESULTS)[number], string> = {
  'would-create': 'to create',
  'would-replace': 'to replace',
  'would-delete': 'to delete',
  unchanged: 'unchanged',
  'not-in-file': 'not in the file'
}

export function planSummary(
  rows: PlanRow[],
  prune: boolean
): { counts: string; parts: SummaryPart[] } {
  const counts =
    PLAN_RESULTS.map((r) => [rows.filter((row) => row.result === r).length, WORDS[r]] as const)
      .filter(([n]) => n > 0)
      .map(([n, words]) => `${n} ${words}`)
      .join(', ') || 'no backends in the file or the service'
  const table: SummaryCell[][] = []
  for (const row of rows) {
    if (row.result === 'unchanged' || row.result === 'not-in-file') continue
    if (row.changes.length === 0) table.push([{ code: row.backendId }, row.result, '–', '–'])
    for (const c of row.changes)
      table.push([
        { code: row.backendId },
        row.result,
        { code: c.path.replace(/^properties\./, '') },
        `${shownValue(c.old, c.secret)} → ${shownValue(c.new, c.secret)}`
      ])
  }
  const parts: SummaryPart[] = [{ row: 'Plan', value: counts }]
  if (!prune && rows.some((r) => r.result === 'not-in-file'))
    parts.push({ row: 'Not in the file', value: 'kept (prune: true would delete them)' })
  if (table.length > 0)
    parts.push({
      head: ['Backend id', 'Result', 'Field', 'Old → new'],
      rows: table.slice(0, PLAN_ROWS),
      note:
        table.length > PLAN_ROWS
          ? `… and ${table.length - PLAN_ROWS} more changes; the results output has every backend.`
          : undefined
    })
  return { counts, parts }
}
