// Secret handling: every credential value is handed to workflow.setSecret (so the runner masks it)
// the moment it is known, and the same values are redacted from the free text this action
// writes itself: log and error lines (workflow.ts), the summary. Outputs are JSON and are
// redacted by place instead (secret-fields.ts), so their ids and structure stay intact.
import { unicodeEscape } from './messages.js'
import { StringSet } from './string-set.js'
import * as workflow from './workflow.js'

export const REDACTED = '***'

/**
 * The fewest characters a secret must have (leading and trailing spaces aside) to be registered.
 * A mask of one to three characters ('e', '::', '1') makes the runner blank those characters in
 * every later line of the job's log, and protects nothing: so few characters are found by trying
 * them all (google-github-actions/get-secretmanager-secrets masks nothing shorter than 4 by default,
 * "to prevent extremely short secrets from making GitHub Actions output unreadable").
 *
 * Such a value is neither handed to the runner nor searched for in this action's text; it stays
 * redacted by place: in the outputs and the summary's tables (secret-fields.ts, diff.ts). None of
 * its encodings is registered either, however long: base64 'ZQ==' or '%3A%3A' is as quickly
 * found from the 1 to 3 characters it encodes, so masking it would blank text and hide nothing.
 */
export const MIN_SECRET_LENGTH = 4

/** Whether a value is too short to register (MIN_SECRET_LENGTH). */
export const tooShort = (value: string): boolean => [...value.trim()].length < MIN_SECRET_LENGTH

export class Secrets {
  /** The values added, so one read back again (each page of a list is) costs a lookup. */
  private readonly values = new Set<string>()
  /** Every form registered. */
  private readonly known = new Set<string>()
  private readonly matcher = new StringSet()
  private toldShort = false

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
    let short = false
    for (const value of values) {
      // The runner refuses a blank mask ("Can't add secret mask for empty string"), and a blank
      // value can hide nothing.
      if (value === undefined || this.values.has(value) || value.trim() === '') continue
      this.values.add(value)
      if (tooShort(value)) {
        short = true
        continue
      }
      for (const form of encodings(value)) this.register(form, masks)
    }
    if (masks.length > 0) workflow.setSecret(...masks)
    if (short && !this.toldShort) {
      this.toldShort = true
      workflow.info(
        `A secret of fewer than ${MIN_SECRET_LENGTH} characters was not registered with the runner's mask (it would blank those characters in every line of the log); it is shown as *** in the outputs and the summary's tables, not searched for in other text.`
      )
    }
  }

  /**
   * Search for a form from now on, and hand it to the runner. The runner splits a mask at its line
   * breaks and masks each line as well (actions/runner#1521), so a form with line breaks is handed
   * over as its lines, each that is not too short (a line 'a' would blank every a); a log line
   * never holds a line break, so the lines are what the runner can find.
   */
  private register(form: string, masks: string[]): void {
    if (this.known.has(form)) return
    this.known.add(form)
    this.matcher.add(form)
    if (!/[\r\n]/.test(form)) masks.push(form)
    else
      for (const line of form.split(/\r\n|\r|\n/)) if (!tooShort(line)) this.register(line, masks)
  }

  /** Replace every registered secret by ***, in one pass over the text (string-set.ts). */
  redact(text: string): string {
    return this.matcher.replace(text, REDACTED)
  }
}

/**
 * The forms in which a value can surface in text a reader meets (an Azure error, a page a proxy
 * or gateway answers, a line an input holds):
 * - as is, and base64 (RFC 7617 Basic credentials; user:password pairs are registered as values
 *   of their own, secret-fields.ts);
 * - URL-encoded as a path or query writes it and as a form writes spaces (+), with upper- or
 *   lower-case hex digits (RFC 3986 §2.1 makes them equivalent, and writers differ), and each of
 *   these encoded once more, as a URL inside a query parameter is;
 * - JSON-escaped, and JSON-escaped as .NET serializers write it inside ARM bodies: & < > ' + (and,
 *   for System.Text.Json, " and every non-ASCII character) as \uXXXX, in lower-case hex
 *   (Newtonsoft) or upper-case (System.Text.Json) (docs/backend-contract.md, "Real traffic");
 *   bodies the action logs are parsed and written again in one form first (azure/client.ts);
 * - HTML-escaped, as an HTML error page or a Markdown renderer writes text (htmlEncodings).
 */
function encodings(value: string): string[] {
  // Letters, digits and - _ . * are written as they are by every encoding below but base64: the
  // usual key or token costs two forms, not a dozen computed to be equal.
  if (/^[\w.*-]*$/.test(value)) return [value, Buffer.from(value, 'utf8').toString('base64')]
  const json = JSON.stringify(value).slice(1, -1)
  const forms = [value, Buffer.from(value, 'utf8').toString('base64'), json]
  for (const url of urlEncodings(value))
    for (const once of [url, lowerHex(url)]) forms.push(once, encodeURIComponent(once))
  for (const upper of [false, true]) {
    const hex = (c: string) => unicodeEscape(c, upper)
    forms.push(json.replace(/[&<>'+]/g, hex))
    forms.push(json.replace(/\\"|[&<>'+]|[^\u0000-\u007e]/g, (c) => hex(c === '\\"' ? '"' : c)))
  }
  forms.push(...htmlEncodings(value))
  return [...new Set(forms)].filter((f) => f.length > 0)
}

function urlEncodings(value: string): string[] {
  const form = new URLSearchParams({ v: value }).toString().slice(2)
  try {
    return [encodeURIComponent(value), form]
  } catch {
    // A lone surrogate has no UTF-8, so no percent-encoding; a form writes it as U+FFFD.
    return [form]
  }
}

const lowerHex = (encoded: string) => encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())

/**
 * The value HTML-escaped: & < > always as &amp; &lt; &gt;, quotes as each escaper writes them
 * (" as &quot; in most, &#34; in Go's html.EscapeString, &#x22; in hex; ' as &#39; in most,
 * &#x27; in Python's html.escape, &apos; in XML) or left alone, as text outside an attribute is.
 */
function htmlEncodings(value: string): string[] {
  if (!/[&<>"']/.test(value)) return []
  const base = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const forms: string[] = []
  for (const quot of ['"', '&quot;', '&#34;', '&#x22;'])
    for (const apos of ["'", '&#39;', '&#x27;', '&apos;'])
      forms.push(base.replace(/"/g, quot).replace(/'/g, apos))
  return forms
}
