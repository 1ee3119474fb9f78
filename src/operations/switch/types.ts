// operation: switch — its request, as its rules build it and its handler takes it.
import type { BackendUpdateParameters } from '@azure/arm-apimanagement'
import type { RequestBase } from '../spec.js'
import type { StatusRanges } from './status-ranges.js'

/** The health gate: what is probed, how often, how long, and what counts as good. */
export interface HealthGate {
  url: string
  /** Header name → value; every value is a secret. */
  headers: Record<string, string>
  accept: StatusRanges
  successes: number
  intervalMs: number
  timeoutMs: number
}

export interface SwitchRequest extends RequestBase {
  operation: 'switch'
  /** The new deployment: url, and optionally protocol, credentials, proxy. */
  updates: BackendUpdateParameters
  /** Seconds until the reconnect; undefined sends no body (the service default, 2 minutes). */
  afterSeconds?: number
  health: HealthGate
  rollback: boolean
  whatIf: boolean
}

export const RESULTS = [
  'switched',
  'rolled-back',
  'unhealthy',
  'unchanged',
  'would-switch'
] as const

export type SwitchResult = (typeof RESULTS)[number]

/** The `health` output: what the probes of a health gate saw. */
export interface HealthOutput {
  healthy: boolean
  attempts: number
  /** Good answers in a row at the end. */
  good: number
  lastStatus?: number
  lastError?: string
  seconds: number
  /** Each attempt, compact: "503 12ms, 200 8ms, …" (for the summary). */
  timeline: string
}
