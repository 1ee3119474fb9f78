// Step 4a: the step outputs. They hold no secret field's value: each is replaced by *** at its
// place in the JSON (secret-fields.ts), never by searching for its text, so ids, names and every
// other field stay byte for byte as Azure sent them, whatever a secret's value. The batch
// `results` carry free text (errors), redacted when each was made.
import * as workflow from './workflow.js'
import { redactBackend } from './azure/backend-json.js'
import type { ItemResult } from './step/plan.js'
import type { OperationResult } from './operations/shared/context.js'

export function writeOutputs(result: OperationResult, backendId: string): void {
  if (result.backend) workflow.setOutput('backend', JSON.stringify(redactBackend(result.backend)))
  if (backendId) workflow.setOutput('backend-id', backendId)
  if (result.etag) workflow.setOutput('etag', result.etag)
  workflow.setOutput('result', result.result)
  if (result.resetAt) workflow.setOutput('reset-at', result.resetAt)
  if (result.changes)
    workflow.setOutput('changes', JSON.stringify(result.changes.map((c) => c.path)))
  // The operation's own (previous, health, backends, …), made by the operation.
  for (const [name, value] of Object.entries(result.outputs ?? {})) workflow.setOutput(name, value)
}

/** Many backends: one `results` list, written even when some failed. */
export function writeBatchOutputs(results: ItemResult[]): void {
  // Each item's changed fields as their paths, as a single step's `changes` output has them.
  const entries = results.map(({ changes, ...r }) =>
    changes ? { ...r, changes: changes.map((c) => c.path) } : r
  )
  workflow.setOutput('results', JSON.stringify(entries))
}
