// operation: plan — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { InputError } from '../../messages.js'
import * as check from '../../validators.js'
import { LIST_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type PlanRequest, type PlanResult } from './types.js'

export const plan: OperationSpec<PlanRequest, PlanResult> = {
  target: 'service',
  results: RESULTS,
  desiredState: true,
  parse(reader, { common, desired }) {
    const flag = (name: 'prune' | 'fail-on-changes') =>
      reader.optional(name, (v) => check.boolean(name, v)) ?? false
    const prune = flag('prune')
    const failOnChanges = flag('fail-on-changes')
    if (desired === undefined)
      reader.add(
        new InputError(
          'backends',
          'is required for operation plan: the backends file (a YAML/JSON list, or the path of a file inside the workspace) whose items are the backends the service should have.'
        )
      )
    if (!common || desired === undefined) return undefined
    return { operation: 'plan', ...common, desired, prune, failOnChanges }
  },
  steps: () => [LIST_STEP],
  load: () => import('./handler.js').then((m) => m.plan)
}
