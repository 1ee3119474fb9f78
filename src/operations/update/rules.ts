// operation: update — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { InputError } from '../../messages.js'
import * as check from '../../validators.js'
import { READ_STEP, WRITE_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type UpdateRequest, type UpdateResult } from './types.js'

export const update: OperationSpec<UpdateRequest, UpdateResult> = {
  target: 'backend',
  results: RESULTS,
  parse(reader, { common, fields }) {
    const { raw } = reader
    if (raw.pool !== undefined && (raw.url !== undefined || raw.protocol !== undefined)) {
      reader.add(
        new InputError(
          raw.url !== undefined ? 'url' : 'protocol',
          'does not apply together with pool: a pool backend has no url or protocol. Remove it.'
        )
      )
    }
    if (Object.keys(fields.contract).length === 0 && reader.ok) {
      reader.add(
        new InputError(
          'operation',
          'update needs at least one field to change: url, protocol, title, description, resource-id, skip-certificate-*, backend-credentials, proxy, service-fabric-cluster, circuit-breaker or pool.'
        )
      )
    }
    const whatIf = reader.optional('what-if', (v) => check.boolean('what-if', v)) ?? false
    if (!common) return undefined
    return {
      operation: 'update',
      ...common,
      updates: fields.contract,
      whatIf,
      poolMembers: fields.poolMembers
    }
  },
  steps: (request) => [READ_STEP, ...(request.whatIf ? [] : [WRITE_STEP])],
  load: () => import('./handler.js').then((m) => m.update)
}
