// The health probe of `operation: switch`: plain GETs of the health URL until enough good answers
// in a row, or until the time to keep trying has passed. No Azure code: the request carries the
// user's headers and a User-Agent, never a token of ours. Bodies are never read into memory or
// printed, and the URL is printed without its query and userinfo (either may hold a key).
// One module of about 300 lines: the schedule, one attempt and its redirects share the settings
// and the log line format.
import http from 'node:http'
import https from 'node:https'
import { describeNetworkFailure, originOf } from '../../azure/network-errors.js'
import { accepts, describeRanges, StatusRanges } from './status-ranges.js'

export interface ProbeSettings {
  /** http:// or https:// */
  url: string
  /** sent as given (the user's; values are secrets and never printed) */
  headers: Record<string, string>
  /** the status codes that count as a good answer */
  accept: StatusRanges
  /** good answers in a row needed, at least 1 */
  successes: number
  /** from the start of one attempt to the start of the next */
  intervalMs: number
  /** how long to keep starting attempts, from the probe's start */
  timeoutMs: number
  /** each attempt's limit, from its start to the answer's status line */
  attemptTimeoutMs: number
  /** the step's deadline: the probe stops at once when it aborts */
  signal: AbortSignal
  /** default `apim-backend-action (health probe)`; a User-Agent in `headers` wins */
  userAgent?: string
}

export interface ProbeAttempt {
  /** ms since the probe started */
  at: number
  /** the final answer's status (after same-origin redirects), if there was one */
  status?: number
  /** how long the attempt took */
  ms: number
  /** why the attempt was not good, when it got no accepted status: a one-line phrase */
  error?: string
}

export interface HealthReport {
  healthy: boolean
  attempts: number
  /** good answers in a row at the end */
  good: number
  lastStatus?: number
  lastError?: string
  /** elapsed, rounded to 1 decimal */
  seconds: number
  timeline: ProbeAttempt[]
  /** the signal aborted (the step's deadline): the probe stopped early */
  aborted?: boolean
}

export const DEFAULT_USER_AGENT = 'apim-backend-action (health probe)'
export const MAX_REDIRECTS = 5
/** Node fires a longer timer at once. */
const MAX_TIMER_MS = 2 ** 31 - 1
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** The URL as printed: origin and path, without userinfo, query or fragment. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return 'the health URL'
  }
}

/** `12 ms`, `1.5 s`, `5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${Number((ms / 1000).toFixed(1))} s`
}

/**
 * Probes `settings.url` every `intervalMs` (start to start) until `successes` answers in a row
 * have an accepted status (healthy), or no attempt may start any more because `timeoutMs` has
 * passed (not healthy), or the signal aborts (not healthy, `aborted: true`). Never throws for
 * what the server or the network does; logs one line per attempt.
 */
export async function probeHealth(
  settings: ProbeSettings,
  log: (line: string) => void
): Promise<HealthReport> {
  checkSettings(settings)
  const { signal, successes, intervalMs, timeoutMs } = settings
  const started = Date.now()
  const shownUrl = printableUrl(settings.url)
  const timeline: ProbeAttempt[] = []
  let good = 0
  const report = (healthy: boolean): HealthReport => {
    const last = timeline[timeline.length - 1]
    return {
      healthy,
      attempts: timeline.length,
      good,
      ...(last?.status !== undefined ? { lastStatus: last.status } : {}),
      ...(last?.error !== undefined ? { lastError: last.error } : {}),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      timeline,
      ...(signal.aborted ? { aborted: true } : {})
    }
  }

  let nextStart = started
  for (;;) {
    if (signal.aborted) return report(false)
    const at = Date.now() - started
    const outcome = await attempt(settings)
    const entry: ProbeAttempt = {
      at,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ms: outcome.ms,
      ...(outcome.error !== undefined ? { error: outcome.error } : {})
    }
    timeline.push(entry)
    good = outcome.good ? good + 1 : 0
    log(
      `health: GET ${shownUrl} -> ${outcome.text}${outcome.good ? ` (${good} of ${successes} good in a row)` : ''}`
    )
    if (good >= successes) return report(true)
    if (signal.aborted) return report(false)
    nextStart += intervalMs
    const now = Date.now()
    if (nextStart < now) nextStart = now
    if (nextStart - started >= timeoutMs) return report(false)
    await sleep(nextStart - now, signal)
  }
}

interface Outcome {
  good: boolean
  status?: number
  error?: string
  ms: number
  /** the log line's part after the arrow */
  text: string
}

