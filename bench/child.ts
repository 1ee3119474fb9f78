// Timed child processes. The action runs as scripts/runner.ts runDist runs it (a fresh node,
// the runner's environment, INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
// NODE_EXTRA_CA_CERTS = the emulator certificate), but the files are prepared before the clock
// starts and read after it stops, so only spawn → exit is timed.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { failureOf, parseOutputFile } from '../scripts/outcome.js'
import { RUNNER_ENV } from '../scripts/runner.js'

export interface ChildResult {
  /** performance.now() from spawn() to the child's 'exit' event */
  ms: number
  /** Date.now() just before spawn(), to place the emulator's records (`at`) on a timeline */
  spawnedAt: number
  code: number | null
  stdout: string
  stderr: string
}

export interface ActionResult extends ChildResult {
  outputs: Record<string, string>
  failure?: string
}

/** Spawns `command args`, times spawn → exit, and collects stdout and stderr. */
export async function timedSpawn(
  command: string,
  args: readonly string[],
  env: Record<string, string>
): Promise<ChildResult> {
  let stdout = ''
  let stderr = ''
  const spawnedAt = Date.now()
  const start = performance.now()
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<[number | null, number]>((done, fail) => {
    child.once('error', fail)
    child.once('exit', (code) => done([code, performance.now()]))
  })
  const closed = new Promise<void>((done) => child.once('close', () => done()))
  const [code, end] = await exited
  await closed
  return { ms: end - start, spawnedAt, code, stdout, stderr }
}

/**
 * Peak RSS needs the child's rusage, which only its parent gets from wait4(); Node's
 * child_process does not expose it, and /proc/<pid>/status is gone (VmHWM included) by the
 * time Node has reaped the child. An --import preload reporting process.resourceUsage().maxRSS
 * would change the very process being measured (one more module to load, an exit hook), so the
 * bench runs the unchanged command under GNU time (`/usr/bin/time -f %M`, which reports
 * ru_maxrss of its child in KB) in separate runs that are not timed. The timed runs spawn node
 * directly, so the wrapper's own fork/exec does not show in the times either.
 */
export const TIME_BIN = '/usr/bin/time'

export function canMeasureRss(): boolean {
  return process.platform === 'linux' && existsSync(TIME_BIN)
}

/** Peak RSS in bytes of `command args`, or undefined when GNU time is not available. */
export async function peakRss(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  scratch: string
): Promise<number | undefined> {
  if (!canMeasureRss()) return undefined
  const file = join(scratch, 'rss')
  writeFileSync(file, '')
  await timedSpawn(TIME_BIN, ['-f', '%M', '-o', file, command, ...args], env)
  // A failing command adds "Command exited with non-zero status N" before the figure.
  const last = readFileSync(file, 'utf8').trim().split('\n').pop() ?? ''
  const kb = Number(last)
  return Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined
}

/**
 * Node's compile cache (src/index.ts) lives under RUNNER_TEMP, which the runner empties at the
 * start and end of every job: the first run of the action in a job is `cold` (empty cache), a
 * later run in the same job is `warm`. A cold run gets a fresh, empty RUNNER_TEMP; warm runs share
 * one directory, which the caller fills with an untimed run first.
 */
export type CompileCache = 'cold' | 'warm'

export interface RunOptions {
  cache?: CompileCache
  /** node options before the script, e.g. --cpu-prof */
  nodeArgs?: readonly string[]
  /** variables on top of the runner's, e.g. RUNNER_DEBUG */
  env?: Record<string, string>
}

/** The action's process: dist/index.js under `node`, with the runner's files in `scratch`. */
export class ActionRunner {
  readonly scratch = mkdtempSync(join(tmpdir(), 'apim-bench-'))
  readonly outputFile = join(this.scratch, 'output')
  readonly summaryFile = join(this.scratch, 'summary.md')
  readonly script = resolve('dist/index.js')
  private readonly warmTemp = join(this.scratch, 'runner-temp-warm')

  constructor(
    readonly node: string,
    readonly certPath: string
  ) {
    mkdirSync(this.warmTemp)
  }

  /** The environment the runner gives the step: its variables, the file commands, INPUT_*. */
  env(inputs: Record<string, string> = {}, runnerTemp?: string): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? this.scratch,
      ...RUNNER_ENV,
      GITHUB_OUTPUT: this.outputFile,
      GITHUB_STEP_SUMMARY: this.summaryFile,
      NODE_EXTRA_CA_CERTS: resolve(this.certPath)
    }
    if (runnerTemp) env.RUNNER_TEMP = runnerTemp
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
    return env
  }

  /** One timed run of the action. */
  async run(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionResult> {
    return this.withRunnerTemp(options.cache ?? 'cold', async (temp) => {
      this.truncateFiles()
      const args = [...(options.nodeArgs ?? []), this.script]
      const env = { ...this.env(inputs, temp), ...options.env }
      const result = await timedSpawn(this.node, args, env)
      return {
        ...result,
        outputs: parseOutputFile(readFileSync(this.outputFile, 'utf8')),
        failure: failureOf(result.stdout)
      }
    })
  }

  /** `node -e 0` with the same binary and environment as the action: the floor. */
  bare(): Promise<ChildResult> {
    return timedSpawn(this.node, ['-e', '0'], this.env())
  }

  rssOfAction(
    inputs: Record<string, string>,
    cache: CompileCache = 'cold',
    extraEnv: Record<string, string> = {}
  ): Promise<number | undefined> {
    return this.withRunnerTemp(cache, (temp) => {
      this.truncateFiles()
      const env = { ...this.env(inputs, temp), ...extraEnv }
      return peakRss(this.node, [this.script], env, this.scratch)
    })
  }

  rssOfBare(): Promise<number | undefined> {
    return peakRss(this.node, ['-e', '0'], this.env(), this.scratch)
  }

  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true })
  }

  /**
   * Runs `fn` with the RUNNER_TEMP of `cache`: a fresh directory, removed afterwards, for cold;
   * for warm, the one directory every warm run shares (the caller fills it with a first run).
   */
  private async withRunnerTemp<T>(
    cache: CompileCache,
    fn: (runnerTemp: string) => Promise<T>
  ): Promise<T> {
    if (cache === 'warm') return fn(this.warmTemp)
    const temp = mkdtempSync(join(this.scratch, 'runner-temp-'))
    try {
      return await fn(temp)
    } finally {
      rmSync(temp, { recursive: true, force: true })
    }
  }

  private truncateFiles(): void {
    writeFileSync(this.outputFile, '')
    writeFileSync(this.summaryFile, '')
  }
}
