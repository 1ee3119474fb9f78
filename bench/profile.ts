// Where a create spends its time: one run of dist/index.js under `node --cpu-prof`, its samples'
// self time summed by where the code comes from. Positions in dist/ are mapped back through the
// bundle's source maps (dist/*.js.map) to the original file, so the time lands on an npm package
// (@azure/msal-node, undici, zod, ...) or on this action's src/, not on a numbered chunk.
//
// Part of `npm run bench`; alone: `npx tsx bench/profile.ts [cold|warm]` (starts its own emulator
// and keeps the profile in the temp directory, for Chrome DevTools or VS Code to open).
//
// Self time is where the CPU was when sampled, not what caused it: compiling a chunk shows as
// Node's module loader, a lazily compiled function as "(program)" or its caller, and waits for
// the network as "(idle)". The sampling interval is 100 µs, and profiling slows the run down, so
// compare the shares, not the milliseconds with the timed runs.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ActionRunner, CompileCache } from './child.js'
import { ms } from './stats.js'
import { table } from './table.js'

interface CallFrame {
  functionName: string
  url: string
  /** 0-based */
  lineNumber: number
  columnNumber: number
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[]
  startTime: number
  endTime: number
  samples: number[]
  /** µs since the previous sample */
  timeDeltas: number[]
}

export interface ProfileSummary {
  cache: CompileCache
  /** the profile's span, ms */
  totalMs: number
  /** self time by origin: a package, this action's src/, Node's own code, V8 */
  byOrigin: { origin: string; ms: number; share: number }[]
  /** the functions with the most self time, at their original position */
  topFunctions: { name: string; origin: string; where: string; ms: number; share: number }[]
}

const INTERVAL_US = 100

