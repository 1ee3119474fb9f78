// Step 3 of the data flow: sign in, build the ARM client and run the operation. This module is
// imported lazily (after validation), so bad input never loads Azure or @actions/github code.
import * as core from '@actions/core'
import { context } from '@actions/github'
import type { ActionRequest } from '../request.js'
import type { Secrets } from '../secrets.js'
import { create, createSteps } from '../operations/create.js'
import { reset, resetSteps } from '../operations/reset.js'
import type { OperationResult } from '../operations/context.js'
import { createClient } from './client.js'
import { principalOf } from '../auth-plan.js'
import { signIn } from './credential.js'
import { Deadline } from './deadline.js'
import { Traffic } from './traffic.js'
import type { Report } from '../report.js'

const VERSION = '0.1.0'

export async function execute(
  request: ActionRequest,
  secrets: Secrets,
  report: Report
): Promise<OperationResult> {
  const trace = runTrace()
  report.runLink = trace.runLink
  const deadline = new Deadline(request.limits.timeoutMs)
  const traffic = new Traffic()
  try {
    deadline.plan(
      'sign in',
      ...(request.operation === 'create' ? createSteps() : resetSteps(request))
    )
    deadline.start('sign in')
    const { credential, candidate } = await signIn(
      request.auth,
      request.endpoints,
      secrets,
      deadline
    )
    deadline.done('sign in')
    const client = createClient(credential, {
      subscriptionId: request.target.subscriptionId,
      endpoints: request.endpoints,
      limits: request.limits,
      deadline,
      traffic,
      secrets,
      userAgentPrefix: trace.userAgent
    })
    const ctx = {
      client,
      target: request.target,
      secrets,
      traffic,
      deadline,
      principal: principalOf(candidate)
    }
    return request.operation === 'create' ? await create(ctx, request) : await reset(ctx, request)
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
