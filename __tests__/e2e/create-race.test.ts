// Two workflow steps (say, two jobs of one workflow, or two workflows) create the same backend at
// the same time. Each reads first and finds nothing; only one PUT may create it, the other must
// not silently overwrite it. In-process, the other step is played by the emulator's
// 'concurrent-write' fault: its create lands between this step's read and this step's write.
// The last test runs two real steps at once, as child processes.
import { resolve } from 'node:path'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runDist } from '../../scripts/runner.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import {
  ApimEmulator,
  armCalls,
  RG,
  SERVICE,
  SUB,
  TARGET,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const BACKEND = /\/backends\/orders$/
/** What this step asks for. */
const MINE = { url: 'https://orders.example.com/mine', protocol: 'http', title: 'Mine' }
/** What the other step created. */
const THEIRS = { url: 'https://orders.example.com/theirs', protocol: 'http', title: 'Theirs' }

const createStep = (inputs: Record<string, string> = {}) =>
  runInProcess(
    {
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      ...MINE,
      ...inputs
    },
    { APIM_BACKEND_ACTION_RETRY_DELAY_MS: '20' }
  )

/** The other step's create lands right after this step's read of the backend. */
function otherStepCreates(properties: Record<string, unknown> = THEIRS): void {
  emulator.injectFault({ method: 'GET', path: BACKEND, kind: 'concurrent-write', properties })
}

const stored = () => emulator.getBackend(SUB, RG, SERVICE, 'orders')
const puts = () => emulator.armRequests().filter((r) => r.method === 'PUT')

describe('two steps create the same backend at once', () => {
  it('the create carries If-None-Match: *, so the step that writes second gets 412 and fails (if-exists: fail), keeping the first one', async () => {
    otherStepCreates()
    const outcome = await createStep()
    expect(outcome.failure).toBe(
      "Backend 'orders' was created by someone else while this step ran; re-run to see it."
    )
    expect(armCalls(emulator)).toEqual([
      'GET /backends/orders',
      'PUT /backends/orders',
      'GET /backends/orders'
    ])
    const [put] = puts()
    expect(put.headers['if-none-match']).toBe('*')
    expect(put.headers['if-match']).toBeUndefined()
    expect(put.status).toBe(412)
    // Nothing lost: the other step's backend is there as it wrote it.
    expect(stored()!.contract.properties).toEqual(THEIRS)
  })

  it('if-exists: skip reads the other step’s backend again and reports unchanged', async () => {
    otherStepCreates()
    const outcome = await createStep({ 'if-exists': 'skip' })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('unchanged')
    expect(JSON.parse(outcome.outputs.backend).properties).toEqual(THEIRS)
    expect(outcome.outputs.etag).toBe(stored()!.etag)
    expect(outcome.stdout).toContain(
      "Backend 'orders' was created by someone else while this step ran; if-exists: skip, so nothing was written."
    )
    expect(puts()).toHaveLength(1)
    expect(stored()!.contract.properties).toEqual(THEIRS)
  })

  it('if-exists: replace reads it again and replaces it with If-Match of its new ETag', async () => {
    otherStepCreates()
    const outcome = await createStep({ 'if-exists': 'replace' })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('replaced')
    expect(armCalls(emulator)).toEqual([
      'GET /backends/orders',
      'PUT /backends/orders',
      'GET /backends/orders',
      'PUT /backends/orders'
    ])
    const [create, replace] = puts()
    // The replace is conditional on the ETag of the other step's backend, read again: a 200
    // to an If-Match means it matched the ETag current then.
    expect([create.status, replace.status]).toEqual([412, 200])
    expect(replace.headers['if-match']).toMatch(/^"[A-Za-z0-9+/]+=*"$/)
    expect(replace.headers['if-none-match']).toBeUndefined()
    expect(stored()!.contract.properties).toEqual(MINE)
    expect(outcome.outputs.etag).toBe(stored()!.etag)
    expect(outcome.outputs.etag).not.toBe(replace.headers['if-match'])
  })

  it('if-exists: replace, when the other step created exactly the same backend: unchanged, one write', async () => {
    otherStepCreates(MINE)
    const outcome = await createStep({ 'if-exists': 'replace' })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('unchanged')
    expect(puts()).toHaveLength(1)
  })

  it('a service that says 409 Conflict instead of 412 is read as the same race (guess: no recording of either)', async () => {
    otherStepCreates()
    emulator.injectFault({
      method: 'PUT',
      path: BACKEND,
      status: 409,
      body: { error: { code: 'Conflict', message: 'Resource already exists.' } }
    })
    const skipped = await createStep({ 'if-exists': 'skip' })
    expect(skipped.failure).toBeUndefined()
    expect(skipped.outputs.result).toBe('unchanged')
    expect(stored()!.contract.properties).toEqual(THEIRS)
  })

  it('if-exists: replace fails clearly when the backend changes yet again before the replace', async () => {
    otherStepCreates()
    // Faults serve in order: this one, a third writer's change, lands after the second read.
    emulator.injectFault({ method: 'GET', path: BACKEND, kind: 'concurrent-write' })
    const outcome = await createStep({ 'if-exists': 'replace' })
    expect(outcome.failure).toMatch(
      /^Replacing backend 'orders' failed: HTTP 412 PreconditionFailed: .*was changed by someone else/
    )
    expect(stored()!.contract.properties.url).toBe(THEIRS.url)
  })
})

