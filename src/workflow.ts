// The runner's workflow commands, as @actions/core writes them (::add-mask::, ::error::,
// the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files). Measured, not assumed: @actions/core's entry
// module imports its OIDC client, which bundles undici (≈1 MB) and costs ≈ 2.7× bare node
// before a single input is read. This module is what the validation path loads instead, so bad
// input fails at close to bare-node speed; @actions/core itself is loaded with the Azure code
// and used for the one thing that needs it, the GitHub ID token (azure/credential.ts), and,
// outside a runner only, for the outputs (flushOutputs below).
// The formats are the documented ones: docs.github.com "Workflow commands for GitHub Actions".
import { randomUUID } from 'node:crypto'
import { appendFileSync, existsSync } from 'node:fs'
import { EOL } from 'node:os'

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

// Every text this action prints may hold values from inputs, files or Azure (a title anyone with
// portal access can edit). Secrets are redacted from it here, in one place, and it is made inert
// for the runner's command parser (actions/runner src/Runner.Common/ActionCommand.cs,
// src/Runner.Worker/ActionCommandManager.cs): a line is a command when, after leading
// whitespace, it starts with `::name…::`, or when it holds `##[name…]` anywhere; and the runner
// ends a line at CR, LF or CRLF. Only command() below writes a command, and only with data
// escaped the runner's way, so the `::name::` it starts with is the one the runner reads.
let redactor: (text: string) => string = (text) => text

/** Redact every text written from now on (the step's secrets; set once they are known). */
export function redactWith(redact: (text: string) => string): void {
  redactor = redact
}

/** The step's secrets redacted from a text (for messages that cut or escape values). */
export function redact(text: string): string {
  return redactor(text)
}

// .NET's char.IsWhiteSpace (the runner's TrimStart) and JavaScript's \s differ at U+0085 and
// U+FEFF; taking both as leading whitespace can only escape more, never less.
const LEADING_SPACE = /^[\s\u0085]*/

/**
 * One line of text as the runner will show it and never obey: the characters that would make it
 * a command are written as \uXXXX escapes, as control characters are in quoted values.
 */
export function inertLine(line: string): string {
  let out = line.replaceAll('##[', '#\\u0023[')
  const start = LEADING_SPACE.exec(out)![0].length
  if (out.startsWith('::', start)) out = `${out.slice(0, start)}\\u003a${out.slice(start + 1)}`
  return out
}

function command(name: string, message: string): void {
  process.stdout.write(`::${name}::${escapeData(redactor(message))}${EOL}`)
}

/** An input as the runner passes it (INPUT_<NAME>), trimmed; '' when not given. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

/** Ask the runner to mask values in every log line from now on (one write for all of them). */
export function setSecret(...values: string[]): void {
  process.stdout.write(values.map((v) => `::add-mask::${escapeData(v)}${EOL}`).join(''))
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1'
}

/** Plain log lines: redacted, and each line (a value's CR or LF included) made inert. */
export function info(message: string): void {
  const lines = redactor(message).split(/\r\n|\r|\n/)
  process.stdout.write(lines.map(inertLine).join(EOL) + EOL)
}

export function debug(message: string): void {
  command('debug', message)
}

export function notice(message: string): void {
  command('notice', message)
}

export function warning(message: string): void {
  command('warning', message)
}

export function error(message: string): void {
  command('error', message)
}

export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

// Outputs set without GITHUB_OUTPUT, for flushOutputs().
const pendingOutputs: [name: string, value: string][] = []

/**
 * A step output, through the GITHUB_OUTPUT file with a random heredoc delimiter. Without
 * GITHUB_OUTPUT (not on a runner: a runner always sets it) the output waits for flushOutputs().
 */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT
  if (!file) {
    pendingOutputs.push([name, value])
    return
  }
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (value.includes(delimiter)) throw new Error('an output value contains its delimiter')
  appendRunnerFile(
    'GITHUB_OUTPUT',
    file,
    `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
  )
}

/** A file the runner gave the step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) that could not be written. */
export class RunnerFileError extends Error {
  constructor(
    readonly variable: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY',
    readonly file: string,
    cause: unknown
  ) {
    const what = variable === 'GITHUB_OUTPUT' ? 'the outputs' : 'the job summary'
    super(`${what} could not be written to ${variable} (${file}): ${messageOf(cause)}`)
    this.name = 'RunnerFileError'
  }
}

/** An error's message; fs errors may come from another realm, where instanceof Error fails. */
function messageOf(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message
  return typeof message === 'string' ? message : String(e)
}

function appendRunnerFile(
  variable: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY',
  file: string,
  text: string
): void {
  try {
    appendFileSync(file, text, 'utf8')
  } catch (e) {
    throw new RunnerFileError(variable, file, e)
  }
}

/**
 * Outside a runner, hand the outputs to @actions/core's setOutput: `npm run local-action`
 * (@github/local-action) replaces @actions/core with its own and lists the outputs it was given;
 * the real one prints the deprecated `::set-output` command. Loaded only here,
 * so on a runner (GITHUB_OUTPUT set, nothing pending) it never is.
 */
export async function flushOutputs(): Promise<void> {
  if (pendingOutputs.length === 0) return
  const core = await import('@actions/core')
  for (const [name, value] of pendingOutputs.splice(0)) core.setOutput(name, value)
}

/** Append HTML/Markdown to the job summary; false when the runner offers none. */
export function appendSummary(html: string): boolean {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file || !existsSync(file)) return false
  appendRunnerFile('GITHUB_STEP_SUMMARY', file, html + EOL)
  return true
}

/**
 * The workflow run, from the runner's default variables (docs.github.com "Store information in
 * variables"): for the user agent, so Azure's logs point back to the run, and the summary's link.
 */
export function runnerContext(): { repository?: string; runId?: string; serverUrl: string } {
  return {
    repository: process.env.GITHUB_REPOSITORY || undefined,
    runId: process.env.GITHUB_RUN_ID || undefined,
    serverUrl: process.env.GITHUB_SERVER_URL || 'https://github.com'
  }
}
