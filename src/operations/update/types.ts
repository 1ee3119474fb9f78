// operation: update — its request, as its rules build it and its handler takes it.
import type { BackendUpdateParameters } from '@azure/arm-apimanagement'
import type { RequestBase } from '../spec.js'

export interface UpdateRequest extends RequestBase {
  operation: 'update'
  /** Only the given fields, PATCHed with the current ETag. */
  updates: BackendUpdateParameters
  whatIf: boolean
  poolMembers?: string[]
}

export const RESULTS = ['updated', 'unchanged', 'would-update'] as const

export type UpdateResult = (typeof RESULTS)[number]
