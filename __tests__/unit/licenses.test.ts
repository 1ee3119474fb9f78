// The dependency license check CI runs (npm run check:licenses): copyleft or unknown licenses
// among the production dependencies or in dist/ fail it; the real tree passes.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { bundledPackages, check, verdict } from '../../scripts/check-licenses.js'

const lock = (packages: Record<string, object>) =>
  JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'x' }, ...packages } })
const block = (name: string, license: string) =>
  `${name}\n${license}\nSome license text.\n\nWith a blank line inside.\n`

describe('verdict', () => {
  it('passes permissive licenses and an OR with one permissive side', () => {
    for (const e of ['MIT', 'ISC', '0BSD', '(MIT OR GPL-3.0)', 'Apache-2.0 WITH LLVM-exception'])
      expect({ e, v: verdict(e) }).toEqual({ e, v: { ok: true } })
  })

  it('refuses copyleft by name, alone or in an AND', () => {
    for (const e of [
      'GPL-3.0',
      'AGPL-3.0-only',
      'LGPL-2.1+',
      'SSPL-1.0',
      'EUPL-1.2',
      'MIT AND GPL-2.0'
    ])
      expect({ e, reason: (verdict(e) as { reason?: string }).reason }).toEqual({
        e,
        reason: 'copyleft'
      })
  })

  it('refuses a missing, unknown or malformed license', () => {
    for (const e of [undefined, '', 'UNLICENSED', 'SEE LICENSE IN LICENSE', 'MIT OR'])
      expect({ e, ok: verdict(e).ok }).toEqual({ e, ok: false })
  })
})

describe('check', () => {
  it('fails on a copyleft production dependency, not on a copyleft devDependency', () => {
    const report = check(
      lock({
        'node_modules/a': { version: '1.0.0', license: 'GPL-3.0-only' },
        'node_modules/b': { version: '1.0.0', license: 'GPL-3.0-only', dev: true }
      }),
      undefined
    )
    expect(report.problems).toEqual([
      'a@1.0.0 (production dependency): copyleft license GPL-3.0-only (GPL-3.0-only)'
    ])
  })

  it('fails on a copyleft package in dist/licenses.txt', () => {
    const report = check(
      lock({ 'node_modules/a': { version: '1.0.0', license: 'MIT' } }),
      block('a', 'AGPL-3.0') + '\n' + block('@scope/b', 'MIT')
    )
    expect(report.problems).toContain('a (bundled in dist/): copyleft license AGPL-3.0 (AGPL-3.0)')
    expect(report.problems).toContain(
      '@scope/b is bundled in dist/ but package-lock.json does not have it'
    )
  })

  it('reads every block of ncc licenses.txt, text with blank lines included', () => {
    const text = block('@actions/core', 'MIT') + '\n' + block('tslib', '0BSD')
    expect(bundledPackages(text)).toEqual([
      { name: '@actions/core', license: 'MIT' },
      { name: 'tslib', license: '0BSD' }
    ])
  })

  it('passes the real package-lock.json and, when built, dist/licenses.txt', () => {
    let dist: string | undefined
    try {
      dist = readFileSync('dist/licenses.txt', 'utf8')
    } catch {
      dist = undefined
    }
    const report = check(readFileSync('package-lock.json', 'utf8'), dist)
    expect(report.problems).toEqual([])
    expect(report.checked).toBeGreaterThan(10)
  })
})
