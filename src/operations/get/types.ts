// operation: get — its request, as its rules build it and its handler takes it.
import type { IfMissing } from '../../catalog.js'
import type { RequestBase } from '../spec.js'

export interface GetRequest extends RequestBase {
  operation: 'get'
  ifMissing: IfMissing
}

export const RESULTS = ['found', 'absent'] as const

export type GetResult = (typeof RESULTS)[number]
