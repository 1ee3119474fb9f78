// operation: plan — what `apply` of the backends file would do, read from one listing of the
// service: each backend of the file compared whole with the service's (nulls and service
// defaults count as absent, secrets compared without being shown), and each backend of the
// service the file does not name. Reads only: the list pages, no GET per backend.
import { backendIdOf } from '../../azure/backend-json.js'
import * as workflow from '../../workflow.js'
import { armProperties, type OperationContext, type OperationResult } from '../shared/context.js'
import { describeChanges, diff } from '../shared/diff.js'
import { listAll } from '../shared/list-all.js'
import { planSummary } from './summary.js'
import type { PlanRequest, PlanResult, PlanRow } from './types.js'

export async function plan(
  ctx: OperationContext,
  request: PlanRequest
): Promise<OperationResult<PlanResult>> {
  const listed = await listAll(ctx)
  // Backend ids are case-insensitive in ARM; the file's spelling is the one reported.
  const byId = new Map(listed.map((b) => [backendIdOf(b).toLowerCase(), b]))
  const rows: PlanRow[] = []
  for (const item of request.desired) {
    const key = item.backendId.toLowerCase()
    const current = byId.get(key)
    byId.delete(key)
    // An item is the whole backend: compared as a PUT of it would leave it.
    const changes = diff(current?.properties ?? {}, armProperties(item.backend))
    const result = !current ? 'would-create' : changes.length > 0 ? 'would-replace' : 'unchanged'
    rows.push({ backendId: item.backendId, result, changes })
  }
  for (const other of byId.values())
    rows.push({
      backendId: backendIdOf(other),
      result: request.prune ? 'would-delete' : 'not-in-file',
      changes: request.prune ? diff(other.properties ?? {}, {}) : []
    })

  for (const row of rows) {
    workflow.info(`${row.backendId}: ${row.result}`)
    if (row.result === 'would-replace')
      for (const line of describeChanges(row.changes)) workflow.info(line)
  }
  const hasChanges = rows.some((r) => r.result !== 'unchanged' && r.result !== 'not-in-file')
  const summary = planSummary(rows, request.prune)
  workflow.info(`Plan for ${ctx.target.serviceName}: ${summary.counts}.`)
  return {
    result: 'planned',
    outputs: {
      results: JSON.stringify(
        rows.map((r) => ({
          'backend-id': r.backendId,
          result: r.result,
          changes: r.changes.map((c) => c.path)
        }))
      ),
      'has-changes': String(hasChanges)
    },
    summary: summary.parts,
    failure:
      request.failOnChanges && hasChanges
        ? `The service differs from the backends file (${summary.counts}); fail-on-changes: true. Apply the file, or change it to match the service.`
        : undefined
  }
}
