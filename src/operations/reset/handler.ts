// operation: reset — Reset-AzApiManagementBackendConnection: read the backend, apply the given
// connection settings with the ETag just read, ask the gateway to reconnect, and with wait: true
// hold the step until the reconnect is due (a gate for the next job).
import * as workflow from '../../workflow.js'
import { DEFAULT_RESET_SECONDS } from '../../catalog.js'
import { ActionError, msg } from '../../messages.js'
import type { ResetRequest, ResetResult } from './request.js'
import { describeAzureError } from '../../azure/errors.js'
import {
  errorContext,
  readBackend,
  type OperationContext,
  type OperationResult
} from '../shared/context.js'
import { patchBackend, planPatch } from '../shared/writes.js'
import { describeChanges } from '../shared/diff.js'
import { RECONNECT_STEP, UPDATE_STEP, WAIT_STEP } from '../shared/steps.js'

/** How often a waiting gate says how long is left. */
const COUNTDOWN_MS = 15_000

export async function reset(
  ctx: OperationContext,
  request: ResetRequest
): Promise<OperationResult<ResetResult>> {
  const { client, target } = ctx
  let current = await readBackend(ctx, true)
  const plan = request.updates ? planPatch(current, request.updates) : undefined
  const changes = plan?.changes ?? []
  const seconds = request.afterSeconds ?? DEFAULT_RESET_SECONDS
  const when =
    request.afterSeconds === undefined
      ? 'with the service default (after 2 minutes)'
      : `after ${seconds} s`

  if (request.whatIf) {
    workflow.info(
      `what-if: backend '${target.backendId}' would be reconnected ${when}${changes.length ? ', after these changes' : ''}; nothing was written:`
    )
    for (const line of describeChanges(changes)) workflow.info(line)
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

  // What the step will report, known to be reportable before the reconnect is asked for.
  dueTime(seconds)
  const doing = `Requesting a reconnect of backend '${target.backendId}'`
  workflow.info(`${doing} ${when}.`)
  ctx.deadline.start(RECONNECT_STEP)
  try {
    await client.backend.reconnect(
      target.resourceGroup,
      target.serviceName,
      target.backendId,
      request.afterSeconds === undefined
        ? {}
        : { parameters: { after: `PT${request.afterSeconds}S` } }
    )
  } catch (e) {
    throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' })
  }
  ctx.deadline.done(RECONNECT_STEP)
  const { dueAt, resetAt } = dueTime(seconds)
  if (request.wait) await waitUntil(ctx, dueAt, resetAt)
  return { result: 'reset-requested', ...current, resetAt, changes }
}

/**
 * When a reconnect `seconds` from now is due, as a time and as the `reset-at` output: whole
 * seconds, rounded up, so a job that waits until reset-at never starts early. time-until-reset is
 * at most 7 days (catalog.ts); a delay no date can hold is refused here rather than after the
 * reconnect was sent (new Date(...).toISOString() throws 'Invalid time value').
 */
export function dueTime(seconds: number, now = Date.now()): { dueAt: number; resetAt: string } {
  const dueAt = Math.ceil((now + seconds * 1000) / 1000) * 1000
  const date = new Date(dueAt)
  if (!Number.isFinite(seconds) || seconds < 0 || Number.isNaN(date.getTime()))
    throw new ActionError(msg.resetAtUnreportable(seconds))
  return { dueAt, resetAt: date.toISOString().replace(/\.\d{3}Z$/, 'Z') }
}

/** The gate: hold the step until the reconnect is due, saying how long is left every 15 s. */
async function waitUntil(ctx: OperationContext, dueAt: number, resetAt: string): Promise<void> {
  ctx.deadline.start(WAIT_STEP)
  workflow.info(`wait: true — holding this step until the reconnect is due at ${resetAt}.`)
  for (;;) {
    const left = dueAt - Date.now()
    if (left <= 0) break
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(COUNTDOWN_MS, left))
      ctx.deadline.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer)
          resolve()
        },
        { once: true }
      )
    })
    if (ctx.deadline.signal.aborted) throw ctx.deadline.error()
    const still = Math.ceil((dueAt - Date.now()) / 1000)
    if (still > 0) workflow.info(`Waiting for the reconnect: ${still} s left.`)
  }
  workflow.info(`The reconnect was due at ${resetAt}; the next step runs on fresh connections.`)
  ctx.deadline.done(WAIT_STEP)
}
