// A small interpreter for the example workflows under examples/: it runs every step of this
// action in process against the emulator, the way the runner would pass its `with:` values,
// and understands only the expressions the examples are allowed to use. Anything else fails
// with a message naming the file, the job, the step and the expression, so an example cannot
// drift to something the test does not check.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { parse } from 'yaml'
import type { Outcome } from '../../scripts/outcome.js'
import { RUNNER_ENV } from '../../scripts/runner.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import {
  CLIENT_ID,
  SUB,
  TENANT_ID,
  endpoints,
  oidcEnv,
  type ApimEmulator
} from '../helpers/scenario.js'

/** The `uses:` of this action, as the README and every example spell it. */
export const ACTION = 'apim-backend-action/apim-backend-action@v1'
export const EXAMPLES_DIR = resolve('examples')

/** `${{ vars.* }}`: the repository variables the examples sign in with. */
export const VARS: Record<string, string> = {
  AZURE_CLIENT_ID: CLIENT_ID,
  AZURE_TENANT_ID: TENANT_ID,
  AZURE_SUBSCRIPTION_ID: SUB
}

/** `${{ secrets.NAME }}` stands for this fixed test value. */
export const secretValue = (name: string): string => `secret-${name}-4711`

export const PULL_REQUEST_NUMBER = 42

/** `${{ github.token }}`: the job's GITHUB_TOKEN, as the emulator's GitHub API knows it. */
export const RUN_TOKEN = 'ghs_exampleRunToken0123456789abcdefABCD'

/** `${{ github.* }}` for a run in octo-org/octo-repo (what RUNNER_ENV describes). */
function githubContext(eventName: string): Record<string, string> {
  return {
    repository: RUNNER_ENV.GITHUB_REPOSITORY,
    repository_owner: RUNNER_ENV.GITHUB_REPOSITORY.split('/')[0],
    server_url: RUNNER_ENV.GITHUB_SERVER_URL,
    run_id: RUNNER_ENV.GITHUB_RUN_ID,
    run_number: '7',
    run_attempt: '1',
    actor: 'octocat',
    sha: '4f8c2b1e9d0a7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
    ref:
      eventName === 'pull_request' ? `refs/pull/${PULL_REQUEST_NUMBER}/merge` : 'refs/heads/main',
    ref_name: eventName === 'pull_request' ? `${PULL_REQUEST_NUMBER}/merge` : 'main',
    event_name: eventName,
    workflow: 'example',
    job: 'example',
    ...(eventName === 'pull_request'
      ? {
          'event.number': String(PULL_REQUEST_NUMBER),
          'event.pull_request.number': String(PULL_REQUEST_NUMBER),
          head_ref: 'feature/orders-v2',
          base_ref: 'main'
        }
      : {})
  }
}

// ---------------------------------------------------------------------------------------------
// The workflow file, as far as the examples use it

export interface WorkflowStep {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: unknown
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

export interface WorkflowJob {
  needs?: string | string[]
  if?: unknown
  'runs-on'?: unknown
  permissions?: string | Record<string, string>
  outputs?: Record<string, string>
  strategy?: { matrix?: Record<string, unknown>; 'fail-fast'?: boolean }
  env?: Record<string, unknown>
  steps: WorkflowStep[]
}

export interface Workflow {
  name?: string
  on: unknown
  permissions?: string | Record<string, string>
  env?: Record<string, unknown>
  jobs: Record<string, WorkflowJob>
}

export function loadWorkflow(file: string): Workflow {
  const text = readFileSync(resolve(EXAMPLES_DIR, file), 'utf8')
  const workflow = parse(text) as Workflow
  const where = `examples/${file}`
  if (!workflow || typeof workflow !== 'object') throw new Error(`${where}: not a YAML mapping`)
  if (workflow.on === undefined) throw new Error(`${where}: no 'on:' trigger`)
  if (!workflow.jobs || Object.keys(workflow.jobs).length === 0)
    throw new Error(`${where}: no jobs`)
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (job['runs-on'] === undefined) throw new Error(`${where}: job '${name}' has no runs-on`)
    if (!Array.isArray(job.steps) || job.steps.length === 0)
      throw new Error(`${where}: job '${name}' has no steps`)
    for (const [i, step] of job.steps.entries()) {
      if ((step.uses === undefined) === (step.run === undefined))
        throw new Error(`${where}: job '${name}' step ${i + 1} needs exactly one of uses and run`)
    }
  }
  return workflow
}

/** The events that trigger the workflow, in the order written. */
export function triggers(workflow: Workflow): string[] {
  const on = workflow.on
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  return Object.keys(on as object)
}

