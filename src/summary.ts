// Step 4b: the job summary, a small table a reviewer reads at a glance. Written even when the
// step fails. Free text passes through the secret redactor; ids are shown as they are (they hold
// no secret, and a short secret must not turn them into 'pro***iders'). Every value is escaped so
// that it cannot add headings, links, images or HTML, or end a table cell: the summary is one
// HTML block, which GitHub's Markdown ends at a blank line, so no value may carry a line break.
import { unicodeEscape } from './messages.js'
import { shownValue } from './operations/shared/diff.js'
import { redactUrl } from './secret-fields.js'
import type { Report } from './report.js'
import type { Secrets } from './secrets.js'
import { appendSummary } from './workflow.js'

export function renderSummary(report: Report, secrets: Secrets): string {
  const text = (v: string | undefined) => escapeHtml(secrets.redact(v ?? '–'))
  const id = (v: string | undefined) => escapeHtml(v ?? '–')
  const html: string[] = []
  html.push(
    `<h3>APIM backend ${text(report.operation ?? '')}: ${text(report.error ? 'failed' : (report.result ?? ''))}</h3>`
  )
  const rows: [string, string | undefined][] = [
    [
      'Operation',
      report.operation && `${report.operation}${report.whatIf ? ' (what-if: nothing written)' : ''}`
    ],
    ['Service', report.service],
    ['Backend id', report.backendId],
    ['URL', report.url && redactUrl(report.url)],
    ['Protocol', report.protocol],
    ['Result', report.error ? 'failed' : report.result],
    ['Reset at', report.resetAt],
    ...(report.parts ?? []).flatMap((p): [string, string][] =>
      'row' in p ? [[p.row, p.value]] : []
    )
  ]
  html.push(
    table(
      ['Field', 'Value'],
      rows
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [escapeHtml(k), k === 'Service' || k === 'Backend id' ? id(v) : text(v)])
    )
  )
  if (report.changes && report.changes.length > 0) {
    html.push(`<h4>${report.whatIf ? 'Would change' : 'Changed'}</h4>`)
    html.push(
      table(
        ['Field', 'Old', 'New'],
        report.changes.map((c) => [
          `<code>${id(c.path)}</code>`,
          text(shownValue(c.old, c.secret)),
          text(shownValue(c.new, c.secret)) + (c.secret ? ' (secret changed)' : '')
        ])
      )
    )
  } else if (report.changes && !report.error) {
    html.push('<p>No field changes.</p>')
  }
  for (const part of report.parts ?? []) {
    if ('heading' in part) html.push(`<h4>${text(part.heading)}</h4><p>${text(part.text)}</p>`)
    if ('head' in part) {
      html.push(
        table(
          part.head,
          part.rows.map((r) =>
            r.map((c) => (typeof c === 'string' ? text(c) : `<code>${id(c.code)}</code>`))
          )
        )
      )
      if (part.note) html.push(`<p>${text(part.note)}</p>`)
    }
  }
  if (report.items) {
    html.push(
      table(
        ['Backend id', 'Result', 'Reset at / error'],
        report.items.map((r) => [
          id(r['backend-id']),
          text(r.result),
          text(r.error ?? r['reset-at'] ?? '')
        ])
      )
    )
  }
  const writes = report.items ? [] : (report.writes ?? [])
  if (writes.length > 0) {
    const items = writes.map(
      (w) =>
        `<li>${escapeHtml(w.method)} ${text(w.path)} → ${w.status ?? 'no answer'}, x-ms-correlation-request-id <code>${text(w.correlationId)}</code></li>`
    )
    html.push(`<ul>${items.join('')}</ul>`)
  }
  if (report.error) html.push(`<pre lang="text"><code>${text(report.error)}</code></pre>`)
  const links = [
    report.portalLink &&
      `<a href="${escapeHtml(report.portalLink)}">Backends in the Azure portal</a>`,
    report.runLink && `<a href="${escapeHtml(report.runLink)}">Workflow run</a>`
  ].filter(Boolean)
  if (links.length > 0) html.push(`<p>${links.join(' · ')}</p>`)
  return html.join('\n')
}

export function writeSummary(report: Report, secrets: Secrets): void {
  appendSummary(renderSummary(report, secrets))
}

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')
  return `<table><tr>${th}</tr>${tr}</table>`
}

// Characters that would let a value add HTML (tags, entities, attributes), a Markdown link or
// image (brackets), a table cell (|) or a line break (and with it a blank line, after which
// GitHub reads Markdown again) are written as character references: shown, never obeyed.
const ENTITY = /[&<>"|[\]\r\n]/g
// Other control characters cannot be written as references; they are shown as \uXXXX.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029]/g

const REFERENCE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

function escapeHtml(s: string): string {
  return s
    .replace(CONTROL, (c) => unicodeEscape(c))
    .replace(ENTITY, (c) => REFERENCE[c] ?? `&#${c.charCodeAt(0)};`)
}
