// What the run did, gathered as it goes, for the job summary (written even when the step fails).

import type { ItemResult } from './azure/execute.js'
import type { Change } from './operations/diff.js'

export interface Report {
  operation?: string
  service?: string
  backendId?: string
  url?: string
  protocol?: string
  result?: string
  resetAt?: string
  etag?: string
  error?: string
  /** What the write changed, or (what-if) would change. */
  changes?: Change[]
  whatIf?: boolean
  /** list: how many backends. */
  count?: number
  /** Many backends: each one's result. */
  items?: ItemResult[]
  runLink?: string
  portalLink?: string
  /** The writes sent, for the correlation ids a support ticket needs. */
  writes?: { method: string; path: string; status?: number; correlationId?: string }[]
}
