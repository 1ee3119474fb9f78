// What the emulator saw during one run of the action, and per-request latency.
import type { ApimEmulator, RecordedRequest } from '../emulator/server.js'

/** Byte counts are read defensively: they were added to the emulator while the bench was written. */
type MaybeSized = Omit<RecordedRequest, 'requestBytes' | 'responseBytes'> & {
  requestBytes?: unknown
  responseBytes?: unknown
}

export interface RunTraffic {
  /** Entra token endpoint POSTs */
  token: number
  /** /subscriptions/... requests */
  arm: number
  /** everything else, e.g. the OpenID configuration MSAL reads before the token */
  other: number
  /** every request is one HTTPS round trip */
  roundTrips: number
  /** body bytes received from / sent to the action; undefined when the emulator does not count */
  requestBytes?: number
  responseBytes?: number
  /** short names of the requests in order, e.g. 'openid-config', 'token', 'GET backend' */
  names: string[]
  /** when each request arrived, in ms after the action's process was spawned */
  arrivals: number[]
  lines: string[]
}

const isToken = (r: MaybeSized) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/i.test(r.path)
const isArm = (r: MaybeSized) => r.path.toLowerCase().startsWith('/subscriptions/')

/** Marks where a run starts in emulator.requests; `since()` then describes what came after. */
export function mark(emulator: ApimEmulator): { since(spawnedAt: number): RunTraffic } {
  const start = emulator.requests.length
  return { since: (spawnedAt) => traffic(emulator.requests.slice(start), spawnedAt) }
}

/** `spawnedAt`: Date.now() at spawn, the clock of the records' `at`. */
export function traffic(requests: readonly MaybeSized[], spawnedAt: number): RunTraffic {
  const token = requests.filter(isToken).length
  const arm = requests.filter(isArm).length
  const sum = (key: 'requestBytes' | 'responseBytes') =>
    requests.every((r) => typeof r[key] === 'number')
      ? requests.reduce((n, r) => n + (r[key] as number), 0)
      : undefined
  return {
    token,
    arm,
    other: requests.length - token - arm,
    roundTrips: requests.length,
    requestBytes: sum('requestBytes'),
    responseBytes: sum('responseBytes'),
    names: requests.map(shortName),
    arrivals: requests.map((r) => r.at - spawnedAt),
    lines: requests.map((r) => `${r.method} ${r.path} -> ${r.status}`)
  }
}

function shortName(r: MaybeSized): string {
  if (isToken(r)) return 'token'
  const path = r.path.toLowerCase()
  if (path.endsWith('/openid-configuration')) return 'openid-config'
  if (isArm(r)) {
    const what = path.endsWith('/reconnect')
      ? 'reconnect'
      : /\/backends\/[^/]+$/.test(path)
        ? 'backend'
        : 'ARM'
    return `${r.method} ${what}`
  }
  return `${r.method} ${path.split('/').pop() ?? ''}`
}

type LatencyCapable = { setLatency?: unknown }

/**
 * Sets the emulator's per-request latency (every answer waits `ms` before it is written) with
 * `emulator.setLatency(ms)`. Returns false when the emulator has no setLatency; the latency
 * cases are then skipped, not faked.
 */
export function setLatency(emulator: ApimEmulator, ms: number): boolean {
  const capable = emulator as unknown as LatencyCapable
  if (typeof capable.setLatency !== 'function') return false
  ;(capable.setLatency as (ms: number) => void).call(emulator, ms)
  return true
}