/** The jobs in an order that runs every job after the ones it `needs:`. */
export function jobOrder(workflow: Workflow): string[] {
  const order: string[] = []
  const visiting = new Set<string>()
  const visit = (name: string, from?: string) => {
    if (order.includes(name)) return
    const job = workflow.jobs[name]
    if (!job) throw new Error(`job '${from}' needs '${name}', which does not exist`)
    if (visiting.has(name)) throw new Error(`jobs '${name}' and '${from}' need each other`)
    visiting.add(name)
    for (const need of needsOf(job)) visit(need, name)
    visiting.delete(name)
    order.push(name)
  }
  for (const name of Object.keys(workflow.jobs)) visit(name)
  return order
}

function needsOf(job: WorkflowJob): string[] {
  return job.needs === undefined ? [] : ([] as string[]).concat(job.needs)
}

/** The job's matrix combinations (one empty combination without a matrix). */
export function matrixOf(job: WorkflowJob, where: string): Record<string, string>[] {
  const matrix = job.strategy?.matrix
  if (!matrix) return [{}]
  let combos: Record<string, string>[] = [{}]
  for (const [axis, values] of Object.entries(matrix)) {
    if (!Array.isArray(values))
      throw new Error(
        `${where}: matrix '${axis}' is not a list (include/exclude are not supported)`
      )
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: String(v) })))
  }
  return combos
}

/** `permissions:` in force for a job: its own, else the workflow's. */
export function permissionsOf(workflow: Workflow, job: WorkflowJob): Record<string, string> {
  const p = job.permissions ?? workflow.permissions ?? {}
  if (p === 'write-all' || p === 'read-all') {
    const level = p.replace('-all', '')
    return new Proxy({}, { get: () => level })
  }
  return p as Record<string, string>
}

// ---------------------------------------------------------------------------------------------
// Expressions

export interface ExpressionContext {
  where: string
  matrix: Record<string, string>
  /** outputs of the steps of this job that ran so far, by step id */
  steps: Record<string, Record<string, string>>
  /** outputs of the jobs this job needs */
  needs: Record<string, Record<string, string>>
  github: Record<string, string>
}

const EXPRESSION = /\$\{\{(.*?)\}\}/gs

/** Every `${{ … }}` in `text` replaced by its value; one the test does not know throws. */
export function substitute(text: string, ctx: ExpressionContext): string {
  return text.replace(EXPRESSION, (_, inner: string) => evaluate(inner.trim(), ctx))
}

function evaluate(expr: string, ctx: ExpressionContext): string {
  const fail = (why: string): never => {
    throw new Error(
      `${ctx.where}: the examples test does not understand \${{ ${expr} }}: ${why}. ` +
        'Use vars.AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_SUBSCRIPTION_ID, secrets.*, matrix.*, ' +
        'steps.<id>.outputs.*, needs.<job>.outputs.* or github.*, or teach __tests__/examples/workflow.ts the new one.'
    )
  }
  if (!/^[A-Za-z_][\w-]*(\.[\w-]+)*$/.test(expr))
    return fail('only plain property paths are evaluated')
  const [head, ...rest] = expr.split('.')
  const path = rest.join('.')
  switch (head) {
    case 'vars':
      return VARS[path] ?? fail(`no repository variable '${path}' in the test`)
    case 'secrets':
      if (rest.length !== 1) return fail('expected secrets.NAME')
      return secretValue(path)
    case 'matrix':
      return ctx.matrix[path] ?? fail(`the job's matrix has no '${path}'`)
    case 'github':
      return ctx.github[path] ?? fail(`github.${path} is not in the test's github context`)
    case 'steps': {
      const [id, outputs, name, ...more] = rest
      if (outputs !== 'outputs' || !name || more.length)
        return fail('expected steps.<id>.outputs.<name>')
      const step = ctx.steps[id]
      if (!step) return fail(`no earlier step of this job with id '${id}' ran this action`)
      return (
        step[name] ??
        fail(
          `step '${id}' set no output '${name}' (it set: ${Object.keys(step).join(', ') || 'none'})`
        )
      )
    }
    case 'needs': {
      const [job, outputs, name, ...more] = rest
      if (outputs !== 'outputs' || !name || more.length)
        return fail('expected needs.<job>.outputs.<name>')
      const needed = ctx.needs[job]
      if (!needed) return fail(`'${job}' is not in this job's needs`)
      const value = needed[name]
      if (value === undefined) return fail(`job '${job}' declares no output '${name}'`)
      if (value === '') return fail(`job '${job}' output '${name}' is empty`)
      return value
    }
    default:
      return fail(`the '${head}' context is not supported`)
  }
}

