// operation: create — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { DEFAULT_IF_EXISTS, IF_EXISTS } from '../../catalog.js'
import { InputError, msg } from '../../messages.js'
import * as check from '../../validators.js'
import { withWholeTls } from '../shared/service-defaults.js'
import { READ_STEP, WRITE_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type CreateRequest, type CreateResult } from './types.js'

export const create: OperationSpec<CreateRequest, CreateResult> = {
  target: 'new-backend',
  results: RESULTS,
  parse(reader, { common, fields }) {
    const { raw } = reader
    if (raw.pool !== undefined) {
      for (const input of ['url', 'protocol'] as const) {
        if (raw[input] !== undefined)
          reader.add(
            new InputError(
              input,
              'does not apply to a pool backend (pool is given): the pool has no url or protocol of its own. Remove it.'
            )
          )
      }
    } else {
      if (raw.url === undefined)
        reader.add(new InputError('url', msg.required(' for operation create (or give pool)')))
      if (raw.protocol === undefined)
        reader.add(new InputError('protocol', msg.required(' for operation create: http or soap')))
    }
    const ifExists = reader.optional('if-exists', (v) => check.oneOf('if-exists', v, IF_EXISTS))
    const whatIf = reader.optional('what-if', (v) => check.boolean('what-if', v)) ?? false
    if (!common) return undefined
    return {
      operation: 'create',
      ...common,
      // A PUT replaces the whole backend: a TLS flag not given is the service's default.
      backend: withWholeTls(fields.contract),
      ifExists: ifExists ?? DEFAULT_IF_EXISTS,
      whatIf,
      poolMembers: fields.poolMembers
    }
  },
  steps: (request) => [READ_STEP, ...(request.whatIf ? [] : [WRITE_STEP])],
  load: () => import('./handler.js').then((m) => m.create),
  asked: (request) => ({ url: request.backend.url, protocol: request.backend.protocol }),
  failsOnRepeat: (request) =>
    request.ifExists === 'fail' && !request.whatIf
      ? { setting: 'if-exists: fail', instead: 'if-exists: skip' }
      : undefined
}
