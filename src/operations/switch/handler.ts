// operation: switch — point the backend at a new deployment, make the gateway reconnect, wait
// until that is due, then probe the health URL: healthy → switched; unhealthy → the previous
// values PATCHed back with the ETag of the switch's own write (never over someone else's
// change), a second reconnect, and a failed step that says why.
import { ROLLBACK_RESERVE_SECONDS } from '../../catalog.js'
import { ActionError } from '../../messages.js'
import * as workflow from '../../workflow.js'
import {
  readBackend,
  type OperationContext,
  type OperationResult,
  type Snapshot,
  type SummaryPart
} from '../shared/context.js'
import type { ArmBackend } from '../../azure/backend-json.js'
import { redactBackend } from '../../azure/backend-json.js'
import {
  asInputs,
  describeChanges,
  diff,
  mergePatchFrom,
  sendable,
  whatIfLines
} from '../shared/diff.js'
import { describeDelay, requestReconnect, waitedRow, waitUntil } from '../shared/reconnect.js'
import {
  HEALTH_STEP,
  ROLLBACK_RECONNECT_STEP,
  ROLLBACK_STEP,
  UPDATE_STEP
} from '../shared/steps.js'
import { patchBackend, planPatch } from '../shared/writes.js'
import { probeHealth, printableUrl, type HealthReport } from './probe.js'
import type { HealthOutput, SwitchRequest, SwitchResult } from './types.js'
import { describeRanges } from './status-ranges.js'

export async function switchBackend(
  ctx: OperationContext,
  request: SwitchRequest
): Promise<OperationResult<SwitchResult>> {
  const { target } = ctx
  const before = await readBackend(ctx, true)
  const plan = planPatch(before, request.updates)
  const { changes } = plan
  const gate = request.health
  const health = `${printableUrl(gate.url)} every ${gate.intervalMs / 1000} s until ${gate.successes} answers in a row are ${describeRanges(gate.accept)}, for at most ${gate.timeoutMs / 1000} s`

  // A workspace's backends have no reconnect: switch, then probe at once (and say so).
  const reconnects = target.workspace === undefined
  if (request.whatIf) {
    const would = changes.length
      ? `backend '${target.backendId}' would be switched, ${reconnects ? `reconnected ${describeDelay(request.afterSeconds)}` : `not reconnected (a backend of workspace '${target.workspace}' has no reconnect)`}, then probed at ${health}${request.rollback ? ', and rolled back if unhealthy' : ''}.`
      : `backend '${target.backendId}' already points there, so it would be neither written nor reconnected, only probed at ${health}.`
    for (const line of whatIfLines(would, changes)) workflow.info(line)
    return { result: 'would-switch', ...before, changes, ...reported({ previous: before.backend }) }
  }

  if (changes.length === 0) {
    workflow.info(
      `Backend '${target.backendId}' already points at the given deployment; no write and no reconnect. Probing it.`
    )
    ctx.deadline.drop(UPDATE_STEP)
    const report = await probe(ctx, request)
    const out = {
      ...before,
      changes,
      ...reported({ previous: before.backend, health: healthOutput(report) })
    }
    if (report.healthy) return { result: 'unchanged', ...out }
    return {
      result: 'unhealthy',
      ...out,
      failure: unhealthyText(request, report, 'nothing was changed')
    }
  }

  const after = await patchBackend(ctx, before, plan, UPDATE_STEP)
  let resetAt: string | undefined
  if (reconnects) {
    const due = await requestReconnect(ctx, request.afterSeconds)
    resetAt = due.resetAt
    await waitUntil(
      ctx,
      due.dueAt,
      resetAt,
      'switch: probing starts once the gateway has reconnected'
    )
  } else
    workflow.info(
      `No reconnect: backend '${target.backendId}' is in workspace '${target.workspace}', whose backends have none; probing now.`
    )
  const report = await probe(ctx, request, request.updates.url)
  const out = {
    ...after,
    resetAt,
    changes,
    ...reported({
      previous: before.backend,
      health: healthOutput(report),
      waited: resetAt ? { waited: true, resetAt } : undefined,
      workspace: reconnects ? undefined : target.workspace
    })
  }
  if (report.healthy) return { result: 'switched', ...out }
  if (!request.rollback)
    return {
      result: 'unhealthy',
      ...out,
      failure: unhealthyText(request, report, 'rollback: false, so it stays switched')
    }

  const restored = await rollBack(ctx, before, after, plan.body)
  if (restored instanceof ActionError)
    return {
      result: 'unhealthy',
      ...out,
      failure: `${unhealthyText(request, report, 'so it was to be rolled back')} ${restored.message}`
    }
  const again = reconnects
    ? await requestReconnect(ctx, request.afterSeconds, ROLLBACK_RECONNECT_STEP)
    : undefined
  const rollback = `Restored ${Object.keys(plan.body).join(', ')} of backend '${target.backendId}'${again ? ` and requested a reconnect due at ${again.resetAt}` : ' (no reconnect: a workspace backend has none)'}.`
  workflow.info(rollback)
  return {
    result: 'rolled-back',
    ...restored,
    resetAt: again?.resetAt,
    changes,
    ...reported({
      previous: before.backend,
      health: healthOutput(report),
      // The rollback's reconnect is requested, not waited for: the step fails at once.
      waited: again ? { waited: false, resetAt: again.resetAt } : undefined,
      rollback,
      workspace: reconnects ? undefined : target.workspace
    }),
    failure: unhealthyText(request, report, 'the previous settings were restored')
  }
}

