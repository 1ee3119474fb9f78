// operation: create — New-AzApiManagementBackend, with an explicit choice of what happens when
// the backend already exists (if-exists: fail | replace | skip), and what-if.
import * as workflow from '../../workflow.js'
import { scopeName } from '../../input-rules/model.js'
import type { CreateRequest, CreateResult } from './types.js'
import { describeAzureError, statusOf } from '../../azure/errors.js'
import { ActionError, msg } from '../../messages.js'
import {
  armProperties,
  errorContext,
  readBackend,
  whichIsMissing,
  type OperationContext,
  type OperationResult,
  type Snapshot
} from '../shared/context.js'
import { checkPoolMembers, putBackend, type PutOutcome } from '../shared/writes.js'
import { diff, whatIfLines, type Change } from '../shared/diff.js'

export async function create(
  ctx: OperationContext,
  request: CreateRequest
): Promise<OperationResult<CreateResult>> {
  return decide(ctx, request, await readBackend(ctx), false)
}

/**
 * What to do with the backend as read: fail, skip, nothing to change, what-if, or write it.
 * `raced`: the backend was read again because someone else created it after the first read.
 */
async function decide(
  ctx: OperationContext,
  request: CreateRequest,
  existing: Snapshot | undefined,
  raced: boolean
): Promise<OperationResult<CreateResult>> {
  const { target } = ctx
  const desired = armProperties(request.backend)
  if (existing && request.ifExists === 'fail')
    throw new ActionError(
      raced ? msg.createdMeanwhile(target.backendId) : msg.alreadyExists(target.backendId)
    )
  if (existing && request.ifExists === 'skip') {
    workflow.info(
      `Backend '${target.backendId}' ${raced ? 'was created by someone else while this step ran' : 'already exists'}; if-exists: skip, so nothing was written.`
    )
    return { result: 'unchanged', ...existing, changes: [] }
  }
  if (raced)
    workflow.info(
      `Backend '${target.backendId}' was created by someone else while this step ran; if-exists: replace, so it is compared with what was asked.`
    )
  // A PUT replaces the whole body: compare the whole body.
  const changes = diff(existing?.backend.properties ?? {}, desired)
  if (existing && changes.length === 0) {
    workflow.info(`Backend '${target.backendId}' already is exactly as asked; nothing was written.`)
    return { result: 'unchanged', ...existing, changes }
  }
  // After a race the members were checked already, and what-if never gets as far as a write.
  if (!raced) await checkPoolMembers(ctx, request.poolMembers)
  if (request.whatIf) {
    const would = `backend '${target.backendId}' would be ${existing ? 'replaced' : 'created'}.`
    for (const line of whatIfLines(would, changes)) workflow.info(line)
    return { result: existing ? 'would-replace' : 'would-create', ...(existing ?? {}), changes }
  }
  return write(ctx, request, existing, changes)
}

/** PUT the backend: with If-Match of the ETag read, or, when none was found, create-only. */
async function write(
  ctx: OperationContext,
  request: CreateRequest,
  existing: Snapshot | undefined,
  changes: Change[]
): Promise<OperationResult<CreateResult>> {
  const { target } = ctx
  const doing = `${existing ? 'Replacing' : 'Creating'} backend '${target.backendId}'`
  workflow.info(`${doing} in ${scopeName(target)}.`)
  let put: PutOutcome
  try {
    put = await putBackend(ctx, request.backend, existing?.etag)
  } catch (e) {
    // 412 is HTTP's answer to If-None-Match: * when the resource exists (RFC 9110 §13.1.2); a
    // service may say 409 Conflict instead (a guess: no recording of either from APIM). Either
    // way the backend is read again and, if someone else created it after the read, the step
    // decides as if it had been there all along (fail, skip or replace).
    const status = statusOf(e)
    if (!existing && (status === 412 || status === 409)) {
      const now = await readBackend(ctx)
      if (now) return decide(ctx, request, now, true)
      // Created and deleted again in between: rare enough to leave to a re-run. A 409 with no
      // backend there is some other conflict: Azure's own answer, below.
      if (status === 412) throw new ActionError(msg.createdMeanwhile(target.backendId))
    }
    const missing = statusOf(e) === 404 ? await whichIsMissing(ctx) : undefined
    throw describeAzureError(e, { ...errorContext(ctx, doing), missing })
  }
  // Converged after a lost answer: the result is what it would have been.
  if (put.status === undefined || existing || put.status === 201)
    return {
      result:
        put.status === 201 || (put.status === undefined && !existing) ? 'created' : 'replaced',
      ...put.after,
      changes
    }
  // 200 to a create-only PUT: the service did not honour If-None-Match, and the backend existed
  // when the PUT arrived, so this was a replace — never reported as 'created', since another
  // step may have created it in between. When an earlier attempt of this PUT got no answer, that
  // attempt may have been the one that created it: the warning says so.
  const lost = put.url !== undefined && ctx.traffic.lostAttempts('PUT', put.url) > 0
  workflow.warning(
    lost
      ? `Backend '${target.backendId}' already existed when a retry of this step's create arrived, and Azure did not honour If-None-Match: *, so it was replaced, not created. An earlier attempt of this step, whose answer was lost, may have created it; if someone else created it in between, their version was replaced.`
      : msg.replacedNotCreated(target.backendId)
  )
  return { result: 'replaced', ...put.after, changes }
}
