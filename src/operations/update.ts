// operation: update — Set-AzApiManagementBackend: PATCH only the given fields, with the ETag just
// read; no write at all when the backend already holds them.
import * as core from '../workflow.js'
import type { UpdateRequest } from '../request.js'
import { describeAzureError } from '../azure/errors.js'
import {
  armProperties,
  checkPoolMembers,
  convergedAfterLostAttempt,
  errorContext,
  rawResponse,
  readBackend,
  snapshot,
  type OperationContext,
  type OperationResult
} from './context.js'
import { describeChanges, diff, mergePatch } from './diff.js'
import { WRITE_STEP } from './steps.js'

export async function update(
  ctx: OperationContext,
  request: UpdateRequest
): Promise<OperationResult> {
  const { target } = ctx
  const current = await readBackend(ctx, true)
  const fields = armProperties(request.updates)
  const changes = diff(
    current.backend.properties ?? {},
    mergePatch(current.backend.properties ?? {}, fields)
  )
  if (changes.length === 0) {
    core.info(`Backend '${target.backendId}' already holds every given field; nothing was written.`)
    return { result: 'unchanged', ...current, changes }
  }
  await checkPoolMembers(ctx, request.poolMembers)
  if (request.whatIf) {
    core.info(`what-if: backend '${target.backendId}' would be updated; nothing was written:`)
    for (const line of describeChanges(changes)) core.info(line)
    return { result: 'would-update', ...current, changes }
  }
  const doing = `Updating backend '${target.backendId}' (${Object.keys(fields).join(', ')})`
  core.info(`${doing}.`)
  for (const line of describeChanges(changes)) core.info(line)
  ctx.deadline.start(WRITE_STEP)
  const raw = rawResponse()
  let after
  try {
    await ctx.client.backend.update(
      target.resourceGroup,
      target.serviceName,
      target.backendId,
      current.etag,
      request.updates,
      {
        onResponse: raw.onResponse
      }
    )
    after = snapshot(raw.get(), ctx.secrets)
  } catch (e) {
    after = await convergedAfterLostAttempt(ctx, e, 'PATCH', fields, false)
    if (!after) throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' })
  }
  ctx.deadline.done(WRITE_STEP)
  return { result: 'updated', ...after, changes }
}
