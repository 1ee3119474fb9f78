// operation: delete — Remove-AzApiManagementBackend, with the ETag just read (writes.ts
// deleteBackend); if-missing: ignore makes it idempotent.
import * as workflow from '../../workflow.js'
import type { DeleteRequest, DeleteResult } from './types.js'
import { describeAzureError } from '../../azure/errors.js'
import {
  errorContext,
  readBackend,
  type OperationContext,
  type OperationResult
} from '../shared/context.js'
import { diff, whatIfLines } from '../shared/diff.js'
import { deleteBackend } from '../shared/writes.js'

export async function remove(
  ctx: OperationContext,
  request: DeleteRequest
): Promise<OperationResult<DeleteResult>> {
  const { target } = ctx
  const current =
    request.ifMissing === 'ignore'
      ? await readBackend(ctx, 'if-missing: ignore')
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
  try {
    await deleteBackend(ctx, current.etag)
  } catch (e) {
    throw describeAzureError(e, {
      ...errorContext(ctx, doing),
      missing: 'backend',
      ifMissing: true
    })
  }
  return { result: 'deleted', ...current, changes }
}
