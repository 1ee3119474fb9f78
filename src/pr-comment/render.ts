// The pull-request comment's body: GitHub-flavoured Markdown made from what the job summary shows
// (the report, with the operation's SummaryParts: the plan's counts and its table of changed
// fields, old → new, secrets as ***), a link to the run, and the hidden marker that finds the
// comment again. Like summary.ts, free text passes through the secret redactor and ids are shown
// as they are; unlike the summary (one HTML block), a comment is Markdown, so values are escaped
// for Markdown and for what GitHub does to a comment's text after it:
// - every ASCII punctuation character of a value is a numeric character reference (`&#42;`): a
//   reference is always literal text, so no emphasis, link, image, heading, HTML tag, table cell
//   (`|`), backslash escape or autolink (GFM's extension starts one at a literal `:`, `www.` or
//   `@`) can come from a value;
// - `@` and `#` are followed by a zero-width space (U+200B): GitHub links @mentions and #123
//   references in the rendered text, after references are decoded, so only a character between
//   them stops the mention (and its notification);
// - line breaks and other control characters are shown as \uXXXX, so a value stays in its cell;
// - ids are code spans, fenced with more backticks than the id holds (a backtick in an id
//   cannot end its span), `|` escaped as GFM asks inside a table.
// The body stays within GitHub's 65,536 characters: each value is cut to VALUE_CHARS, and rows
// that do not fit are left out with a note and the run's link.
import { unicodeEscape } from '../messages.js'
import type { SummaryCell } from '../operations/shared/context.js'
import { shownValue } from '../operations/shared/diff.js'
import type { Report } from '../report.js'
import { redactUrl } from '../secret-fields.js'
import type { Secrets } from '../secrets.js'

/** The most characters GitHub takes in a comment's body (docs/runner.md). */
export const BODY_LIMIT = 65_536
/** The longest value shown in a cell, in characters, before escaping. */
export const VALUE_CHARS = 300

const ZWSP = '&#8203;'
// ASCII punctuation (CommonMark's definition) and the characters GitHub reads after rendering.
const PUNCTUATION = /[!-/:-@[-`{-~]/g
// Controls, and the invisible characters that reorder or hide text (bidi overrides, zero-width).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/** A value cut to `max` characters (whole code points), with … when cut. */
export function cut(value: string, max = VALUE_CHARS): string {
  const chars = [...value]
  return chars.length <= max ? value : `${chars.slice(0, max).join('')}…`
}

/** A value as inert Markdown text: shown exactly, obeyed never (see the top of this file). */
export function escapeMarkdown(value: string): string {
  return value
    .replace(INVISIBLE, (c) => unicodeEscape(c))
    .replace(PUNCTUATION, (c) => {
      const ref = `&#${c.charCodeAt(0)};`
      return c === '@' || c === '#' ? ref + ZWSP : ref
    })
}

/**
 * An id as a code span: Markdown, HTML, mentions and autolinks are not read inside one. Its fence
 * is one backtick longer than the longest run in the id, padded with a space each side (which
 * CommonMark strips), so a backtick at either end is kept. In a table, `|` is written `\|`, as
 * GFM asks even inside a code span; line breaks and controls as \uXXXX.
 */
export function codeSpan(value: string, inTable = true): string {
  let text = value.replace(INVISIBLE, (c) => unicodeEscape(c))
  if (inTable) text = text.replace(/\|/g, '\\|')
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  return `${fence} ${text} ${fence}`
}

/** A URL we made (the run's link), as a Markdown link destination: nothing in it can end it. */
function linkTarget(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'*+,;=%]/g, (c) =>
    [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
  )
}

