// Step 4b: the job summary, a small table a reviewer reads at a glance. Written even when the
// step fails; everything in it passes through the secret redactor and is HTML-escaped.
import type { Report } from './report.js'
import type { Secrets } from './secrets.js'
import { appendSummary } from './workflow.js'

export function renderSummary(report: Report, secrets: Secrets): string {
  const text = (v: string | undefined) => escapeHtml(secrets.redact(v ?? '–'))
  const html: string[] = []
  html.push(
    `<h3>APIM backend ${text(report.operation ?? '')}: ${text(report.error ? 'failed' : (report.result ?? ''))}</h3>`
  )
  const rows: [string, string | undefined][] = [
    ['Operation', report.operation],
    ['Service', report.service],
    ['Backend id', report.backendId],
    ['URL', report.url],
    ['Protocol', report.protocol],
    ['Result', report.error ? 'failed' : report.result],
    ['Reset at', report.resetAt]
  ]
  html.push(
    table(
      ['Field', 'Value'],
      rows.filter(([, v]) => v !== undefined).map(([k, v]) => [escapeHtml(k), text(v)])
    )
  )
  if (report.items) {
    html.push(
      table(
        ['Backend id', 'Result', 'Reset at / error'],
        report.items.map((r) => [
          text(r['backend-id']),
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
  if (report.runLink) html.push(`<a href="${escapeHtml(report.runLink)}">Workflow run</a>`)
  return html.join('\n')
}

export async function writeSummary(report: Report, secrets: Secrets): Promise<void> {
  appendSummary(renderSummary(report, secrets))
}

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')
  return `<table><tr>${th}</tr>${tr}</table>`
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
