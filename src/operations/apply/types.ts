// operation: apply — its request, as its rules build it and its handler takes it.
import type { Change } from '../shared/diff.js'
import type { SavedPlan } from '../shared/saved-plan.js'
import type { DesiredBackend, RequestBase } from '../spec.js'

export interface ApplyRequest extends RequestBase {
  operation: 'apply'
  /** The backends file, item by item, in its order. */
  desired: DesiredBackend[]
  /** The service's backends the file does not name are deleted (else: left, not-in-file). */
  prune: boolean
  /** Writes at a time. */
  maxParallel: number
  /** A plan saved by `plan` (plan-file): applied as it is, with no listing. */
  saved?: { plan: SavedPlan; file: string }
}

export const RESULTS = ['applied'] as const
export type ApplyResult = (typeof RESULTS)[number]

/** What became of one backend. */
export const APPLY_RESULTS = [
  'created',
  'replaced',
  'deleted',
  'unchanged',
  'not-in-file',
  'failed'
] as const
export type ApplyItemResult = (typeof APPLY_RESULTS)[number]

export interface ApplyRow {
  backendId: string
  result: ApplyItemResult
  changes: Change[]
  /** Why it failed (failed only), redacted. */
  error?: string
}
