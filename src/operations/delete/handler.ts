// operation: delete — Remove-AzApiManagementBackend, with the ETag just read (a change made in
// between fails with 412 instead of being deleted unseen); if-missing: ignore makes it idempotent.
import * as workflow from '../../workflow.js'
import type { DeleteRequest, DeleteResult } from './types.js'
import { describeAzureError, statusOf } from '../../azure/errors.js'
import {
  errorContext,
  readBackend,
  type OperationContext,
  type OperationResult
} from '../shared/context.js'
import { diff, whatIfLines } from '../shared/diff.js'
import { DELETE_STEP } from '../shared/steps.js'

export async function remove(
  ctx: OperationContext,
  request: DeleteRequest
): Promise<OperationResult<DeleteResult>> {
  const { target } = ctx
  const current =
    request.ifMissing === 'ignore'
      ? await readBackend(ctx)
      : await readBackend(ctx, 'if-missing: fail')
  if (!current) {
    workflow.info(
      `Backend '${target.backendId}' does not exist; if-missing: ignore, so there was nothing to delete.`
    )
    return { result: 'absent', changes: [] }
  }
  const changes = diff(current.backend.properties ?? {}, {})
  if (request.whatIf) {
    for (const line of whatIfLines(`backend '${target.backendId}' would be deleted.`, changes))
      workflow.info(line)
    return { result: 'would-delete', ...current, changes }
  }
  const doing = `Deleting backend '${target.backendId}'`
  workflow.info(`${doing}.`)
  ctx.deadline.start(DELETE_STEP)
  try {
    await ctx.client.backend.delete(
      target.resourceGroup,
      target.serviceName,
      target.backendId,
      current.etag
    )
  } catch (e) {
    // A retried DELETE whose first attempt was applied finds nothing: that is the goal reached.
    const request = (e as { request?: { url: string } }).request
    const lost = request ? ctx.traffic.lostAttempts('DELETE', request.url) : 0
    if (!(statusOf(e) === 404 && lost > 0))
      throw describeAzureError(e, {
        ...errorContext(ctx, doing),
        missing: 'backend',
        ifMissing: true
      })
  }
  ctx.deadline.done(DELETE_STEP)
  return { result: 'deleted', ...current, changes }
}
