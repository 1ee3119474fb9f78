// Refuses copyleft (and unknown) licenses in what the action ships. Two views of the same thing:
//   1. package-lock.json: every production package (not `dev`), with the `license` npm recorded;
//   2. dist/licenses.txt: what ncc actually bundled (`npm run bundle` writes it), each package
//      with its license id, and the lock's license of each bundled package that is not a
//      production one (webpack also bundles optional requires it finds installed).
// Only licenses on the allow-list pass: GPL, AGPL, LGPL, SSPL, EUPL, MPL, EPL, CDDL, OSL, CC-BY-SA
// and the like are refused by name, anything else unknown is refused too (add it here after
// reading it). SPDX expressions are understood: `A OR B` passes when one side does, `A AND B`
// when both do. No dependency: it runs offline, on the Node the project is developed with.
// Usage: tsx scripts/check-licenses.ts [--lock package-lock.json] [--dist dist/licenses.txt]
import { existsSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** Permissive licenses a bundled dependency may have (SPDX ids). */
export const ALLOWED = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Python-2.0',
  'Unlicense',
  'Zlib'
])

/** Copyleft (strong, weak or network) and non-commercial families, refused by name. */
const COPYLEFT =
  /^(A?GPL|LGPL|GPL|SSPL|EUPL|MPL|EPL|CDDL|CPL|OSL|CPAL|RPL|QPL|Sleepycat|CECILL|CC-BY-SA|CC-BY-NC|Parity|Watcom|OFL)(-|$)/i

export type Verdict = { ok: true } | { ok: false; reason: 'copyleft' | 'unknown'; ids: string[] }

/** The verdict on one SPDX expression such as `MIT`, `(MIT OR GPL-3.0)`, `A AND B WITH exc`. */
export function verdict(expression: string | undefined): Verdict {
  if (!expression || !expression.trim()) return { ok: false, reason: 'unknown', ids: ['(none)'] }
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? []
  let at = 0
  const peek = () => tokens[at]
  // or := and ('OR' and)* ; and := atom ('AND' atom)* ; atom := '(' or ')' | id ['WITH' id]
  const or = (): Verdict => {
    let left = and()
    while (peek()?.toUpperCase() === 'OR') {
      at++
      const right = and()
      left = left.ok ? left : right.ok ? right : merge(left, right)
    }
    return left
  }
  const and = (): Verdict => {
    let left = atom()
    while (peek()?.toUpperCase() === 'AND') {
      at++
      const right = atom()
      left = left.ok && right.ok ? left : merge(left, right)
    }
    return left
  }
  const atom = (): Verdict => {
    const token = tokens[at++]
    if (token === '(') {
      const inner = or()
      if (tokens[at++] !== ')') return { ok: false, reason: 'unknown', ids: [expression] }
      return inner
    }
    if (token === undefined || token === ')')
      return { ok: false, reason: 'unknown', ids: [expression] }
    if (peek()?.toUpperCase() === 'WITH') at += 2 // an exception only widens the grant
    const id = token.replace(/\+$/, '')
    if (ALLOWED.has(id)) return { ok: true }
    return { ok: false, reason: COPYLEFT.test(id) ? 'copyleft' : 'unknown', ids: [token] }
  }
  const result = or()
  return at === tokens.length ? result : { ok: false, reason: 'unknown', ids: [expression] }
}

function merge(a: Verdict, b: Verdict): Verdict {
  const failed = [a, b].filter((v): v is Extract<Verdict, { ok: false }> => !v.ok)
  const reason = failed.some((v) => v.reason === 'copyleft') ? 'copyleft' : 'unknown'
  return { ok: false, reason, ids: failed.flatMap((v) => v.ids) }
}

interface LockEntry {
  version?: string
  license?: string
  dev?: boolean
  devOptional?: boolean
  link?: boolean
}