async function probe(
  ctx: OperationContext,
  request: SwitchRequest,
  switchedTo?: string
): Promise<HealthReport> {
  ctx.deadline.start(HEALTH_STEP)
  // Probing ends in time to roll back: its last attempt, and the rollback, fit the step.
  // An attempt lasts at most request-timeout-seconds, and never longer than the whole gate.
  const attemptTimeoutMs = Math.min(request.limits.attemptTimeoutMs, request.health.timeoutMs)
  const left = ctx.deadline.remainingMs() - ROLLBACK_RESERVE_SECONDS * 1000 - attemptTimeoutMs
  const report = await probeHealth(
    {
      ...request.health,
      timeoutMs: Math.max(0, Math.min(request.health.timeoutMs, left)),
      attemptTimeoutMs,
      signal: ctx.deadline.signal
    },
    (line) => workflow.info(line)
  )
  if (report.aborted) {
    const state = switchedTo
      ? ` The switch was neither verified nor rolled back: backend '${request.target.backendId}' points at ${switchedTo}.`
      : ''
    throw new ActionError(`${ctx.deadline.error().message}${state}`)
  }
  ctx.deadline.done(HEALTH_STEP)
  return report
}

/**
 * PATCH back, for each property the switch changed, its value before the switch — with the ETag
 * of the switch's own write, so a change someone made since is never overwritten (412). What the
 * switch added is sent as null, at any depth (a header it added, a proxy the backend did not
 * have), so the result is the previous backend whether the service merges nested objects or
 * replaces them (mergePatchFrom; null meaning "remove" is a guess for APIM, unrecorded).
 * A failed rollback whose backend is no longer the switched version (412, or deleted) met
 * someone else's change: that is returned, to be reported with the outputs.
 */
async function rollBack(
  ctx: OperationContext,
  before: Snapshot,
  switched: Snapshot,
  switchBody: Record<string, unknown>
): Promise<Snapshot | ActionError> {
  const previous = sendable(asInputs(before.backend.properties ?? {})) as Record<string, unknown>
  const now = sendable(asInputs(switched.backend.properties ?? {})) as Record<string, unknown>
  const body: Record<string, unknown> = {}
  for (const key of Object.keys(switchBody)) body[key] = mergePatchFrom(now[key], previous[key])
  const changes = diff(now, { ...now, ...body })
  try {
    return await patchBackend(ctx, switched, { body, changes }, ROLLBACK_STEP, 'Rolling back')
  } catch (e) {
    const current = await readBackend(ctx)
    if (current?.etag === switched.etag) throw e
    return changedMeanwhile(ctx, switched, current)
  }
}

/** The rollback met someone else's change: nothing is overwritten, and both versions are shown. */
function changedMeanwhile(
  ctx: OperationContext,
  switched: Snapshot,
  now: Snapshot | undefined
): ActionError {
  const theirs = now
    ? describeChanges(diff(switched.backend.properties ?? {}, now.backend.properties ?? {}))
        .map((l) => l.trim())
        .join('; ')
    : 'it was deleted'
  return new ActionError(
    `Not rolled back: backend '${ctx.target.backendId}' was changed by someone else after the switch, so nothing was overwritten. Their change, from the switched version: ${theirs || 'no field differs (only its ETag)'}. Hint: check the backend, then restore it by hand or re-run the switch.`
  )
}

/**
 * The switch's own outputs (`previous`, `health`) and summary parts (whether it waited, the
 * health gate, the rollback).
 */
function reported(x: {
  previous: ArmBackend
  health?: HealthOutput
  waited?: { waited: boolean; resetAt: string }
  rollback?: string
  /** Switched in this workspace, without a reconnect. */
  workspace?: string
}): Pick<OperationResult, 'outputs' | 'summary'> {
  const outputs: Record<string, string> = { previous: JSON.stringify(redactBackend(x.previous)) }
  if (x.health) outputs.health = JSON.stringify(x.health)
  const summary: SummaryPart[] = []
  if (x.waited) summary.push(waitedRow(x.waited.waited, x.waited.resetAt))
  if (x.workspace !== undefined)
    summary.push({
      row: 'Reconnect',
      value: `none: workspace '${x.workspace}' has no reconnect for its backends; probed right after the write`
    })
  if (x.health) {
    const h = x.health
    summary.push({
      heading: `Health gate: ${h.healthy ? 'healthy' : 'unhealthy'}`,
      text: `${h.attempts} probes in ${h.seconds} s, ${h.good} good in a row at the end: ${h.timeline}`
    })
  }
  if (x.rollback) summary.push({ heading: 'Rollback', text: x.rollback })
  return { outputs, summary }
}

function healthOutput(report: HealthReport): HealthOutput {
  return {
    healthy: report.healthy,
    attempts: report.attempts,
    good: report.good,
    lastStatus: report.lastStatus,
    lastError: report.lastError,
    seconds: report.seconds,
    timeline: report.timeline
      .map((a) => `${a.status ?? a.error ?? 'no answer'} ${Math.round(a.ms)}ms`)
      .join(', ')
  }
}

function unhealthyText(request: SwitchRequest, report: HealthReport, outcome: string): string {
  const last = report.timeline
    .slice(-3)
    .map((a) => a.status ?? a.error ?? 'no answer')
    .join(', ')
  return `Backend '${request.target.backendId}' is unhealthy at ${printableUrl(request.health.url)}: ${report.good} of ${request.health.successes} good answers in a row after ${report.attempts} attempts in ${report.seconds} s (last: ${last || 'none'}); ${outcome}.`
}
