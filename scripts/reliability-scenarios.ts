// Fault scenarios: each injects faults into the emulator, runs the action as a workflow step
// would (debug logging on), and judges the outcome, the emulator's final state and the leaks.
// The jest suite (__tests__/reliability/reliability.test.ts) asserts every row;
// `npm run test:reliability` prints them as a table (scripts/reliability.ts).
import { DEFAULT_SERVICE, type ApimEmulator } from '../emulator/server.js'
import { findLeaks, type Outcome } from './outcome.js'
import { runInProcess } from './run-in-process.js'
import { emulatorInputs } from './runner.js'

const { subscriptionId: SUB, resourceGroup: RG, serviceName: SERVICE } = DEFAULT_SERVICE
const TARGET = { 'subscription-id': SUB, 'resource-group': RG, 'service-name': SERVICE }

export interface Scenario {
  name: string
  /** The faults, as the table shows them. */
  faults: string
  setup?: (emulator: ApimEmulator) => void
  inputs: Record<string, string>
  /** Expected: success with this result, or a failure whose line matches. */
  expect: { result: string } | { failure: RegExp }
  /** The emulator's state afterwards is what the inputs asked for (or left alone). */
  finalState: (emulator: ApimEmulator) => boolean
  /** Counts toward "concurrent-change cases caught". */
  concurrentChange?: boolean
}

export interface Row {
  scenario: string
  faults: string
  requests: number
  outcome: string
  asExpected: boolean
  stateCorrect: boolean
  leaks: number
  ms: number
  failure?: string
}

const SECRET_PARAM = 'reliability-basic-4711'
const SECRET_HEADER = 'reliability-key-4711'
const SECRET_PROXY = 'reliability-proxy-4711'
export const SECRETS = [SECRET_PARAM, SECRET_HEADER, SECRET_PROXY]

const CREATE = {
  operation: 'create',
  ...TARGET,
  'backend-id': 'orders',
  url: 'https://orders.example.com/v2',
  protocol: 'http',
  title: 'Orders',
  'backend-credentials': `authorization: {scheme: Basic, parameter: ${SECRET_PARAM}}\nheader: {x-api-key: ${SECRET_HEADER}}`,
  proxy: `url: http://proxy.example.com:3128\nusername: svc\npassword: ${SECRET_PROXY}`
}
const ASKED = {
  url: 'https://orders.example.com/v2',
  protocol: 'http',
  title: 'Orders',
  credentials: {
    authorization: { scheme: 'Basic', parameter: SECRET_PARAM },
    header: { 'x-api-key': [SECRET_HEADER] }
  },
  proxy: { url: 'http://proxy.example.com:3128', username: 'svc', password: SECRET_PROXY }
}
const OLD = { url: 'https://orders.example.com/v1', protocol: 'http', title: 'Orders (old)' }
const RESET = { operation: 'reset', ...TARGET, 'backend-id': 'orders', 'time-until-reset': '30' }