/** Production packages of a lockfile (v2/v3): name → {version, license}. */
export function productionPackages(lock: {
  packages?: Record<string, LockEntry>
}): Map<string, { version: string; license?: string }> {
  const result = new Map<string, { version: string; license?: string }>()
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path || entry.dev || entry.devOptional || entry.link) continue
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    result.set(`${name}@${entry.version}`, { version: entry.version ?? '', license: entry.license })
  }
  return result
}

/** The packages listed in ncc's licenses.txt: blocks of `name`, `license id`, text, blank line. */
export function bundledPackages(text: string): { name: string; license: string }[] {
  const lines = text.split('\n')
  const found: { name: string; license: string }[] = []
  for (let i = 0; i < lines.length - 1; i++) {
    const startsBlock = i === 0 || lines[i - 1] === ''
    const name = lines[i]
    const license = lines[i + 1].trim()
    if (
      startsBlock &&
      /^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/.test(name) &&
      /^[A-Za-z0-9.+()\s-]+$/.test(license) &&
      license.length <= 80
    )
      found.push({ name, license })
  }
  return found
}

export interface Report {
  checked: number
  bundled: number
  problems: string[]
  notes: string[]
}

export function check(lockText: string, licensesText: string | undefined): Report {
  const lock = JSON.parse(lockText) as { packages?: Record<string, LockEntry> }
  const production = productionPackages(lock)
  const problems: string[] = []
  const notes: string[] = []
  for (const [id, { license }] of production) {
    const v = verdict(license)
    if (!v.ok) problems.push(`${id} (production dependency): ${describe(v, license)}`)
  }
  let bundled = 0
  if (licensesText !== undefined) {
    const names = new Set([...production.keys()].map((id) => id.slice(0, id.lastIndexOf('@'))))
    const entries = bundledPackages(licensesText)
    bundled = entries.length
    if (entries.length === 0)
      problems.push('dist/licenses.txt lists no package: its format changed, or it is empty')
    for (const { name, license } of entries) {
      const v = verdict(license)
      if (!v.ok) problems.push(`${name} (bundled in dist/): ${describe(v, license)}`)
      if (names.has(name)) continue
      // Bundled though only the dev tree installs it: an optional require that webpack found
      // (debug's `supports-color`). Its license in the lock is checked as well.
      const installed = Object.entries(lock.packages ?? {}).filter(([path]) =>
        path.endsWith(`node_modules/${name}`)
      )
      if (installed.length === 0)
        problems.push(`${name} is bundled in dist/ but package-lock.json does not have it`)
      for (const [path, entry] of installed) {
        const w = verdict(entry.license)
        if (!w.ok)
          problems.push(`${path}@${entry.version} (bundled): ${describe(w, entry.license)}`)
      }
      notes.push(`${name} is bundled although only the dev tree installs it (an optional require)`)
    }
  }
  return { checked: production.size, bundled, problems, notes }
}

function describe(v: Extract<Verdict, { ok: false }>, license: string | undefined): string {
  return v.reason === 'copyleft'
    ? `copyleft license ${v.ids.join(', ')} (${license})`
    : `license ${license ? `'${license}'` : 'not declared'} is not on the allow-list (${v.ids.join(', ')})`
}

export function main(args: string[]): number {
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(name)
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback
  }
  const lockPath = option('--lock', 'package-lock.json')
  const distPath = option('--dist', 'dist/licenses.txt')
  if (!existsSync(distPath)) {
    console.error(`${distPath} is missing: run 'npm run bundle' first`)
    return 1
  }
  const report = check(readFileSync(lockPath, 'utf8'), readFileSync(distPath, 'utf8'))
  for (const note of report.notes) console.log(`note  ${note}`)
  for (const problem of report.problems) console.error(`error  ${problem}`)
  if (report.problems.length > 0) return 1
  console.log(
    `ok  ${report.checked} production packages (${lockPath}) and ${report.bundled} bundled ` +
      `in ${distPath}: no copyleft, every license on the allow-list`
  )
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2))
