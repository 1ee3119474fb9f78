// operation: list — its inputs and rules, and the steps it takes. The handler is handler.ts.
import * as check from '../../validators.js'
import { LIST_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type ListRequest, type ListResult } from './types.js'

export const list: OperationSpec<ListRequest, ListResult> = {
  target: 'service',
  results: RESULTS,
  parse(reader, { common }) {
    const filter = reader.optional('filter', (v) => check.text('filter', v, 2000))
    if (!common) return undefined
    return { operation: 'list', ...common, filter }
  },
  steps: () => [LIST_STEP],
  load: () => import('./handler.js').then((m) => m.list)
}
