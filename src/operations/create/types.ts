// operation: create — its request, as its rules build it and its handler takes it.
import type { BackendContract } from '@azure/arm-apimanagement'
import type { IfExists } from '../../catalog.js'
import type { RequestBase } from '../spec.js'

export interface CreateRequest extends RequestBase {
  operation: 'create'
  backend: BackendContract
  ifExists: IfExists
  whatIf: boolean
  /** A pool's members (ARM ids), checked to exist before the write. */
  poolMembers?: string[]
}

export const RESULTS = [
  'created',
  'replaced',
  'unchanged',
  'would-create',
  'would-replace'
] as const

export type CreateResult = (typeof RESULTS)[number]
