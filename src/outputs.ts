// Step 4a: the step outputs. They never contain a masked value (the runner drops a job output
// that does), so secrets are replaced by *** and ids are never masked.
import * as core from './workflow.js'
import { redactBackend } from './azure/backend-json.js'
import type { ItemResult } from './azure/execute.js'
import type { OperationResult } from './operations/context.js'
import type { Secrets } from './secrets.js'

export function writeOutputs(result: OperationResult, backendId: string, secrets: Secrets): void {
  core.setOutput('backend', secrets.redact(JSON.stringify(redactBackend(result.backend))))
  core.setOutput('backend-id', backendId)
  core.setOutput('etag', result.etag)
  core.setOutput('result', result.result)
  if (result.resetAt) core.setOutput('reset-at', result.resetAt)
}

/** Many backends: one `results` list, written even when some failed. */
export function writeBatchOutputs(results: ItemResult[], secrets: Secrets): void {
  core.setOutput('results', secrets.redact(JSON.stringify(results)))
}
