// The pull-request comment's body: Markdown escaping, code spans, the marker and the size cap.
import { describe, expect, it } from '@jest/globals'
import { encode, markerOf } from '../../src/pr-comment/marker.js'
import {
  BODY_LIMIT,
  codeSpan,
  cut,
  escapeMarkdown,
  renderComment,
  VALUE_CHARS
} from '../../src/pr-comment/render.js'
import type { Report } from '../../src/report.js'
import { Secrets } from '../../src/secrets.js'

const MARKER = markerOf({ operation: 'plan', service: '/subscriptions/s/x', file: 'a.yml' })

describe('escapeMarkdown', () => {
  it('leaves letters, digits and spaces, and writes every ASCII punctuation as a reference', () => {
    const hostile = '@octocat <img src=x> **bold** | pipe `tick` --> [x](y) #1 \\ _u_ ~s~'
    const escaped = escapeMarkdown(hostile)
    expect(escaped.replace(/&#\d+;/g, '')).toMatch(/^[A-Za-z0-9 ]+$/)
    expect(escaped).toContain('&#64;&#8203;octocat')
    expect(escaped).toContain('&#35;&#8203;1')
  })

  it('shows line breaks, controls and bidi overrides as \\uXXXX, so a value keeps its line', () => {
    expect(escapeMarkdown('a\nb\r\u202ec\u200bd')).toBe(
      'a&#92;u000ab&#92;u000d&#92;u202ec&#92;u200bd'
    )
  })

  it('cuts a long value at whole code points', () => {
    expect(cut('x'.repeat(VALUE_CHARS + 5))).toBe(`${'x'.repeat(VALUE_CHARS)}…`)
    expect(cut('😀'.repeat(VALUE_CHARS + 1))).toBe(`${'😀'.repeat(VALUE_CHARS)}…`)
  })
})

describe('codeSpan', () => {
  it('fences with more backticks than the value holds, and escapes | in a table', () => {
    expect(codeSpan('orders')).toBe('` orders `')
    expect(codeSpan('a`b')).toBe('`` a`b ``')
    expect(codeSpan('``x`')).toBe('``` ``x` ```')
    expect(codeSpan('a|b')).toBe('` a\\|b `')
    expect(codeSpan('a|b', false)).toBe('` a|b `')
    expect(codeSpan('a\nb')).toBe('` a\\u000ab `')
  })
})

describe('markerOf', () => {
  it('percent-encodes everything but letters, digits and -._~/, so --> cannot form', () => {
    expect(encode('a-->b c%')).toBe('a--%3Eb%20c%25')
    const marker = markerOf({
      operation: 'Plan',
      service: '/subscriptions/S/resourceGroups/RG',
      file: 'x-->\n<y>.yml'
    })
    expect(marker).toBe(
      '<!-- apim-backend-action plan /subscriptions/s/resourcegroups/rg file=x--%3E%0A%3Cy%3E.yml -->'
    )
    expect(marker.split('-->').length).toBe(2)
  })

  it('one per backend for a single what-if, ids case-folded as ARM does', () => {
    expect(markerOf({ operation: 'create', service: '/S', backendId: 'Orders' })).toBe(
      '<!-- apim-backend-action create /s backend=orders -->'
    )
  })
})

describe('renderComment', () => {
  const report = (rows: number, value: string): Report => ({
    operation: 'plan',
    service: 'apim (rg)',
    result: 'planned',
    runLink: 'https://github.com/o/r/actions/runs/1',
    parts: [
      { row: 'Plan', value: `${rows} to create` },
      {
        head: ['Backend id', 'Result', 'Field', 'Old → new'],
        rows: Array.from({ length: rows }, (_, i) => [
          { code: `b${i}` },
          'would-create',
          { code: 'url' },
          `(none) → ${value}`
        ])
      }
    ]
  })

  it('starts with the marker and shows the rows, the counts and the run link', () => {
    const body = renderComment(report(2, 'https://x'), new Secrets(), MARKER)
    expect(body.startsWith(`${MARKER}\n### APIM backend plan`)).toBe(true)
    expect(body).toContain('- **Plan:** 2 to create')
    expect(body).toContain('| ` b1 ` | would&#45;create | ` url ` |')
    expect(body.endsWith('[Workflow run](https://github.com/o/r/actions/runs/1)')).toBe(true)
  })

  it('redacts secrets from text cells', () => {
    const secrets = new Secrets()
    secrets.add('s3cr3t-value')
    const body = renderComment(report(1, 'token s3cr3t-value'), secrets, MARKER)
    expect(body).not.toContain('s3cr3t')
  })

  it('stays within 65,536 characters, cutting rows with a note and the link', () => {
    const body = renderComment(report(5000, '!'.repeat(1000)), new Secrets(), MARKER)
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT)
    expect(body).toMatch(/\*\*Cut to fit GitHub's 65,536-character limit:\*\* \d+ more rows/)
    expect(body).toContain('[Workflow run](https://github.com/o/r/actions/runs/1) has every change')
    // Whole rows only: the last table row is complete.
    const rows = body.split('\n').filter((l) => l.startsWith('| ` b'))
    expect(rows.at(-1)).toMatch(/ \|$/)
  })

  it('without a run link, the note points to the summary and the results output', () => {
    const r = { ...report(5000, '!'.repeat(1000)), runLink: undefined }
    const body = renderComment(r, new Secrets(), MARKER)
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT)
    expect(body).toContain('the job summary and the results output have every change')
  })
})
