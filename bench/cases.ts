// The cases the bench times: what each one runs and what it must do to count.
import { DEFAULT_SERVICE, type ApimEmulator } from '../emulator/server.js'
import { emulatorInputs } from '../scripts/runner.js'
import type { ActionResult, ActionRunner, CompileCache } from './child.js'
import { MANY_SECRETS, SECRETS_SERVICE, seedManySecrets } from './many-secrets.js'
import { mark, setLatency, type RunTraffic } from './traffic.js'
import { PLAN_BACKENDS, PLAN_SERVICE, plan500File, seedPlan500 } from './plan-500.js'

export const LATENCY_MS = 100

export type CaseKey =
  | 'bare'
  | 'badInput'
  | 'create'
  | 'createWarm'
  | 'reset'
  | 'manySecrets'
  | 'plan500'
  | 'apply500'
  | 'createLatency'
  | 'plan500Latency'

export interface Case {
  key: CaseKey
  label: string
  /** one timed run; its time and, for the action, what it sent */
  run(): Promise<{ ms: number; traffic?: RunTraffic }>
  /** one untimed run under GNU time: peak RSS in bytes */
  rss(): Promise<number | undefined>
}

/** A case that does not do what it should is an error, not a fast case. */
function expect(ok: boolean, what: string, result: ActionResult): void {
  if (!ok) {
    throw new Error(
      `${what} (exit ${result.code}): ${result.failure ?? ''}\n${result.stdout}\n${result.stderr}`
    )
  }
}

