// action.yml is what GitHub reads: it must document exactly the inputs and outputs the code
// reads and writes, and run on node24 from dist/.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { defaultFiles, parseErrors } from '../../scripts/check-workflow-files.js'
import { INPUTS, OUTPUTS } from '../../src/catalog.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('runs dist/index.js on node24 and has branding and a short description', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(action.branding.icon).toBeTruthy()
    expect(action.description.length).toBeLessThan(125)
  })

  it('documents every input the action reads, and no other', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUTS).sort())
    for (const [name, spec] of Object.entries(action.inputs))
      expect({ name, ok: spec.description.length > 20 }).toEqual({ name, ok: true })
  })

  it('gives no default to an operation-specific input (a default would count as given)', () => {
    for (const [name, spec] of Object.entries(INPUTS)) {
      if (spec.scope !== 'all')
        expect({ name, default: action.inputs[name].default }).toEqual({ name, default: undefined })
    }
  })

  it('documents every output', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUTS].sort())
  })
})

/** Every string of a parsed YAML document (keys too), with its path: `inputs.x.description`. */
function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]]
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, `${path}[${i}]`))
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => {
      const at = path ? `${path}.${k}` : k
      return [[at, k] as [string, string], ...strings(v, at)]
    })
  return []
}

/** The tsx in node_modules running scripts/check-workflow-files.ts, as `npm run check:workflows`. */
function checkWorkflowFiles(...files: string[]) {
  const tsx = resolve('node_modules/.bin/tsx')
  const run = spawnSync(tsx, ['scripts/check-workflow-files.ts', ...files], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' } // not jest's --experimental-vm-modules
  })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe('action.yml as the runner loads it', () => {
  it('has no ${{ in a description or anywhere the author did not mean an expression', () => {
    // The runner evaluates `${{ … }}` wherever it appears in action.yml, and a description has
    // no context at all: a `${{ secrets.X }}` written there as advice stops the action loading
    // at "Set up job" for every workflow that uses it. An expression belongs only where the
    // runner evaluates it on purpose, e.g. an input `default: ${{ github.token }}` (defaults
    // may use github, strategy, matrix, job, runner; never inputs or secrets): github-token's,
    // the only one.
    const allowed: string[] = ['inputs.github-token.default']
    const expressions = strings(action)
      .filter(([path, text]) => text.includes('${{') && !allowed.includes(path))
      .map(([path]) => path)
    expect(expressions).toEqual([])
  })

  it("loads in GitHub's own parser, and so does every example workflow a user copies", async () => {
    // @actions/workflow-parser is the runner's schema and expression checker, as the editor runs it.
    const files = defaultFiles()
    expect(files).toContain('action.yml')
    expect(files.filter((f) => f.startsWith('examples/')).length).toBeGreaterThanOrEqual(5)
    const errors = await Promise.all(
      files.map(async (file) => ({ file, errors: await parseErrors(file) }))
    )
    expect(errors.filter((e) => e.errors.length > 0)).toEqual([])
  })

  it('fails the check when a description says ${{ secrets.X }} again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'action-yml-'))
    try {
      const text = readFileSync('action.yml', 'utf8')
      const line = text.split('\n').indexOf('  client-secret:') + 2 // its description, 1-based
      const bad = join(dir, 'action.yml')
      writeFileSync(
        bad,
        text.replace(
          /^( {2}client-secret:\n {4}description: ')/m,
          '$1Always from `${{ secrets.AZURE_CLIENT_SECRET }}`. '
        )
      )
      const error = `${bad} (Line: ${line}, Col: 18): Unrecognized named-value: 'secrets'`
      expect(await parseErrors(bad)).toEqual([error])
      // The script CI runs: non-zero with the error on the broken copy, zero on the real files.
      const failed = checkWorkflowFiles(bad)
      expect({ status: failed.status, stderr: failed.stderr }).toEqual({
        status: 1,
        stderr: `error  ${error}\n`
      })
      const passed = checkWorkflowFiles()
      expect({ status: passed.status, stderr: passed.stderr }).toEqual({ status: 0, stderr: '' })
      expect(passed.stdout).toContain('ok  action.yml\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
