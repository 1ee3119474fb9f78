// operation: delete — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { DEFAULT_IF_MISSING, IF_MISSING } from '../../catalog.js'
import * as check from '../../validators.js'
import { DELETE_STEP, READ_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type DeleteRequest, type DeleteResult } from './types.js'

export const remove: OperationSpec<DeleteRequest, DeleteResult> = {
  target: 'backend',
  results: RESULTS,
  parse(reader, { common }) {
    const ifMissing = reader.optional('if-missing', (v) => check.oneOf('if-missing', v, IF_MISSING))
    const whatIf = reader.optional('what-if', (v) => check.boolean('what-if', v)) ?? false
    if (!common) return undefined
    return { operation: 'delete', ...common, ifMissing: ifMissing ?? DEFAULT_IF_MISSING, whatIf }
  },
  steps: (request) => [READ_STEP, ...(request.whatIf ? [] : [DELETE_STEP])],
  load: () => import('./handler.js').then((m) => m.remove),
  failsOnRepeat: (request) =>
    request.ifMissing === 'fail' && !request.whatIf
      ? { setting: 'if-missing: fail', instead: 'if-missing: ignore' }
      : undefined
}
