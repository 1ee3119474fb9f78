// npm run bench: how long the bundled action takes, how much it sends and how much memory and
// disk it needs. It runs dist/index.js as the GitHub runner does (a fresh Node 24 process,
// INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, NODE_EXTRA_CA_CERTS) against the
// in-process emulator on 127.0.0.1, and compares every time with a bare `node -e 0` of the same
// binary measured in the same run. A benchmark, not a test: it fails only when a case does not
// do what it should (a create that does not create is not a fast create).
//
// Cold and warm: the action keeps Node's compile cache in RUNNER_TEMP, which the runner empties
// for every job. Each cold run gets an empty RUNNER_TEMP (the first run of the action in a job);
// the warm case shares one, filled by an untimed run first (the action run again in the job).
//
// One case lists a service whose backends hold 45,600 secrets, with the debug log on
// (bench/many-secrets.ts): it must keep timeout-seconds: 10 within 10%, in every run.
//
// Last, one cold create runs under --cpu-prof, and bench/profile.ts prints where its time goes.
//
// Environment: BENCH_RUNS (default 10) timed runs per case, BENCH_WARMUP (default 2) uncounted
// rounds first, BENCH_RSS_RUNS (default 3) untimed runs per case under GNU time for peak RSS,
// BENCH_BULK_RUNS (default 3) runs of each mode of the 200-backend section, BENCH_PROFILE=0 skips
// the profile.
//
// Order: interleaved. Each round runs every case once, the order rotating by one case per
// round, so slow drift (CPU frequency, page cache, a busy neighbour) spreads over all cases
// instead of landing on whichever block ran last.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { cpus, loadavg, platform, release } from 'node:os'
import { performance } from 'node:perf_hooks'
import { ensureCertificate } from '../emulator/cert.js'
import { ApimEmulator, DEFAULT_SERVICE } from '../emulator/server.js'
import { NODE24 } from '../scripts/runner.js'
import { azPut, fetchToken, onPath } from './az.js'
import { benchBulk, type BulkOutcome } from './bulk.js'
import { defineCases, LATENCY_MS, type CaseKey } from './cases.js'
import { MANY_SECRETS, SECRETS_SERVICE } from './many-secrets.js'
import { PLAN_PAGES, PLAN_SERVICE } from './plan-500.js'
import { ActionRunner, canMeasureRss, TIME_BIN } from './child.js'
import { distSize, type DistSize } from './dist-size.js'
import { printProfile, profileRun, type ProfileSummary } from './profile.js'
import { mb, MIB, ms, round, summarize, type Summary } from './stats.js'
import { check, table } from './table.js'
import type { RunTraffic } from './traffic.js'

