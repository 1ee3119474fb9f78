// The reconnect (Backend – Reconnect) and the wait until it is due, shared by reset and switch.
import { backendApi } from './backend-api.js'
import { describeAzureError } from '../../azure/errors.js'
import { DEFAULT_RESET_SECONDS } from '../../catalog.js'
import { ActionError, msg } from '../../messages.js'
import * as workflow from '../../workflow.js'
import { errorContext, type OperationContext, type SummaryPart } from './context.js'
import { RECONNECT_STEP, WAIT_STEP } from './steps.js'

/** How often a waiting gate says how long is left. */
const COUNTDOWN_MS = 15_000

/** "after 30 s", or the service default when no delay is sent. */
export function describeDelay(afterSeconds: number | undefined): string {
  return afterSeconds === undefined
    ? 'with the service default (after 2 minutes)'
    : `after ${afterSeconds} s`
}

/**
 * POST …/reconnect, with `after: PT<n>S` when a delay is given (none: the service default), and
 * when it is due: as a time, and as the `reset-at` output.
 */
export async function requestReconnect(
  ctx: OperationContext,
  afterSeconds: number | undefined,
  step = RECONNECT_STEP
): Promise<{ dueAt: number; resetAt: string }> {
  const { client, target } = ctx
  const seconds = afterSeconds ?? DEFAULT_RESET_SECONDS
  // What the step will report, known to be reportable before the reconnect is asked for.
  dueTime(seconds)
  const doing = `Requesting a reconnect of backend '${target.backendId}'`
  workflow.info(`${doing} ${describeDelay(afterSeconds)}.`)
  ctx.deadline.start(step)
  try {
    const reconnect = backendApi(client, target).reconnect
    // Refused before any request (reset's rules; switch skips it): never reached in a workspace.
    if (!reconnect) throw new Error('internal: a reconnect of a workspace backend')
    await reconnect(
      target.backendId,
      afterSeconds === undefined ? {} : { parameters: { after: `PT${afterSeconds}S` } }
    )
  } catch (e) {
    throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' })
  }
  ctx.deadline.done(step)
  return dueTime(seconds)
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
export async function waitUntil(
  ctx: OperationContext,
  dueAt: number,
  resetAt: string,
  why = 'wait: true'
): Promise<void> {
  ctx.deadline.start(WAIT_STEP)
  workflow.info(`${why} — holding this step until the reconnect is due at ${resetAt}.`)
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

/**
 * The summary row saying whether the step held until the reconnect was due, and until when;
 * `hint`: how to make it wait, where the operation can.
 */
export function waitedRow(waited: boolean, resetAt: string, hint = ''): SummaryPart {
  return {
    row: 'Waited',
    value: waited
      ? `yes, until the reconnect was due at ${resetAt}`
      : `no: the step ended at once, before the reconnect due at ${resetAt}${hint}`
  }
}
