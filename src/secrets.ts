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
  /** Every form searched for. */
  private readonly known = new Set<string>()
  /** Every form handed to the runner's mask (runnerForms). */
  private readonly masked = new Set<string>()
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
      const toRunner = new Set(runnerForms(value))
      for (const form of encodings(value))
        this.register(form, toRunner.has(form) ? masks : undefined)
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
   * Search for a form from now on, and (with `masks`) hand it to the runner. The runner splits a
   * mask at its line breaks and masks each line as well (actions/runner#1521), so a form with line
   * breaks is handed over as its lines, each that is not too short (a line 'a' would blank every
   * a); a log line never holds a line break, so the lines are what the runner can find.
   */
  private register(form: string, masks: string[] | undefined): void {
    if (!this.known.has(form)) {
      this.known.add(form)
      this.matcher.add(foldEscapes(form))
    }
    if (!masks || this.masked.has(form)) return
    this.masked.add(form)
    if (!/[\r\n]/.test(form)) masks.push(form)
    else
      for (const line of form.split(/\r\n|\r|\n/)) if (!tooShort(line)) this.register(line, masks)
  }

  /** Replace every registered secret by ***, in one pass over the text (string-set.ts). */
  redact(text: string): string {
    return this.matcher.replace(text, REDACTED, foldEscapes(text))
  }
}

/**
 * A text with the hex digits of its %-escapes in upper case (same length, so a range found in it
 * is the same range of the text): RFC 3986 §2.1 makes %2b and %2B the same, and writers mix them
 * (%2b%2F), which no list of forms can cover. Secrets and texts are searched in this form.
 */
const foldEscapes = (text: string) =>
  text.includes('%') ? text.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase()) : text

/**
 * The forms handed to the runner's mask as well: the value, its base64 and its URL encodings —
 * what another program in the job most likely prints. The action's own lines are searched for
 * every form (encodings); handing the runner all of them too made a list of 240 backends with
 * 190 header values each write 80 MB of ::add-mask:: lines, which took the step past its
 * timeout-seconds while they drained.
 */
function runnerForms(value: string): string[] {
  const forms = [value, Buffer.from(value, 'utf8').toString('base64')]
  try {
    forms.push(encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2))
  } catch {
    // A lone surrogate has no percent-encoding.
  }
  return forms
}

/**
 * The forms in which a value can surface in text a reader meets (an Azure error, a page a proxy
 * or gateway answers, a line an input holds):
 * - as is, and base64 (RFC 7617 Basic credentials; user:password pairs are registered as values
 *   of their own, secret-fields.ts);
 * - URL-encoded as writers differ (urlEncodings), and each of these encoded once more, as a URL
 *   inside a query parameter is (lower-case escapes are found by foldEscapes);
 * - JSON-escaped, and JSON-escaped as .NET serializers write it inside ARM bodies: & < > ' + (and,
 *   for System.Text.Json, " and every non-ASCII character) as \uXXXX, in lower-case hex
 *   (Newtonsoft) or upper-case (System.Text.Json) (docs/backend-contract.md, "Real traffic");
 *   bodies the action logs are parsed and written again in one form first (azure/client.ts);
 * - HTML-escaped, as an HTML error page or a Markdown renderer writes text (htmlEncodings).
 * The runner is handed fewer of them (runnerForms).
 */
function encodings(value: string): string[] {
  // Letters, digits and - _ . * are written as they are by every encoding below but base64: the
  // usual key or token costs two forms, not a dozen computed to be equal.
  if (/^[\w.*-]*$/.test(value)) return [...new Set([value, ...base64Forms(value)])]
  const json = JSON.stringify(value).slice(1, -1)
  const forms = [value, ...base64Forms(value), json, json.replace(/\//g, '\\/')]
  for (const url of urlEncodings(value))
    // Lower-case escapes are found by folding (foldEscapes); escaped once more they are not.
    forms.push(url, encodeURIComponent(url), encodeURIComponent(lowerHex(url)))
  for (const upper of [false, true]) {
    const hex = (c: string) => unicodeEscape(c, upper)
    forms.push(json.replace(/[&<>'+]/g, hex))
    forms.push(json.replace(/\\"|[&<>'+]|[^\u0000-\u007e]/g, (c) => hex(c === '\\"' ? '"' : c)))
  }
  forms.push(...htmlEncodings(value))
  return [...new Set(forms)].filter((f) => f.length > 0)
}

/** Base64 as RFC 4648 writes it: padded, unpadded (JWT), and URL-safe (- and _, unpadded). */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8')
  const padded = bytes.toString('base64')
  return [padded, padded.replace(/=+$/, ''), bytes.toString('base64url')]
}

/**
 * Percent-encodings as writers differ: JavaScript's encodeURIComponent, a form's (spaces as +),
 * RFC 3986's unreserved set alone (.NET Uri.EscapeDataString also escapes ! ' ( ) *), and that
 * with '/' kept (Python's urllib.parse.quote).
 */
function urlEncodings(value: string): string[] {
  const form = new URLSearchParams({ v: value }).toString().slice(2)
  try {
    const js = encodeURIComponent(value)
    const rfc3986 = js.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    return [js, form, rfc3986, rfc3986.replace(/%2F/g, '/')]
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
  const forms: string[] = []
  if (/[&<>"']/.test(value)) {
    const base = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    // Every pairing: a text may pass through two escapers.
    for (const quot of ['"', '&quot;', '&#34;', '&#x22;'])
      for (const apos of ["'", '&#39;', '&#x27;', '&apos;'])
        forms.push(base.replace(/"/g, quot).replace(/'/g, apos))
  }
  // Encoders that write more as numeric references. .NET's HtmlEncoder.Default: & < > " as named
  // ones, ' + ` and every non-ASCII character in hex (&#x27; &#x2B; &#x60; &#xE9;). Go's
  // html/template: & < > as named ones, " ' + in decimal (&#34; &#39; &#43;).
  if (/[&<>"'+`]|[^\u0000-\u007f]/.test(value)) {
    const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }
    forms.push(
      value.replace(/[&<>"'+`]|[^\u0000-\u007f]/gu, (c) =>
        c === '"' ? '&quot;' : (named[c] ?? `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`)
      ),
      value.replace(/[&<>"'+]/g, (c) => named[c] ?? `&#${c.charCodeAt(0)};`)
    )
  }
  return forms
}
