// Scriptable health endpoints for `operation: switch`'s probe: `/health/<name>` (and any path
// under it) answers from the script set for <name>, one answer per request in order, the last
// one repeating. Not an Azure service: it stands for the deployment a backend is switched to.
import { EmuRequest, EmuResponse, JSON_CONTENT_TYPE, isObject } from './http.js'

export const HEALTH_BASE_PATH = '/health'

/** A status, or an answer with more to it. */
export type HealthAnswer =
  | number
  | {
      status: number
      /** the Location header, e.g. for a redirect */
      location?: string
      /** held back this long before it is written (less if the client gives up) */
      delayMs?: number
      headers?: Record<string, string>
      /** the body as sent; default a small JSON document naming the endpoint */
      body?: string
      /** close the connection without answering (status is then only recorded as 0) */
      drop?: boolean
    }

export interface HealthScript {
  /** used in order; the last one repeats */
  answers: readonly HealthAnswer[]
  /**
   * Called as each request to this endpoint arrives, before it is answered, with how many
   * have arrived so far (1 for the first). For races, e.g. another writer changing the
   * backend while it is probed. May return a promise, which is awaited.
   */
  onRequest?: (count: number) => void | Promise<void>
}

/** What the server does with one health request. */
export interface HealthOutcome {
  response: EmuResponse
  delayMs: number
  drop: boolean
}

/** Throws an Error naming `where` when the answers are not a non-empty list of valid answers. */
export function checkHealthAnswers(answers: unknown, where = 'health script'): HealthAnswer[] {
  if (!Array.isArray(answers) || answers.length === 0) {
    throw new Error(`${where} must be a non-empty list of answers (status codes or objects)`)
  }
  return answers.map((answer: unknown, i) => {
    const at = `${where}[${i}]`
    if (typeof answer === 'number') {
      checkStatus(answer, at)
      return answer
    }
    if (!isObject(answer)) throw new Error(`${at} must be a status code or an object`)
    const known = new Set(['status', 'location', 'delayMs', 'headers', 'body', 'drop'])
    for (const key of Object.keys(answer)) {
      if (!known.has(key)) throw new Error(`${at}: unknown key '${key}'`)
    }
    checkStatus(answer.status, `${at}.status`)
    if (answer.location !== undefined && typeof answer.location !== 'string') {
      throw new Error(`${at}.location must be a string`)
    }
    if (
      answer.delayMs !== undefined &&
      (typeof answer.delayMs !== 'number' || !Number.isFinite(answer.delayMs) || answer.delayMs < 0)
    ) {
      throw new Error(`${at}.delayMs must be a number of milliseconds >= 0`)
    }
    if (
      answer.headers !== undefined &&
      (!isObject(answer.headers) ||
        Object.values(answer.headers).some((v) => typeof v !== 'string'))
    ) {
      throw new Error(`${at}.headers must be an object of strings`)
    }
    if (answer.body !== undefined && typeof answer.body !== 'string') {
      throw new Error(`${at}.body must be a string`)
    }
    if (answer.drop !== undefined && typeof answer.drop !== 'boolean') {
      throw new Error(`${at}.drop must be true or false`)
    }
    return answer as HealthAnswer
  })
}

function checkStatus(status: unknown, where: string): void {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new Error(`${where} must be an HTTP status code from 100 to 599`)
  }
}

/** The endpoint name of a /health/<name>[/…] path (decoded), or undefined for other paths. */
export function healthName(path: string): string | undefined {
  if (!path.startsWith(`${HEALTH_BASE_PATH}/`)) return undefined
  const segment = path.slice(HEALTH_BASE_PATH.length + 1).split('/')[0]
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

export function isHealthPath(path: string): boolean {
  return path === HEALTH_BASE_PATH || path.startsWith(`${HEALTH_BASE_PATH}/`)
}

export class HealthEndpoints {
  private readonly scripts = new Map<string, { script: HealthScript; count: number }>()

  set(name: string, script: HealthScript): void {
    if (!name) throw new Error('A health endpoint needs a name')
    const answers = checkHealthAnswers(script.answers, `health script '${name}'`)
    this.scripts.set(name, { script: { ...script, answers }, count: 0 })
  }

  delete(name: string): void {
    this.scripts.delete(name)
  }

  clear(): void {
    this.scripts.clear()
  }

  /** The answer to one request under /health: its script's next answer, or 404. */
  async answer(req: EmuRequest): Promise<HealthOutcome> {
    const name = healthName(req.path)
    const entry = name ? this.scripts.get(name) : undefined
    if (!name || !entry) {
      return {
        response: {
          status: 404,
          headers: { 'content-type': JSON_CONTENT_TYPE },
          body: {
            error: {
              code: 'NotFound',
              message: name
                ? `No health endpoint '${name}': set one with setHealth() or APIM_EMULATOR_HEALTH.`
                : 'Health endpoints are at /health/<name>.'
            }
          }
        },
        delayMs: 0,
        drop: false
      }
    }
    entry.count += 1
    const count = entry.count
    await entry.script.onRequest?.(count)
    const { answers } = entry.script
    const raw = answers[Math.min(count, answers.length) - 1]
    const answer = typeof raw === 'number' ? { status: raw } : raw
    const healthy = answer.status >= 200 && answer.status < 300
    const headers: Record<string, string> = {
      'content-type': answer.body === undefined ? JSON_CONTENT_TYPE : 'text/plain; charset=utf-8',
      ...(answer.location !== undefined ? { location: answer.location } : {}),
      ...answer.headers
    }
    return {
      response: {
        status: answer.status,
        headers,
        body: answer.body ?? { status: healthy ? 'Healthy' : 'Unhealthy', name, answer: count }
      },
      delayMs: answer.delayMs ?? 0,
      drop: answer.drop ?? false
    }
  }
}
