// operation: create — New-AzApiManagementBackend, with an explicit choice of what happens when
// the backend already exists (if-exists: fail | replace | skip), and what-if.
import * as core from '../workflow.js'
import type { CreateRequest } from '../request.js'
import { describeAzureError, statusOf } from '../azure/errors.js'
import { ActionError, msg } from '../messages.js'
import {
  armProperties,
  checkPoolMembers,
  convergedAfterLostAttempt,
  errorContext,
  rawResponse,
  readBackend,
  snapshot,
  whichIsMissing,
  type OperationContext,
  type OperationResult
} from './context.js'
import { describeChanges, diff } from './diff.js'
import { WRITE_STEP } from './steps.js'

export async function create(
  ctx: OperationContext,
  request: CreateRequest
): Promise<OperationResult> {
  const { target } = ctx
  const existing = await readBackend(ctx)
  const desired = armProperties(request.backend)
  if (existing && request.ifExists === 'fail')
    throw new ActionError(msg.alreadyExists(target.backendId))
  if (existing && request.ifExists === 'skip') {
    core.info(
      `Backend '${target.backendId}' already exists; if-exists: skip, so nothing was written.`
    )
    return { result: 'unchanged', ...existing, changes: [] }
  }
  // A PUT replaces the whole body: compare the whole body.
  const changes = diff(existing?.backend.properties ?? {}, desired)
  if (existing && changes.length === 0) {
    core.info(`Backend '${target.backendId}' already is exactly as asked; nothing was written.`)
    return { result: 'unchanged', ...existing, changes }
  }
  await checkPoolMembers(ctx, request.poolMembers)
  if (request.whatIf) {
    core.info(
      `what-if: backend '${target.backendId}' would be ${existing ? 'replaced' : 'created'}; nothing was written:`
    )
    for (const line of describeChanges(changes)) core.info(line)
    return { result: existing ? 'would-replace' : 'would-create', ...(existing ?? {}), changes }
  }

  const doing = `${existing ? 'Replacing' : 'Creating'} backend '${target.backendId}'`
  core.info(`${doing} in ${target.serviceName}.`)
  ctx.deadline.start(WRITE_STEP)
  const raw = rawResponse()
  try {
    await ctx.client.backend.createOrUpdate(
      target.resourceGroup,
      target.serviceName,
      target.backendId,
      request.backend,
      {
        // The ETag just read: a change made in between fails with 412 instead of being overwritten.
        ifMatch: existing?.etag,
        onResponse: raw.onResponse
      }
    )
  } catch (e) {
    const converged = await convergedAfterLostAttempt(ctx, e, 'PUT', desired, true)
    if (converged) {
      ctx.deadline.done(WRITE_STEP)
      return { result: existing ? 'replaced' : 'created', ...converged, changes }
    }
    const missing = statusOf(e) === 404 ? await whichIsMissing(ctx) : undefined
    throw describeAzureError(e, { ...errorContext(ctx, doing), missing })
  }
  ctx.deadline.done(WRITE_STEP)
  const response = raw.get()
  // 200 means "replaced" unless the backend was absent when read: then an earlier attempt of
  // this PUT, whose answer was lost, created it.
  const result = response.status === 201 || !existing ? 'created' : 'replaced'
  return { result, ...snapshot(response, ctx.secrets), changes }
}