describe('a create whose answer was lost is not mistaken for a race', () => {
  it('the first PUT was applied but its answer cut: the retry gets 412, the backend holds what was asked, so: created', async () => {
    emulator.injectFault({ method: 'PUT', path: BACKEND, kind: 'drop-after-apply' })
    const outcome = await createStep()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(puts().map((p) => [p.headers['if-none-match'], p.appliedStatus ?? p.status])).toEqual([
      ['*', 201],
      ['*', 412]
    ])
    expect(stored()!.contract.properties).toEqual(MINE)
  })

  it('the first PUT was lost before it was applied and the other step created it: still the race', async () => {
    otherStepCreates()
    emulator.injectFault({ method: 'PUT', path: BACKEND, kind: 'drop' })
    const outcome = await createStep()
    expect(outcome.failure).toBe(
      "Backend 'orders' was created by someone else while this step ran; re-run to see it."
    )
    expect(stored()!.contract.properties).toEqual(THEIRS)
  })

  it('the other step created the asked fields plus a description while this PUT was lost: the race, not created', async () => {
    // A PUT replaces the whole backend: a backend holding more than was asked is not what this
    // step's PUT would have left, so someone else wrote it.
    const theirs = { ...MINE, description: 'Created by the other step' }
    otherStepCreates(theirs)
    emulator.injectFault({ method: 'PUT', path: BACKEND, kind: 'drop' })
    const outcome = await createStep()
    expect(outcome.failure).toBe(
      "Backend 'orders' was created by someone else while this step ran; re-run to see it."
    )
    expect(puts().map((p) => [p.headers['if-none-match'], p.dropped ?? false, p.status])).toEqual([
      ['*', true, 0],
      ['*', false, 412]
    ])
    expect(stored()!.contract.properties).toEqual(theirs)
  })
})

describe('a service that ignores If-None-Match', () => {
  it('answers 200 to the create: the step reports replaced, not created, and warns about the race', async () => {
    otherStepCreates()
    emulator.injectFault({ method: 'PUT', path: BACKEND, kind: 'ignore-if-none-match' })
    const outcome = await createStep()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('replaced')
    expect(outcome.stdout).toContain(
      "::warning::Backend 'orders' appeared between the read and the write: it was replaced, not created."
    )
    expect(puts().map((p) => p.status)).toEqual([200])
    expect(stored()!.contract.properties).toEqual(MINE)
  })

  it('a retry after a lost answer reports replaced, never created, with a warning that says why', async () => {
    emulator.injectFault({ method: 'PUT', path: BACKEND, kind: 'drop-after-apply' })
    emulator.injectFault({ method: 'PUT', path: BACKEND, kind: 'ignore-if-none-match' })
    const outcome = await createStep()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('replaced')
    expect(puts().map((p) => p.appliedStatus ?? p.status)).toEqual([201, 200])
    expect(outcome.stdout).toMatch(
      /::warning::Backend 'orders' already existed when a retry of this step's create arrived/
    )
    expect(stored()!.contract.properties).toEqual(MINE)
  })

  it('with no race, a create is still created and nothing is warned', async () => {
    emulator.injectFault({ method: 'PUT', path: BACKEND, kind: 'ignore-if-none-match' })
    const outcome = await createStep()
    expect(outcome.outputs.result).toBe('created')
    expect(outcome.stdout).not.toContain('::warning::')
  })
})

/**
 * The action's source run as the runner runs dist/index.js (scripts/runner.ts runDist): a fresh
 * node, INPUT_* variables, the file commands. The source, through tsx, because dist/ is rebuilt
 * only at release.
 */
const runSource = (inputs: Record<string, string>) =>
  runDist(inputs, {}, emulator.certPath, process.execPath, [
    '--import',
    'tsx',
    resolve('src/index.ts')
  ])

describe('two real steps at once (child processes)', () => {
  it('exactly one reports created; the other fails, and the stored backend is the created one', async () => {
    // Both reads are answered 2 s late (each as it was when it arrived), so both steps find
    // nothing and both send their create.
    emulator.injectFault({ method: 'GET', path: BACKEND, kind: 'slow', delayMs: 2000, times: 2 })
    const step = (url: string) =>
      runSource({
        operation: 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        'backend-id': 'orders',
        url,
        protocol: 'http'
      })
    const outcomes = await Promise.all([
      step('https://a.example.com'),
      step('https://b.example.com')
    ])
    const winner = outcomes.find((o) => o.outputs.result === 'created')
    const loser = outcomes.find((o) => o !== winner)!
    expect(outcomes.filter((o) => o.outputs.result === 'created')).toHaveLength(1)
    expect([winner!.code, loser.code]).toEqual([0, 1])
    // Nothing lost: the backend is the one the winner created, with the ETag it reported.
    const url = ['https://a.example.com', 'https://b.example.com'][outcomes.indexOf(winner!)]
    expect(stored()!.contract.properties).toEqual({ url, protocol: 'http' })
    expect(winner!.outputs.etag).toBe(stored()!.etag)
    // Normally both reads find nothing and the later create gets 412; on a very slow machine
    // the second step may start after the first wrote, and find the backend already there.
    const statuses = puts().map((p) => [p.headers['if-none-match'], p.status])
    if (statuses.length === 2) {
      expect(statuses).toEqual([
        ['*', 201],
        ['*', 412]
      ])
      expect(loser.failure).toBe(
        "Backend 'orders' was created by someone else while this step ran; re-run to see it."
      )
    } else {
      expect(loser.failure).toBe("Backend 'orders' already exists; set if-exists: replace or skip.")
    }
  }, 60_000)
})
