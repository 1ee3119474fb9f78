// operation: reset — Reset-AzApiManagementBackendConnection: read the backend, apply the given
// connection settings with the ETag just read, ask the gateway to reconnect, and with wait: true
// hold the step until the reconnect is due (a gate for the next job).
import * as workflow from '../../workflow.js'
import type { ResetRequest, ResetResult } from './types.js'
import { readBackend, type OperationContext, type OperationResult } from '../shared/context.js'
import { describeDelay, requestReconnect, waitedRow, waitUntil } from '../shared/reconnect.js'
import { patchBackend, planPatch } from '../shared/writes.js'
import { whatIfLines } from '../shared/diff.js'
import { UPDATE_STEP } from '../shared/steps.js'

export async function reset(
  ctx: OperationContext,
  request: ResetRequest
): Promise<OperationResult<ResetResult>> {
  const { target } = ctx
  let current = await readBackend(ctx, true)
  const plan = request.updates ? planPatch(current, request.updates) : undefined
  const changes = plan?.changes ?? []
  const when = describeDelay(request.afterSeconds)

  if (request.whatIf) {
    const would = `backend '${target.backendId}' would be ${changes.length ? 'updated, then ' : ''}reconnected ${when}.`
    for (const line of whatIfLines(would, changes)) workflow.info(line)
    return { result: 'would-reset', ...current, changes }
  }

  if (plan && changes.length > 0) {
    current = await patchBackend(ctx, current, plan, UPDATE_STEP)
  } else if (plan) {
    workflow.info(
      `Backend '${target.backendId}' already holds the given settings; no update was sent.`
    )
    ctx.deadline.drop(UPDATE_STEP)
  }

  const { dueAt, resetAt } = await requestReconnect(ctx, request.afterSeconds)
  if (request.wait) await waitUntil(ctx, dueAt, resetAt)
  return {
    result: 'reset-requested',
    ...current,
    resetAt,
    changes,
    summary: [waitedRow(request.wait, resetAt, ' (wait: true holds the step until then)')]
  }
}
