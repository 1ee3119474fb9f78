// Step 4a: the step outputs. They hold no secret field's value: each is replaced by *** at its
// place in the JSON (secret-fields.ts), never by searching for its text, so ids, names and every
// other field stay byte for byte as Azure sent them, whatever a secret's value. The batch
// `results` carry free text (errors), redacted when each was made.
import * as core from './workflow.js'
import { redactBackend } from './azure/backend-json.js'
import type { ItemResult } from './azure/execute.js'
import type { OperationResult } from './operations/context.js'

export function writeOutputs(result: OperationResult, backendId: string): void {
  if (result.backend) core.setOutput('backend', JSON.stringify(redactBackend(result.backend)))
  if (backendId) core.setOutput('backend-id', backendId)
  if (result.etag) core.setOutput('etag', result.etag)
  core.setOutput('result', result.result)
  if (result.resetAt) core.setOutput('reset-at', result.resetAt)
  if (result.changes) core.setOutput('changes', JSON.stringify(result.changes.map((c) => c.path)))
  if (result.backends)
    core.setOutput('backends', JSON.stringify(result.backends.map(redactBackend)))
}

/** Many backends: one `results` list, written even when some failed. */
export function writeBatchOutputs(results: ItemResult[]): void {
  core.setOutput('results', JSON.stringify(results))
}