/** One attempt: a GET, and same-origin redirects while the status is not accepted. */
async function attempt(settings: ProbeSettings): Promise<Outcome> {
  const begun = Date.now()
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, settings.attemptTimeoutMs)
  const onAbort = () => controller.abort()
  settings.signal.addEventListener('abort', onAbort, { once: true })
  const elapsed = () => Date.now() - begun
  try {
    const origin = new URL(settings.url).origin
    let url = settings.url
    for (let hop = 0; ; hop += 1) {
      const { code, location } = await get(url, settings, controller.signal)
      const ms = elapsed()
      const bad = (error: string, text = error): Outcome => ({
        good: false,
        status: code,
        error,
        ms,
        text
      })
      const via = hop > 0 ? ` after ${hop} same-origin redirect${hop > 1 ? 's' : ''}` : ''
      if (accepts(settings.accept, code)) {
        return { good: true, status: code, ms, text: `${code} in ${ms} ms${via}` }
      }
      if (!REDIRECTS.has(code)) {
        const wanted = describeRanges(settings.accept)
        return bad(`${code}, not ${wanted}`, `${code} in ${ms} ms${via} (not ${wanted})`)
      }
      const target = resolve(location, url)
      if (!target) return bad(`${code} without a usable Location, not followed`)
      if (target.origin !== origin) {
        return bad(`${code} to another origin (${target.origin}), not followed`)
      }
      if (hop >= MAX_REDIRECTS) {
        return bad(`${code}: more than ${MAX_REDIRECTS} redirects, not followed further`)
      }
      url = target.href
    }
  } catch (error) {
    const ms = elapsed()
    const text = settings.signal.aborted
      ? `stopped after ${ms} ms: the step's time limit was reached`
      : timedOut
        ? `no answer within ${formatDuration(settings.attemptTimeoutMs)}`
        : failure(error, settings.url)
    return { good: false, error: text, ms, text }
  } finally {
    clearTimeout(timer)
    settings.signal.removeEventListener('abort', onAbort)
  }
}

/** A Location resolved against the URL it answered, if it is an http(s) URL. */
function resolve(location: string | undefined, base: string): URL | undefined {
  if (!location) return undefined
  try {
    const target = new URL(location, base)
    return target.protocol === 'https:' || target.protocol === 'http:' ? target : undefined
  } catch {
    return undefined
  }
}

/**
 * A network failure as a phrase without the origin (the log line shows the URL already), or,
 * for anything else, only the error's code or name: a message may quote a header's value.
 */
function failure(error: unknown, url: string): string {
  const described = describeNetworkFailure(error, url)
  if (described) {
    const prefix = `cannot reach ${originOf(url)}: `
    return described.startsWith(prefix) ? described.slice(prefix.length) : described
  }
  const code = (error as { code?: unknown })?.code
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return `request failed (${code})`
  return `request failed (${error instanceof Error ? error.name : 'unknown error'})`
}

/** One GET: the status and Location of its answer; the body is discarded unread. */
function get(
  url: string,
  settings: ProbeSettings,
  signal: AbortSignal
): Promise<{ code: number; location?: string }> {
  const target = new URL(url)
  // Node would send a URL's user:password as an Authorization header: only `headers` may.
  target.username = ''
  target.password = ''
  const client = target.protocol === 'https:' ? https : http
  const headers: Record<string, string> = {}
  const userHeaders = Object.entries(settings.headers)
  if (!userHeaders.some(([name]) => name.toLowerCase() === 'user-agent')) {
    headers['user-agent'] = settings.userAgent ?? DEFAULT_USER_AGENT
  }
  for (const [name, value] of userHeaders) headers[name] = value
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest
    try {
      req = client.request(target, {
        method: 'GET',
        headers,
        // A new connection each attempt: reaching the deployment is part of its health.
        agent: false,
        signal
      })
    } catch (error) {
      reject(error)
      return
    }
    req.on('error', reject)
    req.once('response', (res) => {
      const code = res.statusCode ?? 0
      const location = res.headers.location
      // The body is never read: discard it and close the connection.
      res.on('error', () => undefined)
      res.destroy()
      req.destroy()
      resolve({ code, ...(location ? { location } : {}) })
    })
    req.end()
  })
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

function checkSettings(s: ProbeSettings): void {
  let url: URL
  try {
    url = new URL(s.url)
  } catch {
    throw new RangeError('The health URL is not an absolute URL.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError('The health URL must be http:// or https://.')
  }
  if (!Number.isInteger(s.successes) || s.successes < 1) {
    throw new RangeError(`successes must be a whole number of at least 1, not ${s.successes}`)
  }
  for (const [name, value] of [
    ['intervalMs', s.intervalMs],
    ['timeoutMs', s.timeoutMs],
    ['attemptTimeoutMs', s.attemptTimeoutMs]
  ] as const) {
    if (!Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
      throw new RangeError(`${name} must be from 0 to ${MAX_TIMER_MS} ms, not ${value}`)
    }
  }
  if (s.attemptTimeoutMs < 1) throw new RangeError('attemptTimeoutMs must be at least 1 ms')
  if (s.accept.length === 0) throw new RangeError('accept must hold at least one status range')
}
