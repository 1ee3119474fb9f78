// Step 4b: the job summary, a small table a reviewer reads at a glance. Everything in it passes
// through the secret redactor.
import * as core from '@actions/core'
import type { Report } from './report.js'
import type { Secrets } from './secrets.js'

export async function writeSummary(report: Report, secrets: Secrets): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const cell = (v: string | undefined) => escapeHtml(secrets.redact(v ?? '–'))
  const rows: [string, string | undefined][] = [
    ['Operation', report.operation],
    ['Service', report.service],
    ['Backend id', report.backendId],
    ['URL', report.url],
    ['Protocol', report.protocol],
    ['Result', report.error ? 'failed' : report.result],
    ['Reset at', report.resetAt]
  ]
  const summary = core.summary
    .addHeading(
      `APIM backend ${report.operation ?? ''}: ${report.error ? 'failed' : (report.result ?? '')}`,
      3
    )
    .addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true }
      ],
      ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => [k, cell(v)])
    ])
  if (report.items) {
    summary.addTable([
      [
        { data: 'Backend id', header: true },
        { data: 'Result', header: true },
        { data: 'Reset at / error', header: true }
      ],
      ...report.items.map((r) => [
        cell(r['backend-id']),
        cell(r.result),
        cell(r.error ?? r['reset-at'] ?? '')
      ])
    ])
  }
  const writes = report.items ? [] : (report.writes ?? [])
  if (writes.length > 0) {
    summary.addList(
      writes.map(
        (w) =>
          `${w.method} ${cell(w.path)} → ${w.status ?? 'no answer'}, x-ms-correlation-request-id <code>${cell(w.correlationId)}</code>`
      )
    )
  }
  if (report.error) summary.addCodeBlock(secrets.redact(report.error), 'text')
  if (report.runLink) summary.addLink('Workflow run', report.runLink)
  await summary.write()
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
