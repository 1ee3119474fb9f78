// Step 4a: the step outputs. They never contain a masked value (the runner drops a job output
// that does), so secrets are replaced by *** and ids are never masked.
import * as core from './workflow.js'
import { redactBackend } from './azure/backend-json.js'
import type { ItemResult } from './azure/execute.js'
import type { OperationResult } from './operations/context.js'
import type { Secrets } from './secrets.js'

export function writeOutputs(result: OperationResult, backendId: string, secrets: Secrets): void {
  const json = (v: unknown) => secrets.redact(JSON.stringify(v))
  if (result.backend) core.setOutput('backend', json(redactBackend(result.backend)))
  if (backendId) core.setOutput('backend-id', backendId)
  if (result.etag) core.setOutput('etag', result.etag)
  core.setOutput('result', result.result)
  if (result.resetAt) core.setOutput('reset-at', result.resetAt)
  if (result.changes) core.setOutput('changes', json(result.changes.map((c) => c.path)))
  if (result.backends) core.setOutput('backends', json(result.backends.map(redactBackend)))
}

/** Many backends: one `results` list, written even when some failed. */
export function writeBatchOutputs(results: ItemResult[], secrets: Secrets): void {
  core.setOutput('results', secrets.redact(JSON.stringify(results)))
}
