// operation: plan — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { outputFilePath } from '../../input-rules/workspace-files.js'
import * as check from '../../validators.js'
import { backendsFileRequired } from '../shared/desired-inputs.js'
import { LIST_STEP, READ_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type PlanRequest, type PlanResult } from './types.js'

export const plan: OperationSpec<PlanRequest, PlanResult> = {
  target: 'service',
  results: RESULTS,
  desiredState: true,
  parse(reader, { common, desired, env }) {
    const flag = (name: 'prune' | 'fail-on-changes') =>
      reader.optional(name, (v) => check.boolean(name, v)) ?? false
    const prune = flag('prune')
    const failOnChanges = flag('fail-on-changes')
    const planFile = reader.optional('plan-file', (v) => outputFilePath('plan-file', v, env))
    backendsFileRequired(reader, 'plan', desired)
    if (!common || desired === undefined) return undefined
    return { operation: 'plan', ...common, desired, prune, failOnChanges, planFile }
  },
  steps: (r) => (r.planFile ? [LIST_STEP, READ_STEP] : [LIST_STEP]),
  load: () => import('./handler.js').then((m) => m.plan)
}
