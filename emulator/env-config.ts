// Emulator settings from environment variables, for the CLI and the demo (ApimEmulator.start()
// itself never reads the environment, so tests stay deterministic):
//   APIM_EMULATOR_LATENCY_MS  milliseconds every answer waits, e.g. 50
//   APIM_EMULATOR_THROTTLE    1 / true: ARM's default buckets; 0 / false / empty: off; or JSON
//                             {"writes":{"burst":5,"refillPerSecond":1},"reads":{…}}
//   APIM_EMULATOR_FAULTS      JSON list of faults, each as injectFault() takes it but with
//                             `path` a regular expression source string (optional `flags`):
//                             [{"method":"PUT","path":"/backends/b1$","status":429,"times":2}]
//   APIM_EMULATOR_HEALTH      JSON object of health endpoints (/health/<name>), each a list of
//                             answers as setHealth() takes them: {"orders":[503,503,200]}
//   APIM_EMULATOR_WORKSPACES  the service's workspaces (default one, team-a): ids separated by
//                             commas (team-a,team-b), or a JSON list of ids or of objects
//                             {"id","displayName","description"}; [] for none
//   APIM_EMULATOR_WORKSPACE_ONLY  a workspace id: the principal's role is granted on that
//                             workspace of the service only (every other ARM request: 403)
import { checkFault, FAULT_KINDS } from './faults.js'
import { checkHealthAnswers, HealthAnswer } from './health.js'
import { isObject } from './http.js'
import {
  BucketOptions,
  EmulatorOptions,
  EmulatorWorkspace,
  Fault,
  FaultKind,
  ThrottleOptions
} from './types.js'

export const ENV_LATENCY = 'APIM_EMULATOR_LATENCY_MS'
export const ENV_THROTTLE = 'APIM_EMULATOR_THROTTLE'
export const ENV_FAULTS = 'APIM_EMULATOR_FAULTS'
export const ENV_HEALTH = 'APIM_EMULATOR_HEALTH'
export const ENV_WORKSPACES = 'APIM_EMULATOR_WORKSPACES'
export const ENV_WORKSPACE_ONLY = 'APIM_EMULATOR_WORKSPACE_ONLY'

/** Reads the APIM_EMULATOR_* variables; throws an Error naming the variable on a bad value. */
export function optionsFromEnv(
  env: NodeJS.ProcessEnv
): Partial<EmulatorOptions> & { faults?: Fault[] } {
  const options: Partial<EmulatorOptions> & { faults?: Fault[] } = {}
  const latency = env[ENV_LATENCY]?.trim()
  if (latency) {
    const ms = Number(latency)
    if (!Number.isFinite(ms) || ms < 0) {
      throw new Error(`${ENV_LATENCY} must be a number of milliseconds >= 0, not '${latency}'`)
    }
    options.latencyMs = ms
  }
  const throttle = parseThrottle(env[ENV_THROTTLE]?.trim())
  if (throttle) options.throttle = throttle
  const faults = env[ENV_FAULTS]?.trim()
  if (faults) options.faults = parseFaults(faults)
  const health = env[ENV_HEALTH]?.trim()
  if (health) options.health = parseHealth(health)
  const workspaces = env[ENV_WORKSPACES]?.trim()
  if (workspaces) options.workspaces = parseWorkspaces(workspaces)
  const only = env[ENV_WORKSPACE_ONLY]?.trim()
  if (only) {
    if (!WORKSPACE_ID.test(only)) {
      throw new Error(`${ENV_WORKSPACE_ONLY} must be a workspace id, not '${only}'`)
    }
    options.workspaceOnly = only
  }
  return options
}