/** Runs the action once under --cpu-prof and summarises the profile. */
export async function profileRun(
  runner: ActionRunner,
  inputs: Record<string, string>,
  cache: CompileCache,
  keep?: string
): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'apim-profile-'))
  try {
    const result = await runner.run(inputs, {
      cache,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`]
    })
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) {
      throw new Error(`no .cpuprofile written (exit ${result.code}): ${result.stderr}`)
    }
    if (keep) copyFileSync(join(dir, file), keep)
    return summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, cache)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function summarizeProfile(profile: CpuProfile, cache: CompileCache): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
  // Sample i stands for the time until sample i + 1 (as DevTools counts it).
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0
    selfUs.set(id, (selfUs.get(id) ?? 0) + us)
  })
  const totalUs = profile.endTime - profile.startTime
  const maps = new SourceMaps()
  const byOrigin = new Map<string, number>()
  const byFunction = new Map<string, { name: string; origin: string; where: string; us: number }>()
  for (const [id, us] of selfUs) {
    const frame = frames.get(id)!
    const { origin, where, name } = maps.locate(frame)
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us)
    const key = `${name}@${where}`
    const f = byFunction.get(key) ?? { name, origin, where, us: 0 }
    f.us += us
    byFunction.set(key, f)
  }
  const share = (us: number) => us / totalUs
  return {
    cache,
    totalMs: totalUs / 1000,
    byOrigin: [...byOrigin]
      .sort((a, b) => b[1] - a[1])
      .map(([origin, us]) => ({ origin, ms: us / 1000, share: share(us) })),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((f) => ({ ...f, ms: f.us / 1000, share: share(f.us) }))
  }
}

/** dist/ positions → original file and package, through the .map beside each chunk. */
class SourceMaps {
  private readonly cache = new Map<string, SourceMap | undefined>()

  locate(frame: CallFrame): { origin: string; where: string; name: string } {
    const name = frame.functionName || '(anonymous)'
    const { url } = frame
    if (url === '') {
      // V8's own entries: (program), (garbage collector), (idle), (root), and native builtins.
      return { origin: name.startsWith('(') ? name : 'V8 builtins', where: '', name }
    }
    if (url.startsWith('node:')) {
      const module = url.slice('node:'.length)
      return { origin: `Node: ${nodeArea(module)}`, where: module, name }
    }
    if (!url.startsWith('file:')) return { origin: url, where: url, name }
    const path = fileURLToPath(url)
    const entry = this.map(path)?.findEntry(frame.lineNumber, frame.columnNumber)
    if (!entry || !('originalSource' in entry) || !entry.originalSource) {
      return { origin: `${basename(path)} (unmapped)`, where: basename(path), name }
    }
    const source = entry.originalSource
    return {
      origin: originOf(source),
      where: `${shortSource(source)}:${entry.originalLine + 1}`,
      name
    }
  }

  private map(path: string): SourceMap | undefined {
    if (!this.cache.has(path)) {
      const file = `${path}.map`
      this.cache.set(
        path,
        existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined
      )
    }
    return this.cache.get(path)
  }
}

/** node:internal/modules/esm/loader → 'modules (loading and compiling)', and so on. */
function nodeArea(module: string): string {
  const parts = module.replace(/^internal\//, '').split('/')
  if (parts[0] === 'modules') return 'module loader (read, compile, link)'
  if (/tls|net|http|dns|stream|crypto/.test(parts[0])) return `${parts[0]} (network, TLS)`
  return parts[0]
}

/** '../node_modules/@azure/msal-node/dist/x.mjs' → '@azure/msal-node'; '../src/a/b.ts' → 'src/a/'. */
function originOf(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)
  if (pkg) return pkg[1]
  const src = /(?:^|\/)src\/(.*)$/.exec(source)
  if (src) return `this action: src/${src[1].includes('/') ? src[1].split('/')[0] + '/' : ''}`
  return source.replace(/^(\.\.\/)+/, '')
}

function shortSource(source: string): string {
  const i = source.lastIndexOf('node_modules/')
  return i >= 0 ? source.slice(i + 'node_modules/'.length) : source.replace(/^(\.\.\/)+/, '')
}

export function printProfile(p: ProfileSummary): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  console.log(
    `\nWhere a create's time goes (one ${p.cache} run under --cpu-prof, ${ms(p.totalMs)} profiled; ` +
      `self time by origin, dist/ mapped back through its source maps):\n`
  )
  const shown = p.byOrigin.slice(0, 14)
  const rest = p.byOrigin.slice(14)
  const rows = shown.map((o) => [o.origin, ms(o.ms), pct(o.share)])
  if (rest.length) {
    const restMs = rest.reduce((n, o) => n + o.ms, 0)
    rows.push([`${rest.length} more`, ms(restMs), pct(restMs / p.totalMs)])
  }
  console.log(table(['origin', 'self', 'share'], rows, [0]))
  console.log('\nFunctions with the most self time:\n')
  console.log(
    table(
      ['function', 'where', 'self', 'share'],
      p.topFunctions.map((f) => [f.name, f.where || f.origin, ms(f.ms), pct(f.share)]),
      [0, 1]
    )
  )
}

// ---- alone: npx tsx bench/profile.ts [cold|warm] -------------------------------------------------

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cache: CompileCache = process.argv[2] === 'warm' ? 'warm' : 'cold'
  const { ensureCertificate } = await import('../emulator/cert.js')
  const { ApimEmulator } = await import('../emulator/server.js')
  const { NODE24 } = await import('../scripts/runner.js')
  const { ActionRunner } = await import('./child.js')
  const { defineCases } = await import('./cases.js')
  await ensureCertificate('.emulator')
  const emulator = await ApimEmulator.start({ certDir: '.emulator' })
  const runner = new ActionRunner(NODE24, emulator.certPath)
  try {
    const { createInputs } = defineCases(emulator, runner)
    if (cache === 'warm') await runner.run(createInputs('profile-prime'), { cache })
    const keep = join(tmpdir(), `apim-create-${cache}.cpuprofile`)
    printProfile(await profileRun(runner, createInputs('profile'), cache, keep))
    console.log(`\nWrote ${keep}.`)
  } finally {
    runner.dispose()
    await emulator.stop()
  }
}
