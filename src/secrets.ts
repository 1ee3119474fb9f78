// Secret handling: every credential value is handed to workflow.setSecret (so the runner masks it)
// the moment it is known, and the same values are redacted from the free text this action
// writes itself: log and error lines (workflow.ts), the summary. Outputs are JSON and are
// redacted by place instead (secret-fields.ts), so their ids and structure stay intact.
import { unicodeEscape } from './messages.js'
import { StringSet } from './string-set.js'
import * as workflow from './workflow.js'

export const REDACTED = '***'

export class Secrets {
  /** The values added, so one read back again (each page of a list is) costs a lookup. */
  private readonly values = new Set<string>()
  /** Every form registered. */
  private readonly known = new Set<string>()
  private readonly matcher = new StringSet()

  /** Register a secret and every encoding in which it could surface (see encodings). */
  add(value: string | undefined): void {
    this.addAll([value])
  }

  /**
   * Register many secrets, as add does each, with one write to the runner: a page of backends
   * read back can hold tens of thousands.
   */
  addAll(values: Iterable<string | undefined>): void {
    const masks: string[] = []
    for (const value of values) {
      // The runner refuses a blank mask ("Can't add secret mask for empty string"), and a blank
      // value can hide nothing.
      if (value === undefined || this.values.has(value) || value.trim() === '') continue
      this.values.add(value)
      for (const form of encodings(value)) {
        if (this.known.has(form)) continue
        this.known.add(form)
        this.matcher.add(form)
        masks.push(form)
      }
    }
    if (masks.length > 0) workflow.setSecret(...masks)
  }

  /**
   * Replace every registered secret by ***, in one pass over the text (string-set.ts); where
   * secrets overlap, the text they cover together.
   */
  redact(text: string): string {
    return this.matcher.replace(text, REDACTED)
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