/** The comment's body for a step's report, headed by its marker, within BODY_LIMIT. */
export function renderComment(report: Report, secrets: Secrets, marker: string): string {
  const text = (v: string | undefined) => escapeMarkdown(cut(secrets.redact(v ?? '–')))
  const id = (v: string) => codeSpan(cut(v))
  const cell = (c: SummaryCell) => (typeof c === 'string' ? text(c) : id(c.code))

  const head: string[] = [marker]
  const what = `${report.operation ?? ''}${report.whatIf ? ' (what-if: nothing written)' : ''}`
  head.push(`### APIM backend ${text(what)} — ${text(report.service)}`)
  head.push('')
  const rows: [string, string][] = []
  if (report.backendId) rows.push(['Backend id', id(report.backendId)])
  if (report.url) rows.push(['URL', text(redactUrl(report.url))])
  if (report.result) rows.push(['Result', text(report.result)])
  for (const part of report.parts ?? [])
    if ('row' in part) rows.push([escapeMarkdown(part.row), text(part.value)])
  for (const [label, value] of rows) head.push(`- **${label}:** ${value}`)

  // The tables, row by row: what may be cut to fit.
  const blocks: { lines: string[]; rows: string[]; note?: string }[] = []
  const table = (columns: string[], body: string[][], note?: string) =>
    blocks.push({
      lines: [
        '',
        `| ${columns.map(escapeMarkdown).join(' | ')} |`,
        `| ${columns.map(() => '---').join(' | ')} |`
      ],
      rows: body.map((r) => `| ${r.join(' | ')} |`),
      note: note && text(note)
    })
  if (report.changes && report.changes.length > 0 && report.backendId) {
    const backendId = report.backendId
    table(
      ['Backend id', 'Result', 'Field', 'Old → new'],
      report.changes.map((c) => [
        id(backendId),
        text(report.result),
        id(c.path.replace(/^properties\./, '')),
        `${text(shownValue(c.old, c.secret))} → ${text(shownValue(c.new, c.secret))}`
      ])
    )
  } else if (report.changes && report.changes.length === 0 && !report.error) {
    head.push('', 'No field changes.')
  }
  for (const part of report.parts ?? [])
    if ('head' in part)
      table(
        part.head,
        part.rows.map((r) => r.map(cell)),
        part.note
      )
    else if ('heading' in part) head.push('', `**${text(part.heading)}** ${text(part.text)}`)
  if (report.items) {
    // A row per changed field of each backend (what-if: would change), else one row for it.
    const itemRows = report.items.flatMap((r) =>
      r.changes?.length
        ? r.changes.map((c) => [
            id(r['backend-id']),
            text(r.result),
            id(c.path.replace(/^properties\./, '')),
            `${text(shownValue(c.old, c.secret))} → ${text(shownValue(c.new, c.secret))}`
          ])
        : [[id(r['backend-id']), text(r.result), '–', text(r.error ?? r['reset-at'] ?? '')]]
    )
    table(['Backend id', 'Result', 'Field', 'Old → new / reset at / error'], itemRows)
  }

  const link = report.runLink ? `[Workflow run](${linkTarget(report.runLink)})` : undefined
  const foot = ['', link ?? 'The job summary of this run has every detail.']
  return fit(head, blocks, foot, link)
}

/** Everything, or as many table rows as fit, then a note saying how many were left out. */
function fit(
  head: string[],
  blocks: { lines: string[]; rows: string[]; note?: string }[],
  foot: string[],
  link: string | undefined
): string {
  const whole = [
    ...head,
    ...blocks.flatMap((b) => [...b.lines, ...b.rows, ...(b.note ? ['', b.note] : [])]),
    ...foot
  ].join('\n')
  if (whole.length <= BODY_LIMIT) return whole
  const total = blocks.reduce((n, b) => n + b.rows.length, 0)
  const cutNote = (left: number) =>
    `**Cut to fit GitHub's ${BODY_LIMIT.toLocaleString('en-US')}-character limit:** ${left} more rows are not shown; ${link ? `the ${link} has` : 'the job summary and the results output have'} every change.`
  // Room for the note with the largest count, the foot and the line breaks between them.
  const reserve = cutNote(total).length + foot.join('\n').length + 4
  const out = [...head]
  let size = out.join('\n').length
  let shown = 0
  for (const block of blocks) {
    const start = block.lines.join('\n').length + 1
    if (size + start + reserve > BODY_LIMIT) break
    out.push(...block.lines)
    size += start
    let complete = true
    for (const row of block.rows) {
      if (size + row.length + 1 + reserve > BODY_LIMIT) {
        complete = false
        break
      }
      out.push(row)
      size += row.length + 1
      shown++
    }
    if (!complete) break
  }
  return [...out, '', cutNote(total - shown), ...foot].join('\n')
}
