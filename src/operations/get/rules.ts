// operation: get — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { IF_MISSING, type IfMissing } from '../../catalog.js'
import * as check from '../../validators.js'
import { READ_STEP } from '../shared/steps.js'
import type { OperationSpec, RequestBase } from '../spec.js'

export interface GetRequest extends RequestBase {
  operation: 'get'
  ifMissing: IfMissing
}

const RESULTS = ['found', 'absent'] as const

export type GetResult = (typeof RESULTS)[number]

export const get: OperationSpec<GetRequest, GetResult> = {
  results: RESULTS,
  parse(reader, { common }) {
    const ifMissing = reader.optional('if-missing', (v) => check.oneOf('if-missing', v, IF_MISSING))
    if (!common) return undefined
    return { operation: 'get', ...common, ifMissing: ifMissing ?? 'fail' }
  },
  steps: () => [READ_STEP],
  load: () => import('./handler.js').then((m) => m.get)
}
