// Plain-text tables: first column left-aligned, the others right-aligned unless told otherwise.

export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftColumns: readonly number[] = [0]
): string {
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)))
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c] - [...cell].length)
        return leftColumns.includes(c) ? cell + pad : pad + cell
      })
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '─'.repeat(w)).join('  ')
  return [line(header), rule, ...rows.map(line)].join('\n')
}

export const check = (ok: boolean): string => (ok ? '✓' : '✗')
