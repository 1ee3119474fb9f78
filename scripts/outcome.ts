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

/**
 * Every form in which a secret could leak: as is, base64, URL-encoded, and JSON-escaped as .NET
 * writes it in ARM bodies (& < > ' + as \u0026 …, in lower- and in upper-case hex).
 */
export function leakForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1)
  const arm = (upper: boolean) =>
    json.replace(/[&<>'+]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0')
      return `\\u${upper ? hex.toUpperCase() : hex}`
    })
  return [
    ...new Set([
      secret,
      Buffer.from(secret).toString('base64'),
      encodeURIComponent(secret),
      arm(false),
      arm(true)
    ])
  ]
}

/**
 * The secrets (the given ones and every value the step masked itself) that appear anywhere a
 * user or a later job can see them: stdout and its debug lines (mask commands aside), stderr,
 * the outputs and the job summary. Empty when nothing leaked.
 */
export function findLeaks(outcome: Outcome, secrets: string[] = []): string[] {
  const visible = [
    outcome.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    outcome.stderr,
    ...Object.values(outcome.outputs),
    outcome.summary
  ].join('\n')
  // A masked value of one to three characters ('p', '1') turns up in any text by chance; the
  // explicitly named secrets are always checked.
  const masked = maskedValues(outcome.stdout).filter((v) => v.length >= 4)
  const candidates = new Set([...secrets, ...masked])
  const leaked: string[] = []
  for (const secret of candidates) {
    for (const form of leakForms(secret)) if (form && visible.includes(form)) leaked.push(form)
  }
  return [...new Set(leaked)]
}
