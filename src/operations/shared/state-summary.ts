// The job summary of an operation over a backends file (plan, apply): the counts by result, and a
// row per changed field of each backend written or to be written (secrets as ***, every value
// escaped by summary.ts), up to STATE_ROWS rows.
import type { SummaryCell, SummaryPart } from './context.js'
import type { Change } from './diff.js'
import { shownValue } from './diff.js'

export const STATE_ROWS = 200

/** "1 to create, 2 unchanged": each result with its count, in the order of `words`. */
export function countsOf<R extends string>(
  rows: readonly { result: R }[],
  words: Record<R, string>
): string {
  return (
    (Object.entries(words) as [R, string][])
      .map(([r, w]) => [rows.filter((row) => row.result === r).length, w] as const)
      .filter(([n]) => n > 0)
      .map(([n, w]) => `${n} ${w}`)
      .join(', ') || 'no backends in the file or the service'
  )
}

/** The table of changed fields of the rows `shown` keeps, and a note when it was cut. */
export function changesTable<R extends string>(
  rows: readonly { backendId: string; result: R; changes: Change[]; error?: string }[],
  shown: (result: R) => boolean,
  outputName = 'results'
): SummaryPart | undefined {
  const table: SummaryCell[][] = []
  for (const row of rows) {
    if (!shown(row.result)) continue
    if (row.changes.length === 0)
      table.push([{ code: row.backendId }, row.result, '–', row.error ?? '–'])
    for (const c of row.changes)
      table.push([
        { code: row.backendId },
        row.result,
        { code: c.path.replace(/^properties\./, '') },
        `${shownValue(c.old, c.secret)} → ${shownValue(c.new, c.secret)}`
      ])
  }
  if (table.length === 0) return undefined
  return {
    head: ['Backend id', 'Result', 'Field', 'Old → new'],
    rows: table.slice(0, STATE_ROWS),
    note:
      table.length > STATE_ROWS
        ? `… and ${table.length - STATE_ROWS} more rows; the ${outputName} output has every backend.`
        : undefined
  }
}
