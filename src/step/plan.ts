// What a step will do, once its inputs are valid: one operation on one backend, or one operation
// on each backend of a list (`backends`). A value, told apart by `kind`.
import type { ActionRequest } from '../operations/registry.js'
import type { OperationResult } from '../operations/shared/context.js'
import type { Change } from '../operations/shared/diff.js'
import type { BatchRequest } from './build-batch.js'

export type Plan =
  { kind: 'single'; request: ActionRequest } | { kind: 'batch'; batch: BatchRequest }

/** One backend of a `backends` step. */
export interface ItemResult {
  'backend-id': string
  result: string
  error: string | null
  'reset-at'?: string
  /** With what-if: what the write would change (the results output has the paths). */
  changes?: Change[]
}

export type Executed =
  { kind: 'single'; result: OperationResult } | { kind: 'batch'; results: ItemResult[] }

/** A write the step sent, for the correlation ids a support ticket needs. */
export interface WriteRecord {
  method: string
  /** The part of the path after the service, e.g. /backends/orders/reconnect. */
  path: string
  status?: number
  correlationId?: string
}

/** What the step did: its result or its error, and in either case the writes and the run. */
export interface Execution {
  executed?: Executed
  error?: unknown
  writes: WriteRecord[]
  runLink?: string
}

/** The requests of a plan: one, or every item's. */
export function requestsOf(plan: Plan): ActionRequest[] {
  return plan.kind === 'single' ? [plan.request] : plan.batch.items
}