const WORKSPACE_ID = /^[^/?#,\s"[\]{}]{1,80}$/

function parseWorkspaces(text: string): EmulatorWorkspace[] {
  const value: unknown = text.startsWith('[')
    ? parseJson(ENV_WORKSPACES, text)
    : text.split(',').map((id) => id.trim())
  if (!Array.isArray(value)) throw new Error(`${ENV_WORKSPACES} must be ids or a JSON list`)
  return value.map((item, i) => {
    const where = `${ENV_WORKSPACES}[${i}]`
    const w: unknown = typeof item === 'string' ? { id: item } : item
    if (!isObject(w)) throw new Error(`${where} must be an id or an object with an id`)
    for (const key of Object.keys(w)) {
      if (!['id', 'displayName', 'description'].includes(key)) {
        throw new Error(`${where}: unknown key '${key}' (expected id, displayName, description)`)
      }
    }
    if (typeof w.id !== 'string' || !WORKSPACE_ID.test(w.id)) {
      throw new Error(`${where}.id must be a workspace id (1 to 80 characters, no / ? #)`)
    }
    for (const key of ['displayName', 'description'] as const) {
      if (w[key] !== undefined && typeof w[key] !== 'string') {
        throw new Error(`${where}.${key} must be a string`)
      }
    }
    return w as unknown as EmulatorWorkspace
  })
}

function parseHealth(text: string): Record<string, HealthAnswer[]> {
  const value = parseJson(ENV_HEALTH, text)
  if (!isObject(value)) {
    throw new Error(`${ENV_HEALTH} must be a JSON object of lists, e.g. {"orders":[503,200]}`)
  }
  const result: Record<string, HealthAnswer[]> = {}
  for (const [name, answers] of Object.entries(value)) {
    if (!name) throw new Error(`${ENV_HEALTH}: a health endpoint needs a name`)
    result[name] = checkHealthAnswers(answers, `${ENV_HEALTH}.${name}`)
  }
  return result
}

function parseThrottle(text: string | undefined): ThrottleOptions | undefined {
  if (!text || /^(0|false|no|off)$/i.test(text)) return undefined
  if (/^(1|true|yes|on)$/i.test(text)) return {}
  const value = parseJson(ENV_THROTTLE, text)
  if (!isObject(value)) throw new Error(`${ENV_THROTTLE} must be 1, true or a JSON object`)
  const result: ThrottleOptions = {}
  for (const [key, bucket] of Object.entries(value)) {
    if (key !== 'writes' && key !== 'reads') {
      throw new Error(`${ENV_THROTTLE}: unknown key '${key}' (expected writes, reads)`)
    }
    result[key] = parseBucket(`${ENV_THROTTLE}.${key}`, bucket)
  }
  return result
}

function parseBucket(where: string, value: unknown): BucketOptions {
  if (!isObject(value)) throw new Error(`${where} must be {"burst": n, "refillPerSecond": n}`)
  const { burst, refillPerSecond } = value
  if (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1) {
    throw new Error(`${where}.burst must be a number of at least 1`)
  }
  if (
    typeof refillPerSecond !== 'number' ||
    !Number.isFinite(refillPerSecond) ||
    refillPerSecond <= 0
  ) {
    throw new Error(`${where}.refillPerSecond must be a positive number`)
  }
  return { burst, refillPerSecond }
}

const FAULT_KEYS = new Set([
  'method',
  'path',
  'flags',
  'status',
  'code',
  'message',
  'headers',
  'times',
  'body',
  'kind',
  'delayMs'
])

function parseFaults(text: string): Fault[] {
  const value = parseJson(ENV_FAULTS, text)
  if (!Array.isArray(value)) throw new Error(`${ENV_FAULTS} must be a JSON array of faults`)
  return value.map((item, i) => {
    const where = `${ENV_FAULTS}[${i}]`
    if (!isObject(item)) throw new Error(`${where} must be an object`)
    for (const key of Object.keys(item)) {
      if (!FAULT_KEYS.has(key)) throw new Error(`${where}: unknown key '${key}'`)
    }
    const str = (key: string): string | undefined => {
      const v = item[key]
      if (v !== undefined && typeof v !== 'string')
        throw new Error(`${where}.${key} must be a string`)
      return v
    }
    const num = (key: string): number | undefined => {
      const v = item[key]
      if (v !== undefined && typeof v !== 'number')
        throw new Error(`${where}.${key} must be a number`)
      return v
    }
    const fault: Fault = {}
    const method = str('method')
    if (method !== undefined) fault.method = method
    const path = str('path')
    if (path !== undefined) {
      try {
        fault.path = new RegExp(path, str('flags'))
      } catch (error) {
        throw new Error(`${where}.path is not a regular expression: ${(error as Error).message}`)
      }
    }
    const status = num('status')
    if (status !== undefined) fault.status = status
    const code = str('code')
    if (code !== undefined) fault.code = code
    const message = str('message')
    if (message !== undefined) fault.message = message
    if (item.headers !== undefined) {
      const headers = item.headers
      if (!isObject(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
        throw new Error(`${where}.headers must be an object of strings`)
      }
      fault.headers = headers as Record<string, string>
    }
    const times = num('times')
    if (times !== undefined) fault.times = times
    if (item.body !== undefined) fault.body = item.body
    const kind = str('kind')
    if (kind !== undefined) {
      if (!FAULT_KINDS.includes(kind as FaultKind)) {
        throw new Error(`${where}.kind must be one of ${FAULT_KINDS.join(', ')}`)
      }
      fault.kind = kind as FaultKind
    }
    const delayMs = num('delayMs')
    if (delayMs !== undefined) fault.delayMs = delayMs
    if (item.properties !== undefined) fault.properties = item.properties as Fault['properties']
    checkFault(fault, where)
    return fault
  })
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${(error as Error).message}`)
  }
}
