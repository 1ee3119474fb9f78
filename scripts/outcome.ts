// What a run of the action leaves behind, read the way the runner reads it: stdout (with its
// workflow commands), stderr, the GITHUB_OUTPUT file and the job summary.

export interface Outcome {
  outputs: Record<string, string>
  stdout: string
  stderr: string
  summary: string
  /** The ::error:: line of core.setFailed, decoded; undefined when the step succeeded. */
  failure?: string
}

/** Parse the GITHUB_OUTPUT file format: `name<<delimiter\nvalue\ndelimiter`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const [, name, delimiter] = m
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
    out[name] = value.join('\n')
  }
  return out
}

/** The message of the last ::error:: command (the step's failure), with the runner's escapes undone. */
export function failureOf(stdout: string): string | undefined {
  // core.setFailed writes the last one; earlier ones are per-item annotations.
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith('::error::'))
    .at(-1)
  if (!line) return undefined
  return unescapeCommand(line.slice('::error::'.length))
}

/** Undo the escaping of workflow command data (as the runner does). */
function unescapeCommand(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** The secret values that were handed to core.setSecret. */
export function maskedValues(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => unescapeCommand(l.slice('::add-mask::'.length)))
}

/** One form in which a secret can be seen, and what to call it in a report. */
export interface LeakForm {
  form: string
  encoding: string
}

/**
 * Every form in which a secret could leak: as is, base64, URL-encoded (upper- and lower-case hex,
 * and encoded twice), JSON-escaped as .NET writes it in ARM bodies (& < > ' + as \u0026 …, in
 * lower- and in upper-case hex) and HTML-escaped (quotes as &quot; or &#34;, &#39; or &#x27;).
 */
export function leakForms(secret: string): LeakForm[] {
  const json = JSON.stringify(secret).slice(1, -1)
  const arm = (upper: boolean) =>
    json.replace(/[&<>'+]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0')
      return `\\u${upper ? hex.toUpperCase() : hex}`
    })
  const url = encodeURIComponent(secret)
  const lower = url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())
  const html = (quot: string, apos: string) =>
    secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, quot)
      .replace(/'/g, apos)
  const forms: LeakForm[] = [
    { form: secret, encoding: 'as is' },
    { form: Buffer.from(secret).toString('base64'), encoding: 'base64' },
    { form: url, encoding: 'URL-encoded' },
    { form: lower, encoding: 'URL-encoded, lower-case hex' },
    { form: encodeURIComponent(url), encoding: 'URL-encoded twice' },
    { form: encodeURIComponent(lower), encoding: 'URL-encoded twice, lower-case hex' },
    { form: arm(false), encoding: 'JSON-escaped' },
    { form: arm(true), encoding: 'JSON-escaped, upper-case hex' },
    { form: html('&quot;', '&#39;'), encoding: 'HTML-escaped' },
    { form: html('&#34;', '&#x27;'), encoding: 'HTML-escaped, numeric' }
  ]
  const seen = new Set<string>()
  return forms.filter(({ form }) => form !== '' && !seen.has(form) && seen.add(form))
}

/** A secret seen where a user or a later job can see it, described without showing it. */
export interface Leak {
  /** `output 'backend'`, `summary line 3`, `log line 12` (stdout), `stderr line 1` */
  where: string
  /** Which secret: its length (and, for a long one, its first character) and where it came from. */
  secret: string
  encoding: string
  /** The line or output around it, every secret in it replaced by ‹secret›. */
  context: string
}

/** One line for a test failure or a report; it never holds the secret. */
export function describeLeak(leak: Leak): string {
  return `${leak.where}: ${leak.secret}, ${leak.encoding}: ${leak.context}`
}

/** A secret as a report may name it: its length, and the first character of a long one. */
function describeSecret(secret: string, origin: string): string {
  const chars = [...secret]
  const first = chars.length >= 8 ? ` starting '${chars[0]}'` : ''
  return `a ${chars.length}-character secret${first} (${origin})`
}

/**
 * The secrets (the given ones and every value the step masked itself) that appear anywhere a
 * user or a later job can see them: stdout and its debug lines (mask commands aside), stderr,
 * the outputs and the job summary. Empty when nothing leaked. Each leak names the output or the
 * line that holds it, and never shows the secret.
 */
export function findLeaks(outcome: Outcome, secrets: string[] = []): Leak[] {
  // Each place as lines, numbered as a reader finds them (stdout with its mask commands).
  const places: { name: (line: number) => string; lines: string[] }[] = [
    {
      name: (n) => `log line ${n}`,
      lines: outcome.stdout.split('\n').map((l) => (l.startsWith('::add-mask::') ? '' : l))
    },
    { name: (n) => `stderr line ${n}`, lines: outcome.stderr.split('\n') },
    ...Object.entries(outcome.outputs).map(([name, value]) => ({
      name: () => `output '${name}'`,
      lines: [value]
    })),
    { name: (n) => `summary line ${n}`, lines: outcome.summary.split('\n') }
  ]
  // A masked value of one to three characters ('p', '1') turns up in any text by chance; the
  // explicitly named secrets are always checked.
  const masked = maskedValues(outcome.stdout).filter((v) => v.length >= 4)
  const origins = new Map<string, string>()
  secrets.forEach((s, i) => origins.set(s, `secret ${i + 1} of the ${secrets.length} named`))
  for (const m of masked) if (!origins.has(m)) origins.set(m, 'a value the step masked')
  const candidates = [...origins.keys()].flatMap((secret) =>
    leakForms(secret).map((f) => ({ ...f, secret }))
  )
  // Longest first, so the context replaces a secret before any part of it.
  const hiding = [...new Set(candidates.map((c) => c.form))].sort((a, b) => b.length - a.length)
  const hide = (line: string) => hiding.reduce((l, form) => l.split(form).join('‹secret›'), line)
  const leaks: Leak[] = []
  for (const place of places) {
    // The whole place first: lines are looked at only where something leaked.
    const whole = place.lines.join('\n')
    for (const c of candidates) {
      if (!whole.includes(c.form)) continue
      place.lines.forEach((line, i) => {
        if (!line.includes(c.form)) return
        leaks.push({
          where: place.name(i + 1),
          secret: describeSecret(c.secret, origins.get(c.secret)!),
          encoding: c.encoding,
          context: around(hide(line))
        })
      })
    }
  }
  return leaks
}

/** The text around the first ‹secret›, at most about 100 characters. */
function around(line: string): string {
  const at = line.indexOf('‹secret›')
  const from = Math.max(0, at - 45)
  const to = Math.min(line.length, at + 55)
  return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`
}