/** Substitute in every string of a (YAML) value; numbers and booleans become strings. */
function substituteAll(value: unknown, ctx: ExpressionContext): unknown {
  if (typeof value === 'string') return substitute(value, ctx)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map((v) => substituteAll(v, ctx))
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteAll(v, ctx)]))
  return value
}

function asStrings(value: unknown, ctx: ExpressionContext): Record<string, string> {
  return (substituteAll(value ?? {}, ctx) ?? {}) as Record<string, string>
}

// ---------------------------------------------------------------------------------------------
// Running a workflow

export interface StepRun {
  index: number
  id?: string
  uses?: string
  /** env and with after substitution (every step) */
  env: Record<string, string>
  with: Record<string, string>
  run?: string
  /** this action's steps: the inputs it was run with (endpoints added) and what it did */
  inputs?: Record<string, string>
  outcome?: Outcome
  /** wall-clock time of the step in ms */
  ms?: number
}

export interface JobRun {
  matrix: Record<string, string>
  steps: StepRun[]
  outputs: Record<string, string>
}

export interface RunOptions {
  /** inputs replaced before a step runs, by step id: only inputs the example sets */
  override?: Record<string, Record<string, string>>
  /** the event that triggers the run: one of the workflow's triggers (default: the first) */
  event?: string
  /** extra environment of every step of this action (e.g. GITHUB_API_URL) */
  env?: Record<string, string>
}

/**
 * A job's `if:`, in the one form the examples may use: `github.event_name == '<event>'`, or
 * several joined by `||`, with or without `${{ }}`. Anything else fails naming the job.
 */
export function jobRunsOn(condition: unknown, eventName: string, where: string): boolean {
  if (condition === undefined) return true
  const text = String(condition)
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim()
  const events = text.split('||').map((part) => {
    const m = /^github\.event_name\s*==\s*'([a-z_]+)'$/.exec(part.trim())
    if (!m)
      throw new Error(
        `${where}: 'if: ${text}' is not evaluated by the test (only github.event_name == '…' joined by ||)`
      )
    return m[1]
  })
  return events.includes(eventName)
}

export interface WorkflowRun {
  workflow: Workflow
  jobs: Record<string, JobRun[]>
  /** every run of this action, in order */
  actionSteps: StepRun[]
  /** the run's copy of examples/, where its steps read and wrote files */
  workspace: string
}

