// operation: plan — what `apply` of the backends file would do, read from one listing of the
// service: each backend of the file compared whole with the service's (nulls and service
// defaults count as absent, secrets compared without being shown), and each backend of the
// service the file does not name. Reads only: the list pages, and no GET per backend unless the
// plan is saved (plan-file), when each backend it would replace or delete is read for its ETag.
import { DEFAULT_MAX_PARALLEL } from '../../catalog.js'
import { scopeName } from '../../input-rules/model.js'
import * as workflow from '../../workflow.js'
import type { OperationContext, OperationResult } from '../shared/context.js'
import { comparePlan, resultEntry, writes } from '../shared/desired-state.js'
import { describeChanges } from '../shared/diff.js'
import { listAll } from '../shared/list-all.js'
import { readRowsToWrite } from '../shared/read-current.js'
import { savedPlan, writeSavedPlan } from '../shared/saved-plan.js'
import { planSummary } from './summary.js'
import type { PlanRequest, PlanResult } from './types.js'

export async function plan(
  ctx: OperationContext,
  request: PlanRequest
): Promise<OperationResult<PlanResult>> {
  let rows = comparePlan(request.desired, await listAll(ctx), request.prune)
  if (request.planFile) {
    rows = await readRowsToWrite(ctx, rows, request.prune, DEFAULT_MAX_PARALLEL)
    writeSavedPlan(
      request.planFile,
      savedPlan(ctx.target, request.prune, rows, (text) => ctx.secrets.redact(text))
    )
  }

  for (const row of rows) {
    workflow.info(`${row.backendId}: ${row.result}`)
    if (row.result === 'would-replace')
      for (const line of describeChanges(row.changes)) workflow.info(line)
  }
  const hasChanges = rows.some((r) => writes(r.result))
  const summary = planSummary(rows, request.prune)
  workflow.info(`Plan for ${scopeName(ctx.target)}: ${summary.counts}.`)
  if (request.planFile) {
    workflow.info(`The plan was saved to ${request.planFile} (no secret values in it).`)
    summary.parts.push({ row: 'Saved plan', value: request.planFile })
  }
  return {
    result: 'planned',
    outputs: {
      results: JSON.stringify(rows.map(resultEntry)),
      'has-changes': String(hasChanges)
    },
    summary: summary.parts,
    failure:
      request.failOnChanges && hasChanges
        ? `The service differs from the backends file (${summary.counts}); fail-on-changes: true. Apply the file, or change it to match the service.`
        : undefined
  }
}
