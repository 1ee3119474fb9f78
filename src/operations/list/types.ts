// operation: list — its request, as its rules build it and its handler takes it.
import type { RequestBase } from '../spec.js'

export interface ListRequest extends RequestBase {
  operation: 'list'
  /** An OData $filter, passed as given. */
  filter?: string
}

export const RESULTS = ['listed'] as const

export type ListResult = (typeof RESULTS)[number]
