// operation: delete — its request, as its rules build it and its handler takes it.
import type { IfMissing } from '../../catalog.js'
import type { RequestBase } from '../spec.js'

export interface DeleteRequest extends RequestBase {
  operation: 'delete'
  ifMissing: IfMissing
  whatIf: boolean
}

export const RESULTS = ['deleted', 'absent', 'would-delete'] as const

export type DeleteResult = (typeof RESULTS)[number]
