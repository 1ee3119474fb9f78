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

/** The message of the first ::error:: command, with the runner's escapes undone. */
export function failureOf(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('::error::'))
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
