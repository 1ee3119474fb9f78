// operation: reset — its inputs and rules, and the steps it takes. The handler is handler.ts.
import { DEFAULT_RESET_SECONDS, INPUTS } from '../../catalog.js'
import { InputError } from '../../messages.js'
import * as check from '../../validators.js'
import { READ_STEP, RECONNECT_STEP, UPDATE_STEP, WAIT_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type ResetRequest, type ResetResult } from './types.js'

export const reset: OperationSpec<ResetRequest, ResetResult> = {
  target: 'backend',
  results: RESULTS,
  parse(reader, { common, fields, limits }) {
    // At most 7 days: the reconnect is never sent with a delay whose reset-at cannot be reported.
    const afterSeconds = reader.optional('time-until-reset', (v) =>
      check.wholeNumber('time-until-reset', v, INPUTS['time-until-reset'].range)
    )
    const wait = reader.optional('wait', (v) => check.boolean('wait', v)) ?? false
    const whatIf = reader.optional('what-if', (v) => check.boolean('what-if', v)) ?? false
    const waitSeconds = afterSeconds ?? DEFAULT_RESET_SECONDS
    if (wait && waitSeconds * 1000 >= limits.timeoutMs) {
      reader.add(
        new InputError(
          'wait',
          `needs the step to live until the reconnect, ${waitSeconds} s from now, but timeout-seconds is ${limits.timeoutMs / 1000}. Raise timeout-seconds above ${waitSeconds}, or drop wait.`
        )
      )
    }
    // Workspace backends have no reconnect (the REST API's workspace backend operations end at
    // PUT/PATCH/DELETE; @azure/arm-apimanagement 10's workspaceBackend has no reconnect).
    if (common?.target.workspace !== undefined)
      reader.add(
        new InputError(
          'workspace',
          `is '${common.target.workspace}', but a workspace's backends have no reconnect (Azure offers none below …/workspaces/), so operation reset cannot run there. Reset a backend of the service itself (leave workspace out), or use operation: switch, which in a workspace switches and probes without a reconnect.`
        )
      )
    if (!common) return undefined
    const { contract } = fields
    return {
      operation: 'reset',
      ...common,
      updates: Object.keys(contract).length > 0 ? contract : undefined,
      afterSeconds,
      wait,
      whatIf
    }
  },
  steps: (request) => {
    const writes = request.whatIf ? [] : [...(request.updates ? [UPDATE_STEP] : []), RECONNECT_STEP]
    return [READ_STEP, ...writes, ...(request.wait && !request.whatIf ? [WAIT_STEP] : [])]
  },
  load: () => import('./handler.js').then((m) => m.reset),
  batchSummary: (items) =>
    items.some((r) => r.whatIf)
      ? []
      : [
          {
            row: 'Waited',
            value: items.every((r) => r.wait)
              ? 'yes: each backend reset held the step until its reconnect was due (its reset-at in the results)'
              : items.some((r) => r.wait)
                ? 'for the backends with wait: true, until their reconnect was due (their reset-at in the results)'
                : 'no: the step ended at once, before the reconnects (wait: true holds the step until they are due)'
          }
        ]
}
