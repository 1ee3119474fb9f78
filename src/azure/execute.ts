// Step 3 of the data flow: sign in, build the ARM client and run the operation. This module is
// imported lazily (after validation), so bad input never loads Azure or @actions/github code.
import * as core from '@actions/core'
import { context } from '@actions/github'
import pLimit from 'p-limit'
import type { BatchRequest } from '../batch-request.js'
import type { ActionRequest } from '../request.js'
import type { Secrets } from '../secrets.js'
import { create, createSteps } from '../operations/create.js'
import { reset, resetSteps } from '../operations/reset.js'
import type { OperationContext, OperationResult } from '../operations/context.js'
import { createClient } from './client.js'
import { principalOf } from '../auth-plan.js'
import { signIn } from './credential.js'
import { Deadline } from './deadline.js'
import { Traffic } from './traffic.js'
import type { Report } from '../report.js'

const VERSION = '0.1.0'

export type Executed =
  { kind: 'single'; result: OperationResult } | { kind: 'batch'; results: ItemResult[] }

/** One backend of a `backends` step. */
export interface ItemResult {
  'backend-id': string
  result: OperationResult['result'] | 'failed'
  error: string | null
  'reset-at'?: string
}

export async function execute(
  request: ActionRequest | BatchRequest,
  secrets: Secrets,
  report: Report
): Promise<Executed> {
  const trace = runTrace()
  report.runLink = trace.runLink
  // Every item of a batch shares the step's sign-in, endpoints and limits.
  const first = 'items' in request ? request.items[0] : request
  const deadline = new Deadline(first.limits.timeoutMs)
  const traffic = new Traffic()
  try {
    deadline.plan('sign in', ...('items' in request ? [] : stepsOf(request)))
    deadline.start('sign in')
    const { credential, candidate } = await signIn(first.auth, first.endpoints, secrets, deadline)
    deadline.done('sign in')
    const client = createClient(credential, {
      subscriptionId: first.target.subscriptionId,
      endpoints: first.endpoints,
      limits: first.limits,
      deadline,
      traffic,
      secrets,
      userAgentPrefix: trace.userAgent
    })
    const contextFor = (r: ActionRequest): OperationContext => ({
      client,
      target: r.target,
      secrets,
      traffic,
      deadline,
      principal: principalOf(candidate)
    })
    if (!('items' in request)) {
      return { kind: 'single', result: await runOne(contextFor(request), request) }
    }
    return { kind: 'batch', results: await runMany(request, contextFor, deadline, secrets) }
  } finally {
    deadline.dispose()
    report.writes = traffic.writes().map((w) => ({ ...w, path: pathOf(w.url) }))
    for (const w of report.writes) {
      core.info(
        `${w.method} ${w.path} -> ${w.status ?? 'no answer'}; x-ms-correlation-request-id: ${w.correlationId}`
      )
    }
  }
}

function stepsOf(request: ActionRequest): string[] {
  return request.operation === 'create' ? createSteps() : resetSteps(request)
}

function runOne(ctx: OperationContext, request: ActionRequest): Promise<OperationResult> {
  return request.operation === 'create' ? create(ctx, request) : reset(ctx, request)
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

/** The repository and run, for the user agent (so Azure's logs point back here) and the summary. */
function runTrace(): { userAgent: string; runLink?: string } {
  const repo = process.env.GITHUB_REPOSITORY
    ? `${context.repo.owner}/${context.repo.repo}`
    : undefined
  const runId = context.runId
  const userAgent = [`apim-backend-action/${VERSION}`, repo && `(${repo}; run ${runId})`]
    .filter(Boolean)
    .join(' ')
  const runLink = repo && runId ? `${context.serverUrl}/${repo}/actions/runs/${runId}` : undefined
  return { userAgent, runLink }
}

/** The part of the path after the service, e.g. /backends/orders/reconnect. */
function pathOf(url: string): string {
  const path = new URL(url).pathname
  return /\/service\/[^/]+(\/.*)$/i.exec(path)?.[1] ?? path
}
