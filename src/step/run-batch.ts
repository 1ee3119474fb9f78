// Many backends in one step: every item of the list, at most max-parallel at a time, one failure
// not stopping the others. Writes also wait for ARM's write budget (azure/write-budget.ts).
import pLimit from 'p-limit'
import type { Deadline } from '../azure/deadline.js'
import type { ActionRequest } from '../operations/registry.js'
import type { OperationResult } from '../operations/shared/context.js'
import { SIGN_IN_STEP } from '../operations/shared/steps.js'
import type { Secrets } from '../secrets.js'
import * as workflow from '../workflow.js'
import type { BatchRequest } from './build-batch.js'
import type { ItemResult } from './plan.js'

export async function runBatch(
  batch: BatchRequest,
  runItem: (item: ActionRequest) => Promise<OperationResult>,
  deadline: Deadline,
  secrets: Secrets
): Promise<ItemResult[]> {
  const limit = pLimit(batch.maxParallel)
  const results: (ItemResult | undefined)[] = batch.items.map(() => undefined)
  deadline.progress = () => {
    const finished = results.filter((r) => r !== undefined).length
    return {
      done: [
        SIGN_IN_STEP,
        `${finished} of ${batch.items.length} backends (see the results output)`
      ],
      notDone: [`${batch.items.length - finished} backends`]
    }
  }
  workflow.info(
    `${batch.operation} for ${batch.items.length} backends, at most ${batch.maxParallel} at a time.`
  )
  // A pool refers to existing backends: pools are created after every other item, so a pool
  // and its members can be created by the same list.
  const isPool = (item: ActionRequest) =>
    item.operation === 'create' && (item.poolMembers?.length ?? 0) > 0
  for (const wave of [false, true])
    await Promise.all(
      batch.items.map((item, i) =>
        isPool(item) !== wave
          ? undefined
          : limit(async () => {
              const id = item.target.backendId
              if (deadline.signal.aborted) {
                results[i] = {
                  'backend-id': id,
                  result: 'failed',
                  error: 'not started: timeout-seconds was reached'
                }
                return
              }
              try {
                const r = await runItem(item)
                results[i] = {
                  'backend-id': id,
                  result: r.result,
                  error: null,
                  ...(r.resetAt ? { 'reset-at': r.resetAt } : {}),
                  // what-if: what each backend would change (the results output, the comment).
                  ...(r.result.startsWith('would-') && r.changes?.length
                    ? { changes: r.changes }
                    : {})
                }
                workflow.info(`${id}: ${r.result}`)
              } catch (e) {
                const error = secrets.redact(e instanceof Error ? e.message : String(e))
                results[i] = { 'backend-id': id, result: 'failed', error }
                workflow.error(`${id}: ${error}`)
              }
            })
      )
    )
  return results as ItemResult[]
}
