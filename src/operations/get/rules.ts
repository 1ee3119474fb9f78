// operation: get — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { DEFAULT_IF_MISSING, IF_MISSING } from '../../catalog.js'
import * as check from '../../validators.js'
import { READ_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type GetRequest, type GetResult } from './types.js'

export const get: OperationSpec<GetRequest, GetResult> = {
  target: 'backend',
  results: RESULTS,
  parse(reader, { common }) {
    const ifMissing = reader.optional('if-missing', (v) => check.oneOf('if-missing', v, IF_MISSING))
    if (!common) return undefined
    return { operation: 'get', ...common, ifMissing: ifMissing ?? DEFAULT_IF_MISSING }
  },
  steps: () => [READ_STEP],
  load: () => import('./handler.js').then((m) => m.get)
}
