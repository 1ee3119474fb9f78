// Run the action's run() in this process exactly as the runner would set it up: INPUT_*
// variables, a GITHUB_OUTPUT file and a job summary file, with debug logging on (RUNNER_DEBUG)
// unless a test turns it off. stdout and stderr are captured, and every run is checked for
// leaks (no value the step masked may appear anywhere a user or a later job can see it) and read
// with the runner's command parser (only the action's own commands may be found).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeLeak, failureOf, findLeaks, parseOutputFile, type Outcome } from './outcome.js'
import { RUNNER_ENV } from './runner.js'
import { unintendedCommands } from './runner-commands.js'

const dir = mkdtempSync(join(tmpdir(), 'apim-action-'))
// @actions/core caches the summary path on first use, so one file serves the whole process.
const summaryFile = join(dir, 'summary.md')

let runs = 0

export async function runInProcess(
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<Outcome> {
  const outputFile = join(dir, `output-${++runs}`)
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const saved = { ...process.env }
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value
  Object.assign(
    process.env,
    RUNNER_ENV,
    { RUNNER_DEBUG: '1' },
    {
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile
    }
  )
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }

  let stdout = ''
  let stderr = ''
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString()
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString()
    return true
  }) as typeof process.stderr.write
  try {
    const { run } = await import('../src/main.js')
    await run()
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
    process.exitCode = 0
  }
  const outcome: Outcome = {
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    stdout,
    stderr,
    summary: readFileSync(summaryFile, 'utf8'),
    failure: failureOf(stdout)
  }
  const leaks = findLeaks(outcome)
  if (leaks.length > 0)
    throw new Error(
      `The step leaked ${leaks.length} masked value(s) into its visible output:\n${leaks.map(describeLeak).join('\n')}`
    )
  const commands = unintendedCommands(outcome)
  if (commands.length > 0)
    throw new Error(
      `The runner would obey commands the action did not write:\n${commands.join('\n')}`
    )
  return outcome
}
