// operation: apply — its inputs and rules, and the steps it takes. The handler is handler.ts.
// With plan-file, the saved plan is read and checked against the step's backends file and
// target here, before any request: apply writes exactly what was planned, or nothing.
import { DEFAULT_MAX_PARALLEL, INPUTS } from '../../catalog.js'
import { InputError } from '../../messages.js'
import { readInputFile } from '../../input-rules/workspace-files.js'
import * as check from '../../validators.js'
import { backendsFileRequired } from '../shared/desired-inputs.js'
import {
  parseSavedPlan,
  planMismatches,
  PLAN_FILE_BYTES,
  type SavedPlan
} from '../shared/saved-plan.js'
import { LIST_STEP, READ_STEP, WRITE_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type ApplyRequest, type ApplyResult } from './types.js'

export const apply: OperationSpec<ApplyRequest, ApplyResult> = {
  target: 'service',
  results: RESULTS,
  desiredState: true,
  parse(reader, { common, desired, env, secrets }) {
    const prune = reader.optional('prune', (v) => check.boolean('prune', v))
    const maxParallel =
      reader.optional('max-parallel', (v) =>
        check.wholeNumber('max-parallel', v, INPUTS['max-parallel'].range)
      ) ?? DEFAULT_MAX_PARALLEL
    const saved = reader.optional('plan-file', (v) => ({
      plan: parseSavedPlan(readInputFile('plan-file', v, env, PLAN_FILE_BYTES)),
      file: v
    }))
    backendsFileRequired(reader, 'apply', desired)
    if (saved && prune !== undefined && prune !== saved.plan.prune)
      reader.add(
        new InputError(
          'prune',
          `is ${prune}, but the plan in plan-file was made with prune: ${saved.plan.prune}; apply a saved plan as it was made (leave prune out), or plan again.`
        )
      )
    if (saved && common && desired)
      checkPlan(reader, saved.plan, common.target, desired, (text) => secrets.redact(text))
    if (!common || desired === undefined) return undefined
    return {
      operation: 'apply',
      ...common,
      desired,
      prune: saved ? saved.plan.prune : (prune ?? false),
      maxParallel,
      saved
    }
  },
  steps: (r) => (r.saved ? [WRITE_STEP] : [LIST_STEP, READ_STEP, WRITE_STEP]),
  load: () => import('./handler.js').then((m) => m.apply)
}

function checkPlan(
  reader: { add(e: InputError): void },
  plan: SavedPlan,
  target: Parameters<typeof planMismatches>[1],
  desired: Parameters<typeof planMismatches>[2],
  redact: (text: string) => string
): void {
  const problems = planMismatches(plan, target, desired, redact)
  if (problems.length > 0)
    reader.add(
      new InputError(
        'plan-file',
        `is not the plan of this backends file and service: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}. Nothing was written: plan again and review the new plan.`
      )
    )
}
