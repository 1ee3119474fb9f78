// What the run did, gathered as it goes, for the job summary (written even when the step fails).
import type { Attempt } from './azure/traffic.js'

export interface Report {
  operation?: string
  backendId?: string
  url?: string
  protocol?: string
  result?: string
  resetAt?: string
  etag?: string
  error?: string
  runLink?: string
  portalLink?: string
  traffic?: { writes(): Attempt[] }
}
