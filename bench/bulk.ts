// ---------------------------------------------------------------------------------------------
// 200 backends, 20 ms latency: parallel (max-parallel 8, the default) vs one at a time
// (max-parallel 1).
//
// Written ahead of the `backends` input: it runs only when action.yml declares `backends`, and
// assumes that input takes a YAML/JSON list of items with the same keys as the step's backend
// inputs (`backend-id`, `url`, `protocol`, ...) and that `max-parallel` bounds the concurrent
// writes (default 8). Until then the bench prints why it skipped this section.
// ---------------------------------------------------------------------------------------------
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { DEFAULT_SERVICE, type ApimEmulator } from '../emulator/server.js'
import type { ActionRunner } from './child.js'
import { summarize, type Summary } from './stats.js'
import { mark, setLatency, type RunTraffic } from './traffic.js'

export const BULK_COUNT = 200
export const BULK_LATENCY_MS = 20

export interface BulkResult {
  count: number
  latencyMs: number
  runs: number
  parallel: { maxParallel: number; ms: Summary; traffic: RunTraffic }
  sequential: { maxParallel: number; ms: Summary; traffic: RunTraffic }
  /** sequential median / parallel median */
  speedup: number
}

export type BulkOutcome = { skipped: string } | BulkResult

/** The input names action.yml declares. */
export function actionInputs(file = 'action.yml'): string[] {
  const doc = parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, unknown> }
  return Object.keys(doc.inputs ?? {})
}

export async function benchBulk(
  runner: ActionRunner,
  emulator: ApimEmulator,
  common: Record<string, string>,
  runs: number
): Promise<BulkOutcome> {
  const declared = actionInputs()
  if (!declared.includes('backends')) {
    return { skipped: 'action.yml has no `backends` input yet' }
  }
  if (!setLatency(emulator, BULK_LATENCY_MS)) {
    return { skipped: 'the emulator cannot add latency' }
  }
  try {
    const samples = { parallel: [] as number[], sequential: [] as number[] }
    const last: Partial<Record<'parallel' | 'sequential', RunTraffic>> = {}
    // Interleaved: one parallel and one sequential run per round, so drift hits both alike.
    for (let round = 0; round < runs; round++) {
      for (const mode of ['parallel', 'sequential'] as const) {
        const maxParallel = mode === 'parallel' ? 8 : 1
        const ids = Array.from({ length: BULK_COUNT }, (_, i) => `bulk-${mode}-${round}-${i}`)
        const backends = ids.map((id) => ({
          'backend-id': id,
          url: `https://${id}.internal.example.com/api`,
          protocol: 'http'
        }))
        const at = mark(emulator)
        const result = await runner.run({
          ...common,
          operation: 'create',
          backends: JSON.stringify(backends),
          'max-parallel': String(maxParallel)
        })
        if (result.code !== 0) {
          throw new Error(`bulk ${mode} create failed: ${result.failure ?? result.stderr}`)
        }
        const missing = ids.filter(
          (id) =>
            !emulator.getBackend(
              DEFAULT_SERVICE.subscriptionId,
              DEFAULT_SERVICE.resourceGroup,
              DEFAULT_SERVICE.serviceName,
              id
            )
        )
        if (missing.length) throw new Error(`bulk ${mode}: ${missing.length} backends missing`)
        samples[mode].push(result.ms)
        last[mode] = at.since(result.spawnedAt)
      }
    }
    const parallel = summarize(samples.parallel)
    const sequential = summarize(samples.sequential)
    return {
      count: BULK_COUNT,
      latencyMs: BULK_LATENCY_MS,
      runs,
      parallel: { maxParallel: 8, ms: parallel, traffic: last.parallel! },
      sequential: { maxParallel: 1, ms: sequential, traffic: last.sequential! },
      speedup: sequential.median / parallel.median
    }
  } finally {
    setLatency(emulator, 0)
  }
}
