// What the run did, gathered as it goes, for the job summary (written even when the step fails).

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
  runLink?: string
  portalLink?: string
  /** The writes sent, for the correlation ids a support ticket needs. */
  writes?: { method: string; path: string; status?: number; correlationId?: string }[]
}
