// operation: list — every backend of the service, every page followed, in the ARM shape.
import * as workflow from '../../workflow.js'
import type { ListRequest, ListResult } from './types.js'
import { redactBackend } from '../../azure/backend-json.js'
import { listSummary } from './summary.js'
import type { OperationContext, OperationResult } from '../shared/context.js'
import { listAll } from '../shared/list-all.js'
import { scopeName } from '../../input-rules/model.js'

export async function list(
  ctx: OperationContext,
  request: ListRequest
): Promise<OperationResult<ListResult>> {
  const backends = await listAll(ctx, request.filter)
  workflow.info(
    `${backends.length} backend${backends.length === 1 ? '' : 's'} in ${scopeName(ctx.target)}${request.filter ? ` matching ${request.filter}` : ''}.`
  )
  return {
    result: 'listed',
    outputs: { backends: JSON.stringify(backends.map(redactBackend)) },
    summary: listSummary(backends)
  }
}
