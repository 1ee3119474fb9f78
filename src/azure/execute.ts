// Step 3 of the data flow: sign in and run the operation. Imported lazily (after validation),
// so bad input never loads Azure or @actions/github code. The token request starts first; the
// APIM SDK loads while it is on its way (on real Azure, tens to hundreds of
// milliseconds), instead of before it.
import * as core from '../workflow.js'
// @actions/github's own Context class, imported from its module file rather than the package
// entry: the entry also builds an Octokit client (≈ 0.5 MB with its HTTP stack, ≈ 25 ms of CPU
// per run, measured) that this action never uses. The path is pinned with the package's major.
import { Context } from '../../node_modules/@actions/github/lib/context.js'
import type { BatchRequest } from '../batch-request.js'
import type { ActionRequest } from '../request.js'
import type { Secrets } from '../secrets.js'
import type { OperationResult } from '../operations/context.js'
import { stepsOf } from '../operations/steps.js'
import { principalOf } from '../auth-plan.js'
import { signIn } from './credential.js'
import { routeSdkLog } from './sdk-log.js'
import { Deadline, pathOf } from './deadline.js'
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
  // Every item of a batch shares the step's sign-in, endpoints and limits.
  const first = 'items' in request ? request.items[0] : request
  routeSdkLog()
  const traffic = new Traffic()
  traffic.failsOnRepeat = failsOnRepeat('items' in request ? request.items : [request])
  const deadline = new Deadline(first.limits.timeoutMs, traffic)
  try {
    deadline.plan('sign in', ...('items' in request ? [] : stepsOf(first)))
    deadline.start('sign in')
    const signing = signIn(first.auth, first.endpoints, secrets, deadline)
    // Handled below; this keeps an early failure from counting as unhandled meanwhile.
    signing.catch(() => undefined)
    const operations = await import('./run-operations.js')
    const trace = runTrace(new Context())
    report.runLink = trace.runLink
    const { credential, candidate } = await signing
    deadline.done('sign in')
    return await operations.runOperations(request, {
      credential,
      principal: principalOf(candidate),
      deadline,
      traffic,
      secrets,
      userAgentPrefix: trace.userAgent
    })
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
function runTrace(context: Context): { userAgent: string; runLink?: string } {
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

/** The setting under which a re-run fails once this step's write was applied (see traffic.ts). */
function failsOnRepeat(requests: ActionRequest[]): Traffic['failsOnRepeat'] {
  const writes = requests.filter((r) => !('whatIf' in r && r.whatIf))
  if (writes.some((r) => r.operation === 'create' && r.ifExists === 'fail'))
    return { setting: 'if-exists: fail', instead: 'if-exists: skip' }
  if (writes.some((r) => r.operation === 'delete' && r.ifMissing === 'fail'))
    return { setting: 'if-missing: fail', instead: 'if-missing: ignore' }
  return undefined
}