const RESULTS = 'bench/results.json'
const GOALS = {
  badInputRatio: 3,
  createRatio: 8,
  createWarmRatio: 6,
  distJsBytes: 2.5 * MIB,
  // The step keeps its time limit within 10%, however many secrets it holds.
  manySecretsMs: MANY_SECRETS.timeoutSeconds * 1000 * 1.1,
  // plan of 500 unchanged backends: less than twice a single create.
  planToCreate: 2
}

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  const n = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`)
  return n
}

const RUNS = intEnv('BENCH_RUNS', 10, 1)
const WARMUP = intEnv('BENCH_WARMUP', 2, 0)
const RSS_RUNS = intEnv('BENCH_RSS_RUNS', 3, 0)
const BULK_RUNS = intEnv('BENCH_BULK_RUNS', 3, 1)
const PROFILE = process.env.BENCH_PROFILE !== '0'

interface CaseResult {
  label: string
  ms: Summary
  /** median / median of bare node */
  ratio: number
  /** min and max / median of bare node */
  ratioMin: number
  ratioMax: number
  peakRssBytes?: number
  traffic?: TrafficSummary
}

/** Requests of the case's runs; `varies` when the runs did not all send the same. */
interface TrafficSummary extends Omit<RunTraffic, 'lines' | 'arrivals'> {
  varies: boolean
  requests: string[]
  /** median arrival of each request at the emulator, ms after spawn (runs that sent `names`) */
  arrivals: number[]
}

function summarizeTraffic(runs: RunTraffic[]): TrafficSummary | undefined {
  if (runs.length === 0) return undefined
  // The most requests any run sent: goals hold for every run, not a typical one.
  const worst = runs.reduce((a, b) => (b.roundTrips > a.roundTrips ? b : a))
  const sequence = (t: RunTraffic) => t.names.join(',')
  const same = runs.filter((t) => sequence(t) === sequence(worst))
  const { lines, ...counts } = worst
  return {
    ...counts,
    varies: new Set(runs.map(sequence)).size > 1,
    requests: lines.map((l) => l.replace(/\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i, '…')),
    arrivals: worst.names.map((_, i) => summarize(same.map((t) => t.arrivals[i])).median)
  }
}

async function main(): Promise<number> {
  const began = performance.now()
  const loadBefore = loadavg()[0]
  if (!existsSync('dist/index.js')) {
    console.error('dist/index.js is missing; run npm run bundle first.')
    return 1
  }
  if (!existsSync(NODE24)) {
    console.error(`Node 24 is missing at ${NODE24}; run npm ci.`)
    return 1
  }
  const nodeVersion = execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim()
  await ensureCertificate('.emulator')
  const emulator = await ApimEmulator.start({
    certDir: '.emulator',
    services: [DEFAULT_SERVICE, SECRETS_SERVICE, PLAN_SERVICE]
  })
  const runner = new ActionRunner(NODE24, emulator.certPath)
  const notes: string[] = []
  try {
    const { cases, common, canDelay, createInputs } = defineCases(emulator, runner)
    if (!canDelay) notes.push('The emulator has no setLatency(ms): the latency case is skipped.')

    // ---- timed runs --------------------------------------------------------------------------
    const samples = new Map<CaseKey, number[]>(cases.map((c) => [c.key, []]))
    const traffics = new Map<CaseKey, RunTraffic[]>(cases.map((c) => [c.key, []]))
    const rounds = WARMUP + RUNS
    for (let round = 0; round < rounds; round++) {
      process.stderr.write(
        `\r${round < WARMUP ? 'warm-up' : 'run'} ${round < WARMUP ? round + 1 : round - WARMUP + 1}/${round < WARMUP ? WARMUP : RUNS}   `
      )
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(i + round) % cases.length]
        const { ms: t, traffic } = await c.run()
        if (round < WARMUP) continue
        samples.get(c.key)!.push(t)
        if (traffic) traffics.get(c.key)!.push(traffic)
      }
    }
    process.stderr.write('\r' + ' '.repeat(30) + '\r')

    // ---- peak RSS (separate, untimed runs; see child.ts) ------------------------------------
    const rss = new Map<CaseKey, number>()
    if (RSS_RUNS > 0 && canMeasureRss()) {
      for (const c of cases) {
        const values: number[] = []
        for (let i = 0; i < RSS_RUNS; i++) {
          const v = await c.rss()
          if (v !== undefined) values.push(v)
        }
        if (values.length) rss.set(c.key, summarize(values).median)
      }
    } else if (RSS_RUNS > 0) {
      notes.push(`${TIME_BIN} (GNU time) not found: peak RSS is n/a.`)
    }

    const bare = summarize(samples.get('bare')!)
    const results = {} as Record<CaseKey, CaseResult>
    for (const c of cases) {
      const s = summarize(samples.get(c.key)!)
      results[c.key] = {
        label: c.label,
        ms: s,
        ratio: s.median / bare.median,
        ratioMin: s.min / bare.median,
        ratioMax: s.max / bare.median,
        peakRssBytes: rss.get(c.key),
        traffic: summarizeTraffic(traffics.get(c.key)!)
      }
    }

    const busy = Math.max(loadBefore, loadavg()[0])
    if (busy > cpus().length / 2) {
      notes.push(
        `The machine was busy (1-minute load average up to ${busy.toFixed(2)} on ${cpus().length} CPUs): ` +
          'absolute times are inflated and noisy; the × node ratios, measured in the same rounds, less so.'
      )
    }
    if (results.create.traffic && results.create.traffic.requestBytes === undefined) {
      notes.push('The emulator does not record requestBytes/responseBytes yet: bytes are n/a.')
    }

    // ---- the Azure CLI doing the same PUT -----------------------------------------------------
    const az = await benchAz(emulator, results.create)

    // ---- 200 backends, parallel vs one at a time ---------------------------------------------
    const bulk = await benchBulk(runner, emulator, common, BULK_RUNS)

    // ---- where a cold create's time goes ------------------------------------------------------
    const profile: ProfileSummary | undefined = PROFILE
      ? await profileRun(runner, createInputs('bench-profile'), 'cold')
      : undefined

    const dist = distSize()
    const latency = results.createLatency && latencyFloor(results)
    const goals = evaluateGoals(results, dist)
    const report = {
      schema: 1,
      date: new Date().toISOString(),
      node: nodeVersion,
      nodePath: NODE24,
      host: {
        platform: platform(),
        release: release(),
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0], 2) }
      },
      runs: RUNS,
      warmup: WARMUP,
      rssRuns: canMeasureRss() ? RSS_RUNS : 0,
      order: 'interleaved, rotating',
      spread: 'min–max',
      cases: roundDeep(results),
      latency: latency && roundDeep(latency),
      az: roundDeep(az),
      bulk: roundDeep(bulk),
      dist,
      profile: profile && roundDeep(profile),
      goals,
      notes,
      benchSeconds: round((performance.now() - began) / 1000, 1)
    }

    const previous = readPrevious()
    print(report, results, dist, latency, az, bulk, goals, notes, profile)
    if (previous) printChange(previous, report)
    writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
    console.log(`\nWrote ${RESULTS}. Bench took ${report.benchSeconds} s.`)
    return 0
  } finally {
    runner.dispose()
    await emulator.stop()
  }
}

// ---- the 100 ms latency case --------------------------------------------------------------------

interface LatencyFloor {
  latencyMs: number
  createMs: number
  roundTrips: number
  /** bad-input median + round trips × latency: no overlap can beat start-up plus the waits */
  floorMs: number
  /** create median without latency + round trips × latency: fully serial */
  serialMs: number
  overFloorMs: number
  /** median arrival of the first request at the emulator, ms after spawn */
  firstRequestMs: number
}

function latencyFloor(results: Record<CaseKey, CaseResult>): LatencyFloor {
  const roundTrips = results.createLatency.traffic?.roundTrips ?? 0
  const createMs = results.createLatency.ms.median
  const floorMs = results.badInput.ms.median + roundTrips * LATENCY_MS
  return {
    latencyMs: LATENCY_MS,
    createMs,
    roundTrips,
    floorMs,
    serialMs: results.create.ms.median + roundTrips * LATENCY_MS,
    overFloorMs: createMs - floorMs,
    firstRequestMs: results.createLatency.traffic?.arrivals[0] ?? NaN
  }
}

// ---- az rest ------------------------------------------------------------------------------------

type AzOutcome = { skipped: string } | { ms: Summary; createOverAz: number }

async function benchAz(emulator: ApimEmulator, create: CaseResult): Promise<AzOutcome> {
  const az = onPath('az')
  if (!az) return { skipped: 'az not installed — skipped' }
  const base =
    `${emulator.url}/subscriptions/${DEFAULT_SERVICE.subscriptionId}` +
    `/resourceGroups/${DEFAULT_SERVICE.resourceGroup}/providers/Microsoft.ApiManagement` +
    `/service/${DEFAULT_SERVICE.serviceName}/backends`
  const properties = { url: 'https://orders.internal.example.com/api', protocol: 'http' }
  const times: number[] = []
  try {
    const token = await fetchToken(emulator)
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t = await azPut(az, emulator, `${base}/bench-az-${i}`, properties, token)
      if (i >= WARMUP) times.push(t)
    }
  } catch (e) {
    // e.g. the test suite's stand-in az, which only answers `az account get-access-token`
    return { skipped: `${az} failed — skipped: ${e instanceof Error ? e.message : String(e)}` }
  }
  const s = summarize(times)
  return { ms: s, createOverAz: create.ms.median / s.median }
}

// ---- goals --------------------------------------------------------------------------------------

interface Goal {
  goal: string
  value: string
  met: boolean
}

function evaluateGoals(results: Record<CaseKey, CaseResult>, dist: DistSize): Goal[] {
  const c = results.create.traffic
  const r = results.reset.traffic
  const p = results.plan500.traffic
  const a = results.apply500.traffic
  return [
    {
      goal: `bad input ≤ ${GOALS.badInputRatio}× bare node`,
      value: `${results.badInput.ratio.toFixed(2)}×`,
      met: results.badInput.ratio <= GOALS.badInputRatio
    },
    {
      goal: `create ≤ ${GOALS.createRatio}× bare node`,
      value: `${results.create.ratio.toFixed(2)}×`,
      met: results.create.ratio <= GOALS.createRatio
    },
    {
      goal: `dist/**/*.js ≤ ${mb(GOALS.distJsBytes)}`,
      value: mb(dist.jsBytes),
      met: dist.jsBytes <= GOALS.distJsBytes
    },
    {
      goal: 'create requests = 1 token + ≤ 2 ARM',
      value: c ? `${c.token} token + ${c.arm} ARM` : 'n/a',
      met: !!c && c.token === 1 && c.arm <= 2
    },
    {
      goal: 'reset requests = 1 token + 2 ARM',
      value: r ? `${r.token} token + ${r.arm} ARM` : 'n/a',
      met: !!r && r.token === 1 && r.arm === 2
    },
    {
      goal: `create again in the job ≤ ${GOALS.createWarmRatio}× bare node`,
      value: `${results.createWarm.ratio.toFixed(2)}×`,
      met: results.createWarm.ratio <= GOALS.createWarmRatio
    },
    {
      goal: `${results.manySecrets.label} (timeout-seconds ${MANY_SECRETS.timeoutSeconds}) ≤ ${ms(GOALS.manySecretsMs)}, every run`,
      value: `slowest ${ms(results.manySecrets.ms.max)}`,
      met: results.manySecrets.ms.max <= GOALS.manySecretsMs
    },
    {
      goal: `plan of 500 < ${GOALS.planToCreate}× create`,
      value: `${(results.plan500.ms.median / results.create.ms.median).toFixed(2)}×`,
      met: results.plan500.ms.median < GOALS.planToCreate * results.create.ms.median
    },
    {
      goal: `plan requests = 1 token + ${PLAN_PAGES} list pages`,
      value: p ? `${p.token} token + ${p.arm} ARM` : 'n/a',
      met: !!p && p.token === 1 && p.arm === PLAN_PAGES
    },
    {
      goal: `apply of 500 unchanged: 1 token + ${PLAN_PAGES} list pages, no write`,
      value: a ? `${a.token} token + ${a.arm} ARM` : 'n/a',
      met: !!a && a.token === 1 && a.arm === PLAN_PAGES
    },
    ...(results.plan500Latency && results.createLatency
      ? [
          {
            goal: `plan of 500 < ${GOALS.planToCreate}× create, at 100 ms latency`,
            value: `${(results.plan500Latency.ms.median / results.createLatency.ms.median).toFixed(2)}×`,
            met:
              results.plan500Latency.ms.median <
              GOALS.planToCreate * results.createLatency.ms.median
          }
        ]
      : [])
  ]
}

// ---- output -------------------------------------------------------------------------------------

const bytesOrNa = (n: number | undefined) => (n === undefined ? 'n/a' : `${n} B`)

function print(
  report: {
    node: string
    runs: number
    warmup: number
    rssRuns: number
    host: { cpus: number; loadAverage1m: { before: number; after: number } }
  },
  results: Record<CaseKey, CaseResult>,
  dist: DistSize,
  latency: LatencyFloor | undefined,
  az: AzOutcome,
  bulk: BulkOutcome,
  goals: Goal[],
  notes: string[],
  profile: ProfileSummary | undefined
): void {
  const goalOf = (key: CaseKey): string => {
    if (key === 'badInput') return `≤ ${GOALS.badInputRatio}× ${check(goals[0].met)}`
    if (key === 'create') return `≤ ${GOALS.createRatio}× ${check(goals[1].met)}`
    if (key === 'createWarm') return `≤ ${GOALS.createWarmRatio}× ${check(goals[5].met)}`
    if (key === 'manySecrets') return `≤ ${ms(GOALS.manySecretsMs)} ${check(goals[6].met)}`
    return ''
  }
  console.log(
    `\nBenchmark of dist/index.js under Node ${report.node}, emulator on 127.0.0.1, ` +
      `${report.host.cpus} CPUs, load average ${report.host.loadAverage1m.before.toFixed(2)} → ` +
      `${report.host.loadAverage1m.after.toFixed(2)}\n${report.runs} timed runs per case after ${report.warmup} warm-up rounds, ` +
      `interleaved; spread = min–max; × node = median / median of bare node -e 0; ` +
      `peak RSS = median of ${report.rssRuns} untimed runs under GNU time; cold = empty compile ` +
      `cache (the first run in a job), warm = the action run again in the same job\n`
  )
  const keys = Object.keys(results) as CaseKey[]
  console.log(
    table(
      ['case', 'median', 'min–max', '× node', 'min–max ×', 'peak RSS', 'goal'],
      keys.map((k) => {
        const r = results[k]
        return [
          r.label,
          ms(r.ms.median),
          `${r.ms.min.toFixed(1)}–${r.ms.max.toFixed(1)} ms`,
          r.ratio.toFixed(2),
          `${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}`,
          r.peakRssBytes === undefined ? 'n/a' : mb(r.peakRssBytes),
          goalOf(k)
        ]
      }),
      [0, 6]
    )
  )

  console.log(
    '\nRequests per operation (the emulator’s records, the most of any run; body bytes, headers not counted):\n'
  )
  const reqGoal = (k: CaseKey) =>
    k === 'create'
      ? `1 token + ≤ 2 ARM ${check(goals[3].met)}`
      : k === 'reset'
        ? `1 token + 2 ARM ${check(goals[4].met)}`
        : ''
  console.log(
    table(
      ['operation', 'token', 'ARM', 'other', 'round trips', 'body sent', 'body received', 'goal'],
      keys
        .filter((k) => results[k].traffic)
        .map((k) => {
          const t = results[k].traffic!
          return [
            results[k].label + (t.varies ? ' (varies)' : ''),
            String(t.token),
            String(t.arm),
            String(t.other),
            String(t.roundTrips),
            bytesOrNa(t.requestBytes),
            bytesOrNa(t.responseBytes),
            reqGoal(k)
          ]
        }),
      [0, 7]
    )
  )

  console.log(
    '\nTimeline (median ms after spawn at which each request reached the emulator, then exit):\n'
  )
  console.log(
    table(
      ['case', 'timeline'],
      keys
        .filter((k) => results[k].traffic)
        .map((k) => {
          const t = results[k].traffic!
          const steps = t.names.map((name, i) => `${name} ${t.arrivals[i].toFixed(0)}`)
          return [
            results[k].label,
            [...steps, `exit ${results[k].ms.median.toFixed(0)}`].join(' → ')
          ]
        }),
      [0, 1]
    )
  )

  if (latency) {
    const n = latency.roundTrips
    const overlaps = latency.createMs < latency.serialMs - LATENCY_MS / 2
    console.log(
      `\nCreate with ${LATENCY_MS} ms per request: ${ms(latency.createMs)}, ${n} round trips.\n` +
        `  floor  = bad input ${ms(results.badInput.ms.median)} + ${n} × ${LATENCY_MS} ms = ` +
        `${ms(latency.floorMs)}  (if all loading after validation overlapped the waits)\n` +
        `  serial = create ${ms(results.create.ms.median)} + ${n} × ${LATENCY_MS} ms = ` +
        `${ms(latency.serialMs)}  (if nothing overlapped)\n` +
        `  measured − floor = ${signed(latency.overFloorMs, 1)} ms, measured − serial = ` +
        `${signed(latency.createMs - latency.serialMs, 1)} ms; first request after ` +
        `${ms(latency.firstRequestMs)} (bad input has exited after ${ms(results.badInput.ms.median)})\n` +
        `  → ${overlaps ? 'loading overlaps the requests' : 'no overlap: the first request waits until the Azure code has loaded'}`
    )
  }

  console.log(`\nAzure CLI (az rest --method put, token fetched beforehand):`)
  if ('skipped' in az) console.log(`  ${az.skipped}`)
  else {
    console.log(
      `  az rest ${ms(az.ms.median)} (${az.ms.min.toFixed(1)}–${az.ms.max.toFixed(1)} ms); ` +
        `action create / az = ${az.createOverAz.toFixed(2)}`
    )
  }

  console.log(`\n200 backends, 20 ms latency, parallel vs one at a time:`)
  if ('skipped' in bulk) console.log(`  skipped: ${bulk.skipped}`)
  else {
    for (const mode of ['parallel', 'sequential'] as const) {
      const m = bulk[mode]
      console.log(
        `  max-parallel ${m.maxParallel}: ${ms(m.ms.median)} (${m.ms.min.toFixed(1)}–${m.ms.max.toFixed(1)} ms), ` +
          `${m.traffic.token} token + ${m.traffic.arm} ARM + ${m.traffic.other} other requests`
      )
    }
    console.log(`  speed-up ${bulk.speedup.toFixed(2)}× over ${bulk.runs} runs each`)
  }

  console.log(`\ndist/ (MB = 2^20 bytes):\n`)
  console.log(
    table(
      ['file', 'bytes', 'MB', ''],
      [
        ...dist.files.map((f) => [
          f.path,
          String(f.bytes),
          mb(f.bytes),
          f.path === 'index.js'
            ? 'entry, loaded at start'
            : /^\d+\.index\.js$/.test(f.path)
              ? 'chunk, loaded by import()'
              : f.path.endsWith('.js.map')
                ? 'source map, read with debug logging'
                : f.path === 'licenses.txt'
                  ? 'licenses of the bundled packages'
                  : f.path === 'package.json'
                    ? '{"type": "module"}'
                    : ''
        ]),
        ['all files', String(dist.allBytes), mb(dist.allBytes), ''],
        ['*.js.map', String(dist.mapBytes), mb(dist.mapBytes), 'source maps'],
        [
          'dist/**/*.js',
          String(dist.jsBytes),
          mb(dist.jsBytes),
          `goal ≤ ${mb(GOALS.distJsBytes)} ${check(goals[2].met)}`
        ]
      ],
      [0, 3]
    )
  )

  if (profile) printProfile(profile)

  console.log('\nGoals:')
  for (const g of goals) console.log(`  ${check(g.met)} ${g.goal}: ${g.value}`)
  if (notes.length) {
    console.log('\nNotes:')
    for (const n of notes) console.log(`  - ${n}`)
  }
}

// ---- change vs the previous run -----------------------------------------------------------------

interface Previous {
  date?: string
  node?: string
  runs?: number
  cases?: Record<
    string,
    { label?: string; ms?: { median?: number }; ratio?: number; peakRssBytes?: number }
  >
  dist?: { allBytes?: number; jsBytes?: number; mapBytes?: number }
}

function readPrevious(): Previous | undefined {
  if (!existsSync(RESULTS)) return undefined
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as Previous
  } catch {
    console.log(`(${RESULTS} is not valid JSON; no comparison)`)
    return undefined
  }
}

function printChange(
  prev: Previous,
  now: { cases: Record<string, CaseResult>; dist: DistSize }
): void {
  const pct = (a: number, b: number) => (a === 0 ? '' : ` (${signed(((b - a) / a) * 100, 1)}%)`)
  const rows: string[][] = []
  for (const [key, c] of Object.entries(now.cases)) {
    const p = prev.cases?.[key]
    const before = p?.ms?.median
    if (typeof before !== 'number') continue
    rows.push([
      c.label,
      `${ms(before)} → ${ms(c.ms.median)}`,
      `${signed(c.ms.median - before, 1)} ms${pct(before, c.ms.median)}`,
      typeof p?.ratio === 'number' ? `${p.ratio.toFixed(2)}× → ${c.ratio.toFixed(2)}×` : '',
      typeof p?.peakRssBytes === 'number' && c.peakRssBytes !== undefined
        ? `${mb(p.peakRssBytes)} → ${mb(c.peakRssBytes)}`
        : ''
    ])
  }
  for (const [label, key] of [
    ['dist/ all files', 'allBytes'],
    ['dist/**/*.js', 'jsBytes'],
    ['dist/ source maps', 'mapBytes']
  ] as const) {
    const before = prev.dist?.[key]
    if (typeof before !== 'number') continue
    const after = now.dist[key]
    rows.push([
      label,
      `${mb(before)} → ${mb(after)}`,
      `${signed(after - before, 0)} B${pct(before, after)}`,
      '',
      ''
    ])
  }
  if (!rows.length) return
  console.log(
    `\nChange vs the previous run (${prev.date ?? 'unknown date'}, Node ${prev.node ?? '?'}, ${prev.runs ?? '?'} runs):\n`
  )
  console.log(table(['', 'median', 'change', '× node', 'peak RSS'], rows, [0]))
}

const signed = (x: number, digits: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`

/** Numbers rounded to 0.01 for results.json; everything else as is. */
function roundDeep<T>(value: T): T {
  if (typeof value === 'number') return (Number.isInteger(value) ? value : round(value, 2)) as T
  if (Array.isArray(value)) return value.map(roundDeep) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)])) as T
  }
  return value
}

process.exitCode = await main()
