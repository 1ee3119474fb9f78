// `npm run check:workflows` (scripts/check-workflow-files.ts) reads the steps that run this
// action the way the runner would hand their `with:` keys over: a key action.yml does not define
// only draws a warning from the runner, so the check refuses it, in CI's own workflows (`uses:
// ./`) and in the examples users copy (`uses: apim-backend-action/apim-backend-action@v1`).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { defaultFiles, withErrors } from '../../scripts/check-workflow-files.js'

const dir = mkdtempSync(join(tmpdir(), 'check-workflows-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A copy of a workflow with `edit` applied, as a user's mistake would leave it. */
function copyOf(file: string, edit: (text: string) => string): string {
  const text = readFileSync(file, 'utf8')
  const changed = edit(text)
  expect(changed).not.toBe(text)
  const path = join(dir, file.replace(/\//g, '-'))
  writeFileSync(path, changed)
  return path
}

function check(...files: string[]) {
  const run = spawnSync(
    resolve('node_modules/.bin/tsx'),
    ['scripts/check-workflow-files.ts', ...files],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' }
    }
  )
  return { status: run.status, stderr: run.stderr }
}

describe('the with: keys of the steps that run this action', () => {
  it('are all inputs of action.yml, in every example and in CI', () => {
    const files = defaultFiles().filter((f) => f !== 'action.yml')
    expect(files).toContain('.github/workflows/ci.yml')
    expect(files.flatMap((f) => withErrors(f))).toEqual([])
  })

  it('an example with backendid fails the check, naming the line and backend-id', () => {
    const copy = copyOf('examples/create-backend.yml', (t) =>
      t.replace('          backend-id: orders', '          backendid: orders')
    )
    const line = readFileSync(copy, 'utf8').split('\n').indexOf('          backendid: orders') + 1
    expect(check(copy)).toEqual({
      status: 1,
      stderr: `error  ${copy} (Line: ${line}, Col: 11): 'backendid' is not an input of action.yml; did you mean 'backend-id'?\n`
    })
  })

  it('a uses: ./ step in CI without operation fails the check; other actions are not checked', () => {
    const copy = copyOf('.github/workflows/ci.yml', (t) =>
      t
        .replace(
          '          operation: create\n          subscription-id',
          '          subscription-id'
        )
        .replace(
          'persist-credentials: false',
          'persist-credentials: false\n          not-an-input: x'
        )
    )
    const { status, stderr } = check(copy)
    expect(status).toBe(1)
    expect(stderr).toMatch(
      /^error {2}\S+ \(Line: \d+, Col: 9\): the step of \.\/ leaves out the required input 'operation'\n$/
    )
  })
})
