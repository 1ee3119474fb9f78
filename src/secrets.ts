// Secret handling: every credential value is handed to workflow.setSecret (so the runner masks it)
// the moment it is known, and the same values are redacted from the free text this action
// writes itself: log and error lines (workflow.ts), the summary. Outputs are JSON and are
// redacted by place instead (secret-fields.ts), so their ids and structure stay intact.
import { unicodeEscape } from './messages.js'
import * as workflow from './workflow.js'

export const REDACTED = '***'

export class Secrets {
  private readonly values = new Set<string>()

  /** Register a secret and every encoding in which it could surface (see encodings). */
  add(value: string | undefined): void {
    // The runner refuses a blank mask ("Can't add secret mask for empty string"), and a blank
    // value can hide nothing.
    if (value === undefined || value.trim() === '') return
    for (const form of encodings(value)) {
      if (this.values.has(form)) continue
      this.values.add(form)
      workflow.setSecret(form)
    }
  }

  /** Replace every registered secret (longest first, so one cannot hide inside another). */
  redact(text: string): string {
    const ordered = [...this.values].sort((a, b) => b.length - a.length)
    let out = text
    for (const value of ordered) out = out.split(value).join(REDACTED)
    return out
  }
}

/**
 * The forms in which a value can surface in text a reader meets: as is, URL-encoded (as a path or
 * query writes it, and as a form writes spaces), base64, JSON-escaped, and JSON-escaped as .NET
 * serializers write it inside ARM bodies: & < > ' + (and, for System.Text.Json, " and every
 * non-ASCII character) as \uXXXX, in lower-case hex (Newtonsoft) or upper-case (System.Text.Json)
 * (docs/backend-contract.md, "Real traffic"). Bodies the action logs are parsed and written again in
 * one form first (azure/client.ts); these forms cover text that is not JSON.
 */
function encodings(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1)
  const forms = [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    Buffer.from(value, 'utf8').toString('base64'),
    json
  ]
  for (const upper of [false, true]) {
    const hex = (c: string) => unicodeEscape(c, upper)
    forms.push(json.replace(/[&<>'+]/g, hex))
    forms.push(json.replace(/\\"|[&<>'+]|[^\u0000-\u007e]/g, (c) => hex(c === '\\"' ? '"' : c)))
  }
  return [...new Set(forms)].filter((f) => f.length > 0)
}
