// operation: get — Get-AzApiManagementBackend: the backend as ARM returns it (secrets ***).
import * as core from '../workflow.js'
import type { GetRequest } from '../request.js'
import { readBackend, type OperationContext, type OperationResult } from './context.js'

export async function get(ctx: OperationContext, request: GetRequest): Promise<OperationResult> {
  if (request.ifMissing === 'ignore') {
    const found = await readBackend(ctx)
    if (!found) {
      core.info(`Backend '${ctx.target.backendId}' does not exist; if-missing: ignore.`)
      return { result: 'absent' }
    }
    return { result: 'found', ...found }
  }
  return { result: 'found', ...(await readBackend(ctx, true)) }
}
