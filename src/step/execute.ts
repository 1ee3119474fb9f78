// Step 3 of the data flow: sign in and run the plan — one operation, or the same operation on
// each backend of a list. Imported lazily by main.ts (after validation), so bad input never loads
// Azure code. The token request starts first; the APIM SDK and the operation's handler load while
// it is on its way (on real Azure, tens to hundreds of milliseconds) instead of before it.
import pkg from '../../package.json' with { type: 'json' }
import { principalOf } from '../auth-plan.js'
import { signIn } from '../azure/credential.js'
import { Deadline } from '../azure/deadline.js'
import { ExactBodies } from '../azure/exact-body.js'
import { routeSdkLog } from '../azure/sdk-log.js'
import { pathOf, Traffic, writeLine } from '../azure/traffic.js'
import { specOf, type ActionRequest } from '../operations/registry.js'
import type { OperationContext } from '../operations/shared/context.js'
import { SIGN_IN_STEP } from '../operations/shared/steps.js'
import type { Secrets } from '../secrets.js'
import * as workflow from '../workflow.js'
import { requestsOf, type Executed, type Execution, type Plan } from './plan.js'
import { runBatch } from './run-batch.js'

/** Runs the plan. Never throws: a failure is returned with what was written until then. */
export async function execute(plan: Plan, secrets: Secrets): Promise<Execution> {
  // Every item of a batch shares the step's operation, sign-in, endpoints and limits.
  const requests = requestsOf(plan)
  const first = requests[0]
  const spec = specOf(first)
  routeSdkLog()
  const traffic = new Traffic((attempt) => workflow.info(writeLine(attempt)))
  traffic.failsOnRepeat = requests.map((r) => specOf(r).failsOnRepeat?.(r)).find(Boolean)
  const deadline = new Deadline(first.limits.timeoutMs, traffic)
  const trace = runTrace()
  let executed: Executed | undefined
  let error: unknown
  try {
    deadline.plan(SIGN_IN_STEP, ...(plan.kind === 'single' ? spec.steps(first) : []))
    deadline.start(SIGN_IN_STEP)
    const signing = signIn(first.auth, first.endpoints, secrets, deadline)
    // Handled below; this keeps an early failure from counting as unhandled meanwhile.
    signing.catch(() => undefined)
    // The SDK's client and the handler load while the token request is on its way: one after
    // the other (loading is CPU work either way, and jest's module linker mishandles two
    // overlapping graphs loaded at once).
    const { createClient } = await import('../azure/client.js')
    const handler = await spec.load()
    const { credential, candidate } = await signing
    deadline.done(SIGN_IN_STEP)
    const bodies = new ExactBodies()
    const client = createClient(credential, {
      subscriptionId: first.target.subscriptionId,
      endpoints: first.endpoints,
      limits: first.limits,
      deadline,
      traffic,
      secrets,
      userAgentPrefix: trace.userAgent,
      extraPolicies: [bodies.policy]
    })
    const contextFor = (r: ActionRequest): OperationContext => ({
      client,
      bodies,
      target: r.target,
      secrets,
      traffic,
      deadline,
      principal: principalOf(candidate)
    })
    executed =
      plan.kind === 'single'
        ? { kind: 'single', result: await handler(contextFor(first), first) }
        : {
            kind: 'batch',
            results: await runBatch(
              plan.batch,
              (item) => handler(contextFor(item), item),
              deadline,
              secrets
            )
          }
  } catch (e) {
    error = e
  } finally {
    deadline.dispose()
  }
  const writes = traffic.writes().map((w) => ({ ...w, path: pathOf(w.url) }))
  return { executed, error, writes, runLink: trace.runLink }
}

/** The repository and run, for the user agent (so Azure's logs point back here) and the summary. */
function runTrace(): { userAgent: string; runLink?: string } {
  const { repository, runId, serverUrl } = workflow.runnerContext()
  const userAgent = [
    `apim-backend-action/${pkg.version}`,
    repository && `(${repository}; run ${runId})`
  ]
    .filter(Boolean)
    .join(' ')
  const runLink =
    repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined
  return { userAgent, runLink }
}
