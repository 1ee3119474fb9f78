// The runner's own reading of a step's output, to check that nothing but the action's own
// commands can command it. The rules are the runner's (actions/runner,
// src/Runner.Common/ActionCommand.cs TryParseV2 and TryParse, and
// src/Runner.Worker/ActionCommandManager.cs TryProcessCommand):
// - a line ends at CR, LF or CRLF, and stdout and stderr are both read;
// - `::name props::data`: after leading whitespace the line starts with `::`, and `name` (up to a
//   space) is a registered command, compared without regard to case;
// - otherwise `##[name props]data` anywhere in the line, with the same registered names;
// - `stop-commands` pauses every command until one named by its data (the token) arrives, in
//   either form; while paused an `::add-mask::` line is printed as it is.

/** The commands the runner registers (its IActionCommandExtension implementations). */
export const REGISTERED = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
]

/** The commands this action writes (src/workflow.ts), always at the start of a line. */
export const OWN = ['add-mask', 'debug', 'error', 'notice', 'warning']

export interface RunnerCommand {
  /** 1-based line number in the stream. */
  line: number
  text: string
  form: '::' | '##['
  name: string
  properties: string
  data: string
  /** Read while commands were paused by stop-commands (then only the token resumes). */
  paused: boolean
}

// .NET's TrimStart (char.IsWhiteSpace) and JavaScript's \s differ slightly; the union can only
// find more commands, never fewer.
const LEADING_SPACE = /^[\s\u0085]*/

function parse(
  line: string,
  registered: Set<string>
): Omit<RunnerCommand, 'line' | 'paused'> | undefined {
  const trimmed = line.slice(LEADING_SPACE.exec(line)![0].length)
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2)
    if (end >= 0) {
      const info = trimmed.slice(2, end)
      const space = info.indexOf(' ')
      const name = space < 0 ? info : info.slice(0, space)
      if (registered.has(name.toLowerCase()))
        return {
          text: line,
          form: '::',
          name,
          properties: space < 0 ? '' : info.slice(space + 1),
          data: trimmed.slice(end + 2)
        }
    }
  }
  const prefix = line.indexOf('##[')
  if (prefix < 0) return undefined
  const rb = line.indexOf(']', prefix)
  if (rb < 0) return undefined
  const info = line.slice(prefix + 3, rb)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!registered.has(name.toLowerCase())) return undefined
  return {
    text: line,
    form: '##[',
    name,
    properties: space < 0 ? '' : info.slice(space + 1),
    data: line.slice(rb + 1)
  }
}

/** Every line of `output` that the runner reads as a command, in order, with the pause state. */
export function runnerCommands(output: string): RunnerCommand[] {
  const registered = new Set(REGISTERED)
  let token: string | undefined
  const found: RunnerCommand[] = []
  output.split(/\r\n|\r|\n/).forEach((text, i) => {
    const command = parse(text, registered)
    if (!command) return
    const paused = token !== undefined
    found.push({ ...command, line: i + 1, paused })
    const name = command.name.toLowerCase()
    if (paused && name === token) {
      registered.delete(token)
      token = undefined
    } else if (!paused && name === 'stop-commands') {
      token = command.data.toLowerCase()
      registered.add(token)
    }
  })
  return found
}

/**
 * The commands in a step's output that the action did not mean to write, each described on one
 * line; empty when the runner would obey only the action's own commands. The action writes only
 * the OWN commands, at the start of a line, without properties, in the `::` form, on stdout.
 * `planted` are texts a test put into inputs or service values: a command whose data begins with
 * one came from a value, even if its name is one of the action's own.
 */
export function unintendedCommands(
  streams: { stdout: string; stderr: string },
  planted: string[] = []
): string[] {
  const problems: string[] = []
  const describe = (stream: string, c: RunnerCommand, why: string) =>
    `${stream} line ${c.line} (${why}): ${JSON.stringify(c.text.slice(0, 200))}`
  for (const c of runnerCommands(streams.stdout)) {
    const name = c.name.toLowerCase()
    if (c.paused) problems.push(describe('stdout', c, 'read while commands were stopped'))
    else if (!OWN.includes(name)) problems.push(describe('stdout', c, `command '${c.name}'`))
    else if (c.form !== '::') problems.push(describe('stdout', c, 'legacy ##[ form'))
    else if (!c.text.startsWith(`::${name}::`))
      problems.push(describe('stdout', c, 'not written as the action writes commands'))
    else if (name !== 'add-mask' && planted.some((p) => p && c.data.startsWith(p)))
      problems.push(describe('stdout', c, 'data from a planted value'))
  }
  for (const c of runnerCommands(streams.stderr))
    problems.push(describe('stderr', c, `command '${c.name}'`))
  return problems
}

/**
 * Workflow commands that tests plant in inputs and service values: each line break the runner
 * knows (LF, CR, CRLF) before a command, the legacy form it honours anywhere in a line, and a
 * command with properties. The data of each starts with a PLANTED- marker that no command of the
 * action starts with.
 */
export const INJECTIONS = [
  'x\n::stop-commands::PLANTED-1',
  'y\r::warning::PLANTED-2',
  'z\r\n  ::set-output name=pwned::PLANTED-3',
  'a ##[stop-commands]PLANTED-4',
  'b ##[error]PLANTED-5',
  'c\n::error file=x,line=1::PLANTED-6'
]
export const PLANTED = INJECTIONS.map((_, i) => `PLANTED-${i + 1}`)

/**
 * What a run with planted values let through: commands the action did not write, and masks the
 * runner read while paused (it prints those in clear). Empty when the run was inert.
 */
export function injectedCommands(streams: { stdout: string; stderr: string }): string[] {
  return [
    ...unintendedCommands(streams, PLANTED),
    ...runnerCommands(streams.stdout)
      .filter((c) => c.paused)
      .map((c) => `read while paused, line ${c.line}: ${JSON.stringify(c.text.slice(0, 200))}`)
  ]
}
