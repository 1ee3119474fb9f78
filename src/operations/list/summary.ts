// operation: list — its part of the job summary: how many backends, and each one in brief (its
// id, where it sends requests, and how), up to LISTED_ROWS rows.
import { backendIdOf, type ArmBackend } from '../../azure/backend-json.js'
import { redactUrl } from '../../secret-fields.js'
import type { SummaryPart } from '../shared/context.js'

/** Rows of the backends table; a service with more is summed up in one line. */
export const LISTED_ROWS = 100

export function listSummary(backends: ArmBackend[]): SummaryPart[] {
  const parts: SummaryPart[] = [{ row: 'Backends listed', value: String(backends.length) }]
  if (backends.length === 0) return parts
  const more = backends.length - LISTED_ROWS
  parts.push({
    head: ['Backend id', 'URL or pool', 'Protocol'],
    rows: backends.slice(0, LISTED_ROWS).map((b) => {
      const { id, url, pool, protocol } = brief(b)
      return [
        { code: id },
        pool ? `pool: ${pool.join(', ')}` : url ? redactUrl(url) : '–',
        protocol ?? '–'
      ]
    }),
    note:
      more > 0
        ? `… and ${more} more (${backends.length} in all); the backends output has every one.`
        : undefined
  })
  return parts
}

/** A backend in brief, from Azure's answer read defensively: anything of another shape is left out. */
function brief(b: ArmBackend): { id: string; url?: string; pool?: string[]; protocol?: string } {
  const p = b.properties ?? {}
  const lastPart = (id: unknown) =>
    typeof id === 'string' ? id.slice(id.lastIndexOf('/') + 1) : ''
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
  const services = (p.pool as { services?: unknown } | null | undefined)?.services
  return {
    id: backendIdOf(b),
    url: text(p.url),
    pool: Array.isArray(services)
      ? services.map((m) => lastPart((m as { id?: unknown } | null)?.id))
      : undefined,
    protocol: text(p.protocol)
  }
}
