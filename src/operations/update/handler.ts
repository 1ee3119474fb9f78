// operation: update — Set-AzApiManagementBackend: PATCH the properties the given fields touch
// (each whole, see planPatch), with the ETag just read; no write at all when the backend already
// holds them.
import * as workflow from '../../workflow.js'
import type { UpdateRequest, UpdateResult } from './types.js'
import { readBackend, type OperationContext, type OperationResult } from '../shared/context.js'
import { checkPoolMembers, patchBackend, planPatch } from '../shared/writes.js'
import { whatIfLines } from '../shared/diff.js'
import { WRITE_STEP } from '../shared/steps.js'

export async function update(
  ctx: OperationContext,
  request: UpdateRequest
): Promise<OperationResult<UpdateResult>> {
  const { target } = ctx
  const current = await readBackend(ctx, true)
  const plan = planPatch(current, request.updates)
  const { changes } = plan
  if (changes.length === 0) {
    workflow.info(
      `Backend '${target.backendId}' already holds every given field; nothing was written.`
    )
    return { result: 'unchanged', ...current, changes }
  }
  await checkPoolMembers(ctx, request.poolMembers)
  if (request.whatIf) {
    for (const line of whatIfLines(`backend '${target.backendId}' would be updated.`, changes))
      workflow.info(line)
    return { result: 'would-update', ...current, changes }
  }
  const after = await patchBackend(ctx, current, plan, WRITE_STEP)
  return { result: 'updated', ...after, changes }
}
