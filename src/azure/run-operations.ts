// The operations themselves, on the real ARM client: loaded (with the APIM SDK) while the
// token request of execute.ts is already on its way, so the two overlap.
import * as core from '../workflow.js'
import pLimit from 'p-limit'
import type { TokenCredential } from '@azure/identity'
import type { BatchRequest } from '../batch-request.js'
import type { ActionRequest } from '../request.js'
import type { Secrets } from '../secrets.js'
import { create } from '../operations/create.js'
import { reset } from '../operations/reset.js'
import { get } from '../operations/get.js'
import { update } from '../operations/update.js'
import { remove } from '../operations/delete.js'
import { list } from '../operations/list.js'
import type { OperationContext, OperationResult } from '../operations/context.js'
import { createClient } from './client.js'
import { ExactBodies } from './exact-body.js'
import type { Deadline } from './deadline.js'
import type { Executed, ItemResult } from './execute.js'
import type { Traffic } from './traffic.js'

export interface RunSettings {
  credential: TokenCredential
  principal: string
  deadline: Deadline
  traffic: Traffic
  secrets: Secrets
  userAgentPrefix: string
}

export async function runOperations(
  request: ActionRequest | BatchRequest,
  s: RunSettings
): Promise<Executed> {
  const first = 'items' in request ? request.items[0] : request
  const bodies = new ExactBodies()
  const client = createClient(s.credential, {
    subscriptionId: first.target.subscriptionId,
    endpoints: first.endpoints,
    limits: first.limits,
    deadline: s.deadline,
    traffic: s.traffic,
    secrets: s.secrets,
    userAgentPrefix: s.userAgentPrefix,
    extraPolicies: [bodies.policy]
  })
  const contextFor = (r: ActionRequest): OperationContext => ({
    client,
    bodies,
    target: r.target,
    secrets: s.secrets,
    traffic: s.traffic,
    deadline: s.deadline,
    principal: s.principal
  })
  if (!('items' in request))
    return { kind: 'single', result: await runOne(contextFor(request), request) }
  return { kind: 'batch', results: await runMany(request, contextFor, s.deadline, s.secrets) }
}

function runOne(ctx: OperationContext, request: ActionRequest): Promise<OperationResult> {
  switch (request.operation) {
    case 'create':
      return create(ctx, request)
    case 'reset':
      return reset(ctx, request)
    case 'get':
      return get(ctx, request)
    case 'update':
      return update(ctx, request)
    case 'delete':
      return remove(ctx, request)
    case 'list':
      return list(ctx, request)
  }
}

/**
 * Every backend of the list, at most max-parallel at a time, one failure not stopping the
 * others. Writes also wait for ARM's write budget (see write-budget.ts).
 */
async function runMany(
  batch: BatchRequest,
  contextFor: (r: ActionRequest) => OperationContext,
  deadline: Deadline,
  secrets: Secrets
): Promise<ItemResult[]> {
  const limit = pLimit(batch.maxParallel)
  const results: (ItemResult | undefined)[] = batch.items.map(() => undefined)
  deadline.progress = () => {
    const finished = results.filter((r) => r !== undefined).length
    return {
      done: [`sign in`, `${finished} of ${batch.items.length} backends (see the results output)`],
      notDone: [`${batch.items.length - finished} backends`]
    }
  }
  core.info(
    `${batch.operation} for ${batch.items.length} backends, at most ${batch.maxParallel} at a time.`
  )
  await Promise.all(
    batch.items.map((item, i) =>
      limit(async () => {
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
          const r = await runOne(contextFor(item), item)
          results[i] = {
            'backend-id': id,
            result: r.result,
            error: null,
            ...(r.resetAt ? { 'reset-at': r.resetAt } : {})
          }
          core.info(`${id}: ${r.result}`)
        } catch (e) {
          const error = secrets.redact(e instanceof Error ? e.message : String(e))
          results[i] = { 'backend-id': id, result: 'failed', error }
          core.error(`${id}: ${error}`)
        }
      })
    )
  )
  return results as ItemResult[]
}