const PUT = /\/backends\/orders$/
const GET = PUT
const stored = (e: ApimEmulator) => e.getBackend(SUB, RG, SERVICE, 'orders')?.contract.properties
const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, sortKeys(x)])
    )
  return v
}
const holdsAsked = (e: ApimEmulator) => same(stored(e), ASKED)
const absent = (e: ApimEmulator) => stored(e) === undefined
const seedOld = (e: ApimEmulator) => {
  e.putBackend(SUB, RG, SERVICE, 'orders', OLD)
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'create, 429 with Retry-After: 1 (seconds)',
    faults: '1× 429 Retry-After: 1 on PUT',
    setup: (e) =>
      e.injectFault({
        method: 'PUT',
        path: PUT,
        status: 429,
        code: 'TooManyRequests',
        message: 'Throttled.',
        headers: { 'Retry-After': '1' }
      }),
    inputs: CREATE,
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: 'create, 429 with retry-after-ms',
    faults: '2× 429 retry-after-ms: 50 on PUT',
    setup: (e) =>
      e.injectFault({
        method: 'PUT',
        path: PUT,
        status: 429,
        code: 'TooManyRequests',
        message: 'Throttled.',
        headers: { 'retry-after-ms': '50' },
        times: 2
      }),
    inputs: CREATE,
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: 'create, 429 without Retry-After (the SDK alone gives up)',
    faults: '2× 429, no Retry-After, on PUT',
    setup: (e) =>
      e.injectFault({
        method: 'PUT',
        path: PUT,
        status: 429,
        code: 'TooManyRequests',
        message: 'Throttled.',
        times: 2
      }),
    inputs: CREATE,
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: 'create, 500 then 502 then 504',
    faults: '500, 502, 504 on GET',
    setup: (e) => {
      for (const status of [500, 502, 504])
        e.injectFault({
          method: 'GET',
          path: GET,
          status,
          code: 'InternalServerError',
          message: 'Boom.'
        })
    },
    inputs: CREATE,
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: 'create, 503 that never clears',
    faults: '4× 503 Retry-After: 0 on PUT',
    setup: (e) =>
      e.injectFault({
        method: 'PUT',
        path: PUT,
        status: 503,
        code: 'ServiceUnavailable',
        message: 'Unavailable.',
        headers: { 'Retry-After': '0' },
        times: 4
      }),
    inputs: CREATE,
    expect: { failure: /HTTP 503 ServiceUnavailable: .*retried 3 times/ },
    finalState: absent
  },
  {
    name: 'create, Retry-After longer than max-wait-seconds',
    faults: '1× 429 Retry-After: 600 on PUT',
    setup: (e) =>
      e.injectFault({
        method: 'PUT',
        path: PUT,
        status: 429,
        code: 'TooManyRequests',
        message: 'Throttled.',
        headers: { 'Retry-After': '600' }
      }),
    inputs: CREATE,
    expect: {
      failure:
        /Azure asked to wait 600 s before retrying \(Retry-After\), longer than max-wait-seconds allows/
    },
    finalState: absent
  },
  {
    name: 'create, connection dropped mid-response after the PUT was applied',
    faults: 'PUT applied, then the connection cut',
    setup: (e) => e.injectFault({ method: 'PUT', path: PUT, kind: 'drop-after-apply' }),
    inputs: CREATE,
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: 'replace, connection dropped after the PUT was applied (the retry meets a new ETag)',
    faults: 'PUT applied, then the connection cut',
    setup: (e) => {
      seedOld(e)
      e.injectFault({ method: 'PUT', path: PUT, kind: 'drop-after-apply' })
    },
    inputs: { ...CREATE, 'if-exists': 'replace' },
    expect: { result: 'replaced' },
    finalState: holdsAsked
  },
  {
    name: 'create, connection dropped before the GET was answered',
    faults: '1× dropped GET',
    setup: (e) => e.injectFault({ method: 'GET', path: GET, kind: 'drop' }),
    inputs: CREATE,
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: 'create, an answer slower than request-timeout-seconds',
    faults: 'PUT answered after 2.5 s; timeout 1 s',
    setup: (e) => e.injectFault({ method: 'PUT', path: PUT, kind: 'slow', delayMs: 2500 }),
    inputs: { ...CREATE, 'request-timeout-seconds': '1' },
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: 'create, the whole step slower than timeout-seconds',
    faults: 'every answer 1.5 s late; timeout-seconds 1',
    setup: (e) => e.setLatency(1500),
    inputs: { ...CREATE, 'timeout-seconds': '1' },
    expect: {
      failure:
        /^Timed out after 1 s \(timeout-seconds\) while .*Done: .*Not done: .*writing the backend/
    },
    finalState: () => true
  },
  {
    name: 'create, the token endpoint fails once',
    faults: '1× 503 from the Entra token endpoint',
    setup: (e) =>
      e.injectFault({
        method: 'POST',
        path: /oauth2\/v2\.0\/token/,
        status: 503,
        body: {
          error: 'temporarily_unavailable',
          error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
          error_codes: [90033]
        }
      }),
    inputs: CREATE,
    expect: { result: 'created' },
    finalState: holdsAsked
  },
  {
    name: "reset with new settings under ARM's write throttling (token bucket)",
    faults: 'write bucket of 1, refill 2/s: PATCH + POST',
    setup: (e) => {
      seedOld(e)
      e.setThrottle({ writes: { burst: 1, refillPerSecond: 2 } })
    },
    inputs: { ...RESET, url: 'https://orders.example.com/v3' },
    expect: { result: 'reset-requested' },
    finalState: (e) => stored(e)?.url === 'https://orders.example.com/v3' && e.throttledCount() > 0
  },
  {
    name: 'replace, someone else changed the backend between the read and the write',
    faults: 'backend changed after the GET',
    setup: (e) => {
      seedOld(e)
      e.changeBackendAfterNextGet('orders')
    },
    inputs: { ...CREATE, 'if-exists': 'replace' },
    expect: {
      failure:
        /^Replacing backend 'orders' failed: HTTP 412 .*backend 'orders' was changed by someone else/
    },
    finalState: (e) => !same(stored(e), ASKED) && stored(e)?.url === OLD.url,
    concurrentChange: true
  },
  {
    name: 'reset with new settings, someone else changed the backend after the read',
    faults: 'backend changed after the GET',
    setup: (e) => {
      seedOld(e)
      e.changeBackendAfterNextGet('orders')
    },
    inputs: { ...RESET, url: 'https://orders.example.com/v3' },
    expect: {
      failure: /^Updating backend 'orders' \(url\) failed: HTTP 412 .*changed by someone else/
    },
    finalState: (e) => stored(e)?.url === OLD.url,
    concurrentChange: true
  },
  {
    name: 'reset with new settings, PATCH applied but the answer lost',
    faults: 'PATCH applied, then the connection cut',
    setup: (e) => {
      seedOld(e)
      e.injectFault({ method: 'PATCH', path: PUT, kind: 'drop-after-apply' })
    },
    inputs: { ...RESET, url: 'https://orders.example.com/v3' },
    expect: { result: 'reset-requested' },
    finalState: (e) => stored(e)?.url === 'https://orders.example.com/v3'
  },
  {
    name: 'replace with nothing to change',
    faults: 'none',
    setup: (e) => {
      e.putBackend(SUB, RG, SERVICE, 'orders', ASKED)
    },
    inputs: { ...CREATE, 'if-exists': 'replace' },
    expect: { result: 'unchanged' },
    finalState: (e) => holdsAsked(e) && !e.armRequests().some((r) => r.method === 'PUT')
  }
]

