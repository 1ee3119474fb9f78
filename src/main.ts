// The action: inputs -> validated plan -> Azure -> outputs and summary.
import { readInputs, unknownInputs, type RawInputs } from './inputs.js'
import { ActionError } from './messages.js'
import { writeBatchOutputs, writeOutputs } from './outputs.js'
import { executedReport, planned, writtenToAzure, type Report } from './report.js'
import { backendsScopeId, InputErrors } from './input-rules/model.js'
import type { CommentSubject } from './pr-comment/marker.js'
import { commentAsked, commentInputErrors } from './pr-comment/request.js'
import { Secrets } from './secrets.js'
import { buildBatch, isInline } from './step/build-batch.js'
import { buildDesiredState, takesDesiredState } from './step/build-desired.js'
import { requestsOf, type Execution, type Plan } from './step/plan.js'
import { buildRequest } from './step/build-single.js'
import { writeSummary } from './summary.js'
import * as workflow from './workflow.js'

export async function run(): Promise<void> {
  const secrets = new Secrets()
  workflow.redactWith((text) => secrets.redact(text))
  let report: Report = {}
  try {
    const raw = readInputs()
    // The GitHub token is a secret before anything can print it.
    secrets.add(raw['github-token'])
    report.operation = raw.operation
    const plan = buildPlan(raw, secrets)
    const comment = commentSubject(raw, plan)
    report = planned(plan)
    if (plan.kind === 'single' && plan.request.target.generatedId) {
      workflow.info(
        `No backend-id given; generated '${plan.request.target.backendId}' as New-AzApiManagementBackend does.`
      )
    }
    // Azure code loads only now that the inputs are known to be good.
    const { execute } = await import('./step/execute.js')
    const execution = await execute(plan, secrets)
    report = executedReport(report, execution)
    try {
      writeResult(plan, execution, report)
    } finally {
      // The preview on the pull request, once the outputs are written (even when it fails the
      // step, as fail-on-changes does); a step that failed before its result has none to show.
      if (comment && execution.executed) {
        const { commentOnPullRequest } = await import('./pr-comment/post.js')
        const limits = requestsOf(plan)[0].limits
        await commentOnPullRequest(
          comment,
          report,
          secrets,
          raw['github-token'],
          4 * limits.attemptTimeoutMs
        )
      }
    }
  } catch (e) {
    // Redacted where it is written: the ::error:: line (workflow.ts) and the summary.
    const message = e instanceof Error ? e.message : String(e)
    // Re-run with debug logging: where it happened, mapped to src/ (index.ts enables the maps).
    if (workflow.isDebug() && e instanceof Error && !(e instanceof ActionError) && e.stack)
      for (const line of e.stack.split('\n')) workflow.debug(line)
    report.error = message
    workflow.setFailed(message)
  } finally {
    try {
      writeSummary(report, secrets)
    } catch (e) {
      if (e instanceof workflow.RunnerFileError)
        workflow.setFailed(`${writtenToAzure(report)}; ${e.message}`)
      else
        workflow.warning(
          `Could not write the job summary: ${e instanceof Error ? e.message : String(e)}`
        )
    }
    // Only outside a runner (no GITHUB_OUTPUT): the outputs, through @actions/core.
    await workflow.flushOutputs()
  }
}

/** The validated plan, or every problem with the inputs, unknown ones first. */
function buildPlan(raw: RawInputs, secrets: Secrets): Plan {
  const unknown = [...unknownInputs(process.env), ...commentInputErrors(raw)]
  let plan: Plan
  try {
    plan = takesDesiredState(raw)
      ? { kind: 'single', request: buildDesiredState(raw, secrets, process.env) }
      : raw.backends !== undefined
        ? { kind: 'batch', batch: buildBatch(raw, secrets, process.env) }
        : { kind: 'single', request: buildRequest(raw, secrets, process.env) }
  } catch (e) {
    if (unknown.length > 0 && e instanceof InputErrors)
      throw new InputErrors([...unknown, ...e.errors])
    throw e
  }
  if (unknown.length > 0) throw new InputErrors(unknown)
  return plan
}

/** What the step's pull-request comment is about, when it asked for one (pr-comment/marker.ts). */
function commentSubject(raw: RawInputs, plan: Plan): CommentSubject | undefined {
  if (!commentAsked(raw)) return undefined
  const first = requestsOf(plan)[0]
  // The service, or its workspace: a comment per place the backends are in.
  const service = backendsScopeId(first.target)
  if (plan.kind === 'single' && first.operation !== 'plan')
    return { operation: first.operation, service, backendId: first.target.backendId }
  const backends = raw.backends ?? ''
  return { operation: first.operation, service, file: isInline(backends) ? 'inline' : backends }
}

/** The outputs and the result line; throws the step's failure, if any. */
function writeResult(plan: Plan, execution: Execution, report: Report): void {
  const executed = execution.executed
  if (!executed) throw execution.error
  // A file the runner gave that cannot be written fails the step, saying what Azure already has.
  const outputs = (write: () => void) => {
    try {
      write()
    } catch (e) {
      if (e instanceof workflow.RunnerFileError)
        throw new ActionError(`${writtenToAzure(report)}; ${e.message}`)
      throw e
    }
  }
  if (executed.kind === 'single') {
    const result = executed.result
    outputs(() => writeOutputs(result, plan.kind === 'single' ? plan.request.target.backendId : ''))
    workflow.info(
      `Result: ${result.result}${result.resetAt ? `; reconnect due at ${result.resetAt}` : ''}.`
    )
    // A result that still fails the step (switch: rolled-back, unhealthy), its outputs written.
    if (result.failure) throw new ActionError(result.failure)
    return
  }
  outputs(() => writeBatchOutputs(executed.results))
  const failed = executed.results.filter((r) => r.result === 'failed')
  if (failed.length > 0) {
    throw new ActionError(
      `${failed.length} of ${executed.results.length} backends failed: ${failed.map((f) => `${f['backend-id']} (${f.error})`).join('; ')}`
    )
  }
}
