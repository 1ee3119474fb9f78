// operation: reset — its request, as its rules build it and its handler takes it.
import type { BackendUpdateParameters } from '@azure/arm-apimanagement'
import type { RequestBase } from '../spec.js'

export interface ResetRequest extends RequestBase {
  operation: 'reset'
  /** Fields to PATCH before the reconnect; undefined when none were given. */
  updates?: BackendUpdateParameters
  /** Seconds until the reconnect; undefined sends no body (the service default, 2 minutes). */
  afterSeconds?: number
  /** Wait until the reconnect is due before the step ends (a deployment gate). */
  wait: boolean
  whatIf: boolean
}

export const RESULTS = ['reset-requested', 'would-reset'] as const

export type ResetResult = (typeof RESULTS)[number]
