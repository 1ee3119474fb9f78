// The README reads in five minutes and agrees with action.yml: its tables are generated
// (scripts/render-action-tables.ts), its prose lines are short, and every docs/ page it links to
// exists. The two commands it promises stay as they are.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import {
  END,
  START,
  TARGETS,
  gist,
  renderTables,
  withTables
} from '../../scripts/render-action-tables.js'

const readme = readFileSync('README.md', 'utf8')
const actionYml = readFileSync('action.yml', 'utf8')

describe('README.md', () => {
  it('is short: at most 15 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024)
  })

  it('has no line over 120 characters outside the generated tables', () => {
    const outside = readme.slice(0, readme.indexOf(START)) + readme.slice(readme.indexOf(END))
    const long = outside.split('\n').filter((line) => line.length > 120)
    expect(long).toEqual([])
  })

  it('keeps the two commands', () => {
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toContain('npm ci && npm test')
  })

  it('links only to docs/ pages that exist', () => {
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1])
    expect(links.length).toBeGreaterThanOrEqual(8)
    expect(links.filter((l) => !existsSync(l))).toEqual([])
  })
})

describe('the generated inputs and outputs tables', () => {
  it.each(Object.entries(TARGETS))('%s holds the tables action.yml renders', (path, kind) => {
    const text = readFileSync(path, 'utf8')
    expect(withTables(text, actionYml, kind)).toBe(text)
  })

  it('names every input and output of action.yml', () => {
    const table = renderTables(actionYml, 'short')
    for (const name of ['backend-id', 'health-url', 'plan-file'])
      expect(table).toContain(`| \`${name}\` |`)
    // The inputs of every operation: one line under the table.
    for (const name of ['operation', 'client-id', 'request-timeout-seconds'])
      expect(table).toMatch(new RegExp(`Every operation: .*\`${name}\``))
    for (const name of ['backend', 'reset-at', 'results'])
      expect(table).toContain(`| \`${name}\` |`)
  })

  it('goes stale when action.yml changes', () => {
    const changed = actionYml.replace(
      "description: 'The ETag of the backend after the operation.'",
      "description: 'The new ETag.'"
    )
    expect(changed).not.toBe(actionYml)
    expect(withTables(readme, changed, 'short')).not.toBe(readme)
  })

  it('shortens a description to its gist, without the operations it starts with', () => {
    expect(gist('`create`, `update`: backend title (1-300 characters).')).toBe(
      'Backend title (1-300 characters).'
    )
    expect(gist('An OData `$filter`, e.g. `startswith(name, x)`. More.')).toBe(
      'An OData `$filter`, e.g. `startswith(name, x)`.'
    )
    expect(gist('`fail` (default) or `ignore`: what to do. Then.')).toBe(
      '`fail` (default) or `ignore`: what to do.'
    )
  })
})
