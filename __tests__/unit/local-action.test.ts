// A contributor's first `npm run local-action`, before copying .env.example: the script says what
// to do instead of @github/local-action's stack trace.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'

const dir = mkdtempSync(join(tmpdir(), 'local-action-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The check npm run local-action starts with, run in `cwd` as npm would run it there. */
function checkIn(cwd: string) {
  const run = spawnSync(resolve('node_modules/.bin/tsx'), [resolve('scripts/check-local-env.ts')], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' }
  })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe('npm run local-action', () => {
  it('checks for .env before anything else', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts
    expect(scripts['local-action']).toMatch(/^tsx scripts\/check-local-env\.ts && .* \.env$/)
  })

  it('without .env: says to copy .env.example and start the emulator, with no stack trace', () => {
    const { status, stdout, stderr } = checkIn(dir)
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain('there is no .env here')
    expect(stderr).toContain('  cp .env.example .env\n')
    expect(stderr).toContain('  npm run emulator -- --port 8443\n')
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('with .env: goes on quietly', () => {
    writeFileSync(join(dir, '.env'), 'INPUT_OPERATION=list\n')
    expect(checkIn(dir)).toEqual({ status: 0, stdout: '', stderr: '' })
  })
})