/** The inputs action.yml declares (the runner warns about, and drops, any other). */
export function declaredInputs(): Set<string> {
  const action = parse(readFileSync(resolve('action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>
  }
  return new Set(Object.keys(action.inputs))
}

export async function runWorkflow(
  file: string,
  emulator: ApimEmulator,
  options: RunOptions = {}
): Promise<WorkflowRun> {
  const workflow = loadWorkflow(file)
  const inputsOfAction = declaredInputs()
  emulator.github.addToken(RUN_TOKEN)
  const eventName = options.event ?? triggers(workflow)[0]
  if (!triggers(workflow).includes(eventName))
    throw new Error(`examples/${file}: is not triggered by '${eventName}'`)
  const github = githubContext(eventName)
  // The job's checkout: a copy of examples/, so a step that writes a file (export, a saved plan)
  // leaves the repository alone.
  const workspace = mkdtempSync(join(tmpdir(), 'example-workspace-'))
  cpSync(EXAMPLES_DIR, workspace, { recursive: true })
  const eventFile = join(workspace, '..', `${basename(workspace)}-event.json`)
  writeFileSync(
    eventFile,
    JSON.stringify(
      eventName === 'pull_request'
        ? {
            number: PULL_REQUEST_NUMBER,
            pull_request: { number: PULL_REQUEST_NUMBER },
            repository: { full_name: RUNNER_ENV.GITHUB_REPOSITORY }
          }
        : { repository: { full_name: RUNNER_ENV.GITHUB_REPOSITORY } }
    )
  )
  const jobs: Record<string, JobRun[]> = {}
  const actionSteps: StepRun[] = []
  const overridden = new Set<string>()

  for (const jobName of jobOrder(workflow)) {
    const job = workflow.jobs[jobName]
    const jobWhere = `examples/${file} job '${jobName}'`
    // A job whose `if:` is false, or that needs a skipped job, is skipped (as GitHub does).
    const skipped =
      !jobRunsOn(job.if, eventName, jobWhere) || needsOf(job).some((n) => !jobs[n]?.length)
    if (skipped) {
      jobs[jobName] = []
      continue
    }
    const needs: Record<string, Record<string, string>> = {}
    for (const need of needsOf(job)) needs[need] = jobs[need].at(-1)!.outputs
    jobs[jobName] = []

    for (const matrix of matrixOf(job, jobWhere)) {
      const steps: Record<string, Record<string, string>> = {}
      const stepRuns: StepRun[] = []
      const where = `${jobWhere}${Object.keys(matrix).length ? ` ${JSON.stringify(matrix)}` : ''}`
      const ctx = (w: string): ExpressionContext => ({ where: w, matrix, steps, needs, github })
      const jobEnv = { ...asStrings(workflow.env, ctx(where)), ...asStrings(job.env, ctx(where)) }

      for (const [index, step] of job.steps.entries()) {
        const label = step.id ?? step.name ?? step.uses ?? `step ${index + 1}`
        const stepWhere = `${where} step '${label}'`
        const c = ctx(stepWhere)
        if (step.if !== undefined)
          throw new Error(`${stepWhere}: 'if:' is not evaluated by the test`)
        if (step.name !== undefined) substitute(step.name, c)
        const stepRun: StepRun = {
          index,
          id: step.id,
          uses: step.uses,
          env: { ...jobEnv, ...asStrings(step.env, c) },
          with: asStrings(step.with, c),
          run: step.run === undefined ? undefined : substitute(step.run, c)
        }
        stepRuns.push(stepRun)

        if (step.uses?.startsWith('apim-backend-action/apim-backend-action')) {
          if (step.uses !== ACTION)
            throw new Error(`${stepWhere}: uses '${step.uses}', not '${ACTION}'`)
          if (!step.id)
            throw new Error(`${stepWhere}: give the action step an id, so its outputs can be read`)
          const perms = permissionsOf(workflow, job)
          if (perms['id-token'] !== 'write')
            throw new Error(
              `${stepWhere}: signs in with OIDC but the job lacks permissions: id-token: write`
            )
          const inputs = { ...stepRun.with }
          for (const name of Object.keys(inputs)) {
            if (!inputsOfAction.has(name))
              throw new Error(`${stepWhere}: '${name}' is not an input of action.yml`)
          }
          for (const name of ['arm-endpoint', 'authority-host']) {
            if (name in inputs)
              throw new Error(`${stepWhere}: examples target real Azure; do not set ${name}`)
          }
          for (const [name, value] of Object.entries(options.override?.[step.id] ?? {})) {
            if (!(name in inputs))
              throw new Error(
                `${stepWhere}: the test overrides '${name}', which the example does not set`
              )
            inputs[name] = value
            overridden.add(`${step.id}.${name}`)
          }
          // action.yml's default for github-token is the job's token, which the runner passes.
          inputs['github-token'] ??= RUN_TOKEN
          stepRun.inputs = { ...inputs, ...endpoints(emulator) }
          const started = Date.now()
          // The runner gives the action the step's env: (where ${NAME} references come from).
          stepRun.outcome = await runInProcess(stepRun.inputs, {
            ...stepRun.env,
            ...oidcEnv(emulator),
            GITHUB_EVENT_NAME: eventName,
            GITHUB_EVENT_PATH: eventFile,
            GITHUB_API_URL: emulator.githubApiUrl(),
            ...options.env,
            GITHUB_WORKSPACE: workspace
          })
          stepRun.ms = Date.now() - started
          if (stepRun.outcome.failure !== undefined)
            throw new Error(
              `${stepWhere} failed: ${stepRun.outcome.failure}\n${stepRun.outcome.stdout}`
            )
          steps[step.id] = stepRun.outcome.outputs
          actionSteps.push(stepRun)
        }
        // Other steps (checkout, github-script, run) are not run here; their expressions were
        // checked above, so they only read outputs that exist.
      }

      const outputs = asStrings(job.outputs, ctx(`${where} outputs`))
      jobs[jobName].push({ matrix, steps: stepRuns, outputs })
    }
  }
  for (const [id, inputs] of Object.entries(options.override ?? {})) {
    for (const name of Object.keys(inputs)) {
      if (!overridden.has(`${id}.${name}`))
        throw new Error(
          `examples/${file}: the test overrides ${name} of step '${id}', which never ran`
        )
    }
  }
  return { workflow, jobs, actionSteps, workspace }
}

/** The step with this id, or the n-th step, of the only (or the given) run of a job. */
export function stepOf(
  run: WorkflowRun,
  job: string,
  step: string | number,
  matrixIndex = 0
): StepRun {
  const jobRun = run.jobs[job]?.[matrixIndex]
  if (!jobRun) throw new Error(`job '${job}' (run ${matrixIndex}) did not run`)
  const found =
    typeof step === 'number' ? jobRun.steps[step] : jobRun.steps.find((s) => s.id === step)
  if (!found) throw new Error(`job '${job}' has no step ${step}`)
  return found
}
