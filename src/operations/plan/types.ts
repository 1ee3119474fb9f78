// operation: plan — its request, as its rules build it and its handler takes it.
import type { Change } from '../shared/diff.js'
import type { DesiredBackend, RequestBase } from '../spec.js'

export interface PlanRequest extends RequestBase {
  operation: 'plan'
  /** The backends file, item by item, in its order. */
  desired: DesiredBackend[]
  /** The service's backends the file does not name would be deleted (else: not-in-file). */
  prune: boolean
  /** Fail the step, after its outputs, when the plan would write anything (drift on a schedule). */
  failOnChanges: boolean
}

export const RESULTS = ['planned'] as const

export type PlanResult = (typeof RESULTS)[number]

/** What the plan says of one backend. */
export const PLAN_RESULTS = [
  'would-create',
  'would-replace',
  'unchanged',
  'would-delete',
  'not-in-file'
] as const
export type PlanItemResult = (typeof PLAN_RESULTS)[number]

/** One backend in the plan. */
export interface PlanRow {
  backendId: string
  result: PlanItemResult
  changes: Change[]
}
