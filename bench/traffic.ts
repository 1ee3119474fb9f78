// What the emulator saw during one run of the action, and per-request latency.
import type { ApimEmulator, RecordedRequest } from '../src/emulator/server.js'

/** Per-request byte counts, when the emulator records them (added concurrently to the emulator). */
type MaybeSized = RecordedRequest & { requestBytes?: unknown; responseBytes?: unknown }

export interface RunTraffic {
  /** Entra token endpoint POSTs */
  token: number
  /** /subscriptions/... requests */
  arm: number
  /** everything else, e.g. the OpenID configuration MSAL reads before the token */
  other: number
  /** every request is one HTTPS round trip */
  roundTrips: number
  /** bytes sent to / received from the emulator; undefined when it does not record them */
  requestBytes?: number
  responseBytes?: number
  lines: string[]
}

const isToken = (r: RecordedRequest) =>
  r.method === 'POST' && /\/oauth2\/v2\.0\/token$/i.test(r.path)
const isArm = (r: RecordedRequest) => r.path.toLowerCase().startsWith('/subscriptions/')

/** Marks where a run starts in emulator.requests; `since()` then counts what came after. */
export function mark(emulator: ApimEmulator): { since(): RunTraffic } {
  const start = emulator.requests.length
  return { since: () => traffic(emulator.requests.slice(start)) }
}

export function traffic(requests: readonly RecordedRequest[]): RunTraffic {
  const token = requests.filter(isToken).length
  const arm = requests.filter(isArm).length
  const sized = requests as readonly MaybeSized[]
  const sum = (key: 'requestBytes' | 'responseBytes') =>
    sized.every((r) => typeof r[key] === 'number')
      ? sized.reduce((n, r) => n + (r[key] as number), 0)
      : undefined
  return {
    token,
    arm,
    other: requests.length - token - arm,
    roundTrips: requests.length,
    requestBytes: sum('requestBytes'),
    responseBytes: sum('responseBytes'),
    lines: requests.map((r) => `${r.method} ${r.path} -> ${r.status}`)
  }
}

type LatencyCapable = { setLatency?: unknown }
type Handler = (req: unknown, res: unknown) => Promise<void>
type ShimCapable = { onRequest?: unknown }

/**
 * Sets the emulator's per-request latency. Uses `emulator.setLatency(ms)` when the emulator has
 * it; until then a bench-only shim delays the emulator's (private) request handler, which the
 * server's listener looks up on the instance for every request. Returns how it was applied, or
 * undefined when neither is possible (the latency cases are then skipped).
 */
export function setLatency(emulator: ApimEmulator, ms: number): 'emulator' | 'shim' | undefined {
  const capable = emulator as unknown as LatencyCapable
  if (typeof capable.setLatency === 'function') {
    ;(capable.setLatency as (ms: number) => void).call(emulator, ms)
    return 'emulator'
  }
  const shimmed = emulator as unknown as ShimCapable & { __benchOriginal?: Handler }
  const original =
    shimmed.__benchOriginal ??
    (typeof shimmed.onRequest === 'function' ? (shimmed.onRequest as Handler) : undefined)
  if (!original) return undefined
  shimmed.__benchOriginal = original
  shimmed.onRequest =
    ms > 0
      ? async (req: unknown, res: unknown) => {
          await new Promise((done) => setTimeout(done, ms))
          return original.call(emulator, req, res)
        }
      : original
  return 'shim'
}
