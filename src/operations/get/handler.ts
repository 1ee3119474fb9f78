// operation: get — Get-AzApiManagementBackend: the backend as ARM returns it (secrets ***).
import * as workflow from '../../workflow.js'
import type { GetRequest, GetResult } from './types.js'
import { readBackend, type OperationContext, type OperationResult } from '../shared/context.js'

export async function get(
  ctx: OperationContext,
  request: GetRequest
): Promise<OperationResult<GetResult>> {
  if (request.ifMissing === 'ignore') {
    const found = await readBackend(ctx, 'if-missing: ignore')
    if (!found) {
      workflow.info(`Backend '${ctx.target.backendId}' does not exist; if-missing: ignore.`)
      return { result: 'absent' }
    }
    return { result: 'found', ...found }
  }
  return { result: 'found', ...(await readBackend(ctx, 'if-missing: fail')) }
}