export function defineCases(
  emulator: ApimEmulator,
  runner: ActionRunner
): {
  cases: Case[]
  common: Record<string, string>
  canDelay: boolean
  /** the inputs of the timed create, for a backend id not used yet */
  createInputs: (id: string) => Record<string, string>
} {
  const { target, signIn } = emulatorInputs(emulator)
  const common = { ...target, ...signIn }
  // The demo's create: credentials and a proxy, so masking and YAML parsing are in the time.
  const createInputs = (id: string): Record<string, string> => ({
    operation: 'create',
    ...common,
    'backend-id': id,
    url: 'https://orders.internal.example.com/api',
    protocol: 'http',
    title: 'Orders API',
    'backend-credentials':
      'authorization:\n  scheme: Basic\n  parameter: b3JkZXJzOnMzY3JldA==\nheader:\n  x-api-key: bench-api-key-123',
    proxy:
      'url: http://proxy.internal.example.com:3128\nusername: svc-apim\npassword: bench-proxy-password'
  })
  const badInputs = { ...createInputs('bench-bad'), protocol: 'https' }
  const resetId = 'bench-reset'
  emulator.putBackend(
    DEFAULT_SERVICE.subscriptionId,
    DEFAULT_SERVICE.resourceGroup,
    DEFAULT_SERVICE.serviceName,
    resetId,
    { url: 'https://reset.internal.example.com/api', protocol: 'http' }
  )
  const resetInputs = {
    operation: 'reset',
    ...common,
    'backend-id': resetId,
    'time-until-reset': '30'
  }

  seedManySecrets(emulator)
  const manySecretsInputs = {
    operation: 'list',
    ...common,
    'service-name': SECRETS_SERVICE.serviceName,
    'timeout-seconds': String(MANY_SECRETS.timeoutSeconds)
  }
  const debug = { RUNNER_DEBUG: '1' }

  seedPlan500(emulator)
  const planInputs = {
    operation: 'plan',
    ...common,
    'service-name': PLAN_SERVICE.serviceName,
    protocol: 'http',
    backends: plan500File(),
    'fail-on-changes': 'true'
  }
  const timedPlan = async () => {
    const at = mark(emulator)
    const result = await runner.run(planInputs)
    const unchanged = result.outputs.results
      ? (JSON.parse(result.outputs.results) as { result: string }[]).filter(
          (r) => r.result === 'unchanged'
        ).length
      : 0
    expect(
      result.code === 0 && result.outputs['has-changes'] === 'false' && unchanged === PLAN_BACKENDS,
      `plan of ${PLAN_BACKENDS} unchanged backends failed`,
      result
    )
    return { ms: result.ms, traffic: at.since(result.spawnedAt) }
  }
  // apply of the same file: nothing to write, so the same requests as the plan.
  const applyInputs = { ...planInputs, operation: 'apply' }
  delete (applyInputs as Record<string, string>)['fail-on-changes']
  const timedApply = async () => {
    const at = mark(emulator)
    const result = await runner.run(applyInputs)
    expect(
      result.code === 0 && result.outputs['has-changes'] === 'false',
      `apply of ${PLAN_BACKENDS} unchanged backends failed`,
      result
    )
    return { ms: result.ms, traffic: at.since(result.spawnedAt) }
  }

  let serial = 0
  let primed = false
  const newId = (prefix: string) => `${prefix}-${++serial}`
  const timedCreate = async (prefix: string, cache: CompileCache = 'cold') => {
    const at = mark(emulator)
    const result = await runner.run(createInputs(newId(prefix)), { cache })
    expect(result.code === 0 && result.outputs.result === 'created', 'create failed', result)
    return { ms: result.ms, traffic: at.since(result.spawnedAt) }
  }
  const withLatency = async <T>(fn: () => Promise<T>): Promise<T> => {
    setLatency(emulator, LATENCY_MS)
    try {
      return await fn()
    } finally {
      setLatency(emulator, 0)
    }
  }

  const cases: Case[] = [
    {
      key: 'bare',
      label: 'bare node -e 0',
      run: async () => {
        const result = await runner.bare()
        if (result.code !== 0) throw new Error(`node -e 0 failed: ${result.stderr}`)
        return { ms: result.ms }
      },
      rss: () => runner.rssOfBare()
    },
    {
      key: 'badInput',
      label: 'bad input (protocol https)',
      run: async () => {
        const at = mark(emulator)
        const result = await runner.run(badInputs)
        const traffic = at.since(result.spawnedAt)
        expect(
          result.code === 1 && /protocol/.test(result.failure ?? '') && traffic.roundTrips === 0,
          'bad input did not fail at validation, before any request',
          result
        )
        return { ms: result.ms, traffic }
      },
      rss: () => runner.rssOfAction(badInputs)
    },
    {
      key: 'create',
      label: 'create, first in the job (cold)',
      run: () => timedCreate('bench-create'),
      rss: () => runner.rssOfAction(createInputs(newId('bench-rss')))
    },
    {
      key: 'createWarm',
      label: 'create, again in the job (warm)',
      run: async () => {
        // The job's first run, untimed, fills the compile cache under RUNNER_TEMP.
        if (!primed) {
          primed = true
          await timedCreate('bench-prime', 'warm')
        }
        return timedCreate('bench-warm', 'warm')
      },
      rss: () => runner.rssOfAction(createInputs(newId('bench-rss')), 'warm')
    },
    {
      key: 'reset',
      label: 'reset (time-until-reset 30)',
      run: async () => {
        const at = mark(emulator)
        const result = await runner.run(resetInputs)
        expect(
          result.code === 0 && result.outputs.result === 'reset-requested',
          'reset failed',
          result
        )
        return { ms: result.ms, traffic: at.since(result.spawnedAt) }
      },
      rss: () => runner.rssOfAction(resetInputs)
    },
    {
      key: 'manySecrets',
      label: `list, ${MANY_SECRETS.backends * MANY_SECRETS.headers} secrets, debug log`,
      run: async () => {
        const at = mark(emulator)
        const result = await runner.run(manySecretsInputs, { env: debug })
        const listed = result.outputs.backends ? JSON.parse(result.outputs.backends).length : 0
        expect(
          result.code === 0 &&
            result.outputs.result === 'listed' &&
            listed === MANY_SECRETS.backends,
          `list of ${MANY_SECRETS.backends} backends with ${MANY_SECRETS.headers} header values each failed`,
          result
        )
        return { ms: result.ms, traffic: at.since(result.spawnedAt) }
      },
      rss: () => runner.rssOfAction(manySecretsInputs, 'cold', debug)
    },
    {
      key: 'plan500',
      label: `plan, ${PLAN_BACKENDS} backends unchanged`,
      run: timedPlan,
      rss: () => runner.rssOfAction(planInputs)
    },
    {
      key: 'apply500',
      label: `apply, ${PLAN_BACKENDS} backends unchanged`,
      run: timedApply,
      rss: () => runner.rssOfAction(applyInputs)
    }
  ]
  // Latency on for this case only, so it can be interleaved with the others.
  const canDelay = setLatency(emulator, 0)
  if (canDelay) {
    cases.push({
      key: 'createLatency',
      label: `create, ${LATENCY_MS} ms latency`,
      run: () => withLatency(() => timedCreate('bench-latency')),
      rss: () => withLatency(() => runner.rssOfAction(createInputs(newId('bench-rss'))))
    })
    cases.push({
      key: 'plan500Latency',
      label: `plan, ${PLAN_BACKENDS} backends, ${LATENCY_MS} ms latency`,
      run: () => withLatency(timedPlan),
      rss: () => withLatency(() => runner.rssOfAction(planInputs))
    })
  }
  return { cases, common, canDelay, createInputs }
}
