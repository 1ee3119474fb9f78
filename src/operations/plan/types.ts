// operation: plan — its request, as its rules build it and its handler takes it.
import type { DesiredBackend, RequestBase } from '../spec.js'

export interface PlanRequest extends RequestBase {
  operation: 'plan'
  /** The backends file, item by item, in its order. */
  desired: DesiredBackend[]
  /** The service's backends the file does not name would be deleted (else: not-in-file). */
  prune: boolean
  /** Fail the step, after its outputs, when the plan would write anything (drift on a schedule). */
  failOnChanges: boolean
  /** Where to save the plan for apply (an absolute path inside the workspace). */
  planFile?: string
}

export const RESULTS = ['planned'] as const

export type PlanResult = (typeof RESULTS)[number]