export async function runScenario(
  s: Scenario,
  emulator: ApimEmulator
): Promise<{ row: Row; outcome: Outcome }> {
  emulator.reset()
  emulator.setLatency(0)
  emulator.setThrottle(undefined)
  s.setup?.(emulator)
  const started = performance.now()
  const outcome = await runInProcess(
    { ...s.inputs, ...emulatorInputs(emulator).signIn },
    { APIM_BACKEND_ACTION_RETRY_DELAY_MS: '20' }
  ).catch((e: Error): Outcome => ({
    outputs: {},
    stdout: '',
    stderr: String(e),
    summary: '',
    failure: `harness: ${e.message}`
  }))
  const ms = Math.round(performance.now() - started)
  // Let a slow answer the action gave up on finish, so it is counted and does not bleed over.
  await new Promise((r) => setTimeout(r, 50))
  const asExpected =
    'result' in s.expect
      ? outcome.failure === undefined && outcome.outputs.result === s.expect.result
      : outcome.failure !== undefined && s.expect.failure.test(outcome.failure)
  const row: Row = {
    scenario: s.name,
    faults: s.faults,
    requests: emulator.requests.length,
    outcome: outcome.failure ? 'failed (as a clear error)' : `ok: ${outcome.outputs.result}`,
    asExpected,
    stateCorrect: s.finalState(emulator),
    leaks: findLeaks(outcome, SECRETS).length,
    ms,
    failure: outcome.failure
  }
  if (outcome.failure && !asExpected) row.outcome = 'failed (unexpected)'
  return { row, outcome }
}

export function table(rows: Row[]): string {
  const head = [
    'scenario',
    'faults injected',
    'requests',
    'outcome',
    'final state correct',
    'secrets leaked',
    'ms'
  ]
  const body = rows.map((r) => [
    r.scenario,
    r.faults,
    String(r.requests),
    r.asExpected ? r.outcome : `✗ ${r.outcome}`,
    r.stateCorrect ? 'yes' : 'NO',
    String(r.leaks),
    String(r.ms)
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line)
  ].join('\n')
}
