// operation: apply — the backends file kept in git made true in the service on merge: create
// what is missing, replace what differs, delete (prune) what the file does not name; a saved
// plan applied exactly as reviewed; a second apply writes nothing.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInProcess } from '../../scripts/run-in-process.js'
import {
  ApimEmulator,
  RG,
  SERVICE,
  SUB,
  TARGET,
  armCalls,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
let workspace: string
beforeEach(() => {
  emulator = emu()
  workspace = mkdtempSync(join(tmpdir(), 'apply-ws-'))
  put('orders', { url: 'https://orders.example.com', protocol: 'http', title: 'Orders' })
  put('billing', {
    url: 'https://billing.example.com',
    protocol: 'http',
    credentials: { header: { 'x-api-key': ['billing-key-old-4711'] } }
  })
  put('legacy', { url: 'https://legacy.example.com', protocol: 'soap' })
})

const put = (id: string, properties: Record<string, unknown>) =>
  emulator.putBackend(SUB, RG, SERVICE, id, properties)
const stored = (id: string) =>
  emulator.getBackend(SUB, RG, SERVICE, id)?.contract.properties as
    Record<string, unknown> | undefined

const FILE = [
  '- backend-id: orders',
  '  url: https://orders.example.com',
  '  title: Orders',
  '- backend-id: billing',
  '  url: https://billing.example.com',
  '  backend-credentials: { header: { x-api-key: "${BILLING_KEY}" } }',
  '- backend-id: search',
  '  url: https://search.example.com'
].join('\n')

const ENV = { BILLING_KEY: 'billing-key-new-4711' }

const step = (
  operation: 'plan' | 'apply',
  extra: Record<string, string> = {},
  env: Record<string, string | undefined> = {}
) =>
  runInProcess(
    {
      operation,
      ...TARGET,
      ...secretSignIn(emulator),
      protocol: 'http',
      backends: FILE,
      ...extra
    },
    { GITHUB_WORKSPACE: workspace, ...ENV, ...env }
  )

const results = (outputs: Record<string, string>) =>
  JSON.parse(outputs.results) as {
    'backend-id': string
    result: string
    changes: string[]
    error?: string
  }[]
const byId = (outputs: Record<string, string>) =>
  Object.fromEntries(results(outputs).map((r) => [r['backend-id'], r.result]))

/** The conditional headers of the run's writes, as "METHOD /backends/id if-match|if-none-match". */
const guardedWrites = () =>
  emulator
    .armRequests()
    .filter((r) => r.method !== 'GET')
    .map((r) => {
      const id = r.path.slice(r.path.lastIndexOf('/') + 1)
      const guard = r.headers['if-none-match']
        ? `If-None-Match: ${r.headers['if-none-match']}`
        : r.headers['if-match']
          ? 'If-Match: <etag>'
          : 'unguarded'
      return `${r.method} ${id} ${guard}`
    })

describe('operation: apply', () => {
  it('creates what is missing, replaces what differs with the ETag it read, leaves the rest; a second apply writes nothing', async () => {
    const first = await step('apply')
    expect(first.failure).toBeUndefined()
    expect(first.outputs.result).toBe('applied')
    expect(results(first.outputs)).toEqual([
      { 'backend-id': 'orders', result: 'unchanged', changes: [] },
      {
        'backend-id': 'billing',
        result: 'replaced',
        changes: ['properties.credentials.header.x-api-key']
      },
      {
        'backend-id': 'search',
        result: 'created',
        changes: ['properties.protocol', 'properties.url']
      },
      { 'backend-id': 'legacy', result: 'not-in-file', changes: [] }
    ])
    expect(first.outputs['has-changes']).toBe('true')
    // One listing, a GET for the ETag of the backend to replace, then the writes, each guarded.
    expect(armCalls(emulator).filter((c) => c.startsWith('GET'))).toEqual([
      'GET /backends',
      'GET /backends/billing'
    ])
    expect(guardedWrites().sort()).toEqual([
      'PUT billing If-Match: <etag>',
      'PUT search If-None-Match: *'
    ])
    expect(stored('billing')).toMatchObject({
      credentials: { header: { 'x-api-key': ['billing-key-new-4711'] } }
    })
    expect(stored('legacy')).toBeDefined()
    expect(first.summary).toContain(
      '<tr><td>Applied</td><td>1 created, 1 replaced, 1 unchanged, 1 not in the file</td></tr>'
    )
    for (const text of [first.stdout, first.summary, first.outputs.results])
      expect(text.replace(/^::add-mask::.*$/gm, '')).not.toMatch(/billing-key-(old|new)-4711/)

    const second = await step('apply')
    expect(second.failure).toBeUndefined()
    expect(second.outputs['has-changes']).toBe('false')
    expect(Object.values(byId(second.outputs))).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'not-in-file'
    ])
  })

  it('a second apply sends the listing and nothing else', async () => {
    await step('apply')
    const before = emulator.armRequests().length
    await step('apply')
    const calls = armCalls(emulator).slice(before)
    expect(calls).toEqual(['GET /backends'])
  })

  it('with prune: true, deletes what the file does not name, with the ETag it read', async () => {
    const outcome = await step('apply', { prune: 'true' })
    expect(outcome.failure).toBeUndefined()
    expect(byId(outcome.outputs).legacy).toBe('deleted')
    expect(stored('legacy')).toBeUndefined()
    expect(guardedWrites()).toContain('DELETE legacy If-Match: <etag>')
  })

  it('a pool and its members in one file: members first on create; with prune, the pool before its members on delete', async () => {
    const pooled = [
      '- { backend-id: blue, url: "https://blue.example.com", protocol: http }',
      '- { backend-id: green, url: "https://green.example.com", protocol: http }',
      '- { backend-id: orders-pool, pool: [blue, green] }'
    ].join('\n')
    // The step's protocol (http) is a default of the members; a pool has none of its own.
    const created = await step('apply', { backends: pooled, prune: 'true' })
    expect(created.failure).toBeUndefined()
    const order = guardedWrites()
    expect(order.indexOf('PUT orders-pool If-None-Match: *')).toBeGreaterThan(
      Math.max(
        order.indexOf('PUT blue If-None-Match: *'),
        order.indexOf('PUT green If-None-Match: *')
      )
    )
    expect(stored('orders-pool')).toMatchObject({ type: 'Pool' })

    const before = emulator.armRequests().length
    const emptied = await step('apply', {
      backends: '[{backend-id: other, url: "https://other.example.com"}]',
      prune: 'true'
    })
    expect(emptied.failure).toBeUndefined()
    const deletes = emulator
      .armRequests()
      .slice(before)
      .filter((r) => r.method === 'DELETE')
      .map((r) => r.path.slice(r.path.lastIndexOf('/') + 1))
    expect(deletes.indexOf('orders-pool')).toBe(0)
    expect(deletes.sort()).toEqual(['blue', 'green', 'orders-pool'])
  })

  it('a pool whose member is neither in the file nor in the service is not written; the others are', async () => {
    const outcome = await step('apply', {
      backends: [
        '- { backend-id: search, url: "https://search.example.com", protocol: http }',
        '- { backend-id: lonely-pool, pool: [nowhere] }'
      ].join('\n')
    })
    expect(outcome.failure).toContain(
      "lonely-pool (not written: its member 'nowhere' is neither in the file nor in the service)"
    )
    expect(byId(outcome.outputs)).toMatchObject({ search: 'created', 'lonely-pool': 'failed' })
    expect(stored('lonely-pool')).toBeUndefined()
  })

  it('one failure does not stop the others; the step fails at the end naming it', async () => {
    emulator.injectFault({
      method: 'PUT',
      path: /\/backends\/search$/,
      status: 400,
      code: 'ValidationError',
      message: 'One or more fields contain incorrect values.'
    })
    const outcome = await step('apply')
    expect(byId(outcome.outputs)).toMatchObject({ billing: 'replaced', search: 'failed' })
    expect(outcome.failure).toMatch(/^1 of 4 backends failed: search \(.*ValidationError/)
    expect(outcome.summary).toContain('<td><code>search</code></td><td>failed</td>')
  })

  it('a backend changed by someone else between the read and the write is not overwritten', async () => {
    // Someone else's write lands just after this step read billing for its ETag.
    emulator.injectFault({ method: 'GET', path: /\/backends\/billing$/, kind: 'concurrent-write' })
    const outcome = await step('apply')
    expect(byId(outcome.outputs).billing).toBe('failed')
    expect(outcome.failure).toContain(
      'billing (changed by someone else while this step ran; not written. Run apply again.)'
    )
  })

  it('an unset reference is refused before any request, naming variable, backend and field', async () => {
    const outcome = await step('apply', {}, { BILLING_KEY: undefined })
    expect(outcome.failure).toContain(
      'refers to the environment variable BILLING_KEY, which is not set'
    )
    expect(emulator.armRequests()).toEqual([])
  })
})

describe('a saved plan (plan-file): plan -> review -> apply exactly that', () => {
  const savedPlan = () =>
    JSON.parse(readFileSync(join(workspace, 'out/backends.plan.json'), 'utf8'))

  it('plan saves it (no secret value, the ETags read); apply writes exactly it, with no listing', async () => {
    const planned = await step('plan', { 'plan-file': 'out/backends.plan.json', prune: 'true' })
    expect(planned.failure).toBeUndefined()
    const text = readFileSync(join(workspace, 'out/backends.plan.json'), 'utf8')
    expect(text).not.toMatch(/billing-key-(old|new)-4711/)
    const plan = savedPlan()
    expect(
      plan.backends.map((b: { 'backend-id': string; result: string; etag?: string }) => [
        b['backend-id'],
        b.result,
        !!b.etag
      ])
    ).toEqual([
      ['orders', 'unchanged', false],
      ['billing', 'would-replace', true],
      ['search', 'would-create', false],
      ['legacy', 'would-delete', true]
    ])
    expect(plan.backends[1].desired.credentials.header['x-api-key']).toEqual(['***'])

    const before = emulator.armRequests().length
    const applied = await step('apply', { 'plan-file': 'out/backends.plan.json' })
    expect(applied.failure).toBeUndefined()
    expect(byId(applied.outputs)).toEqual({
      orders: 'unchanged',
      billing: 'replaced',
      search: 'created',
      legacy: 'deleted'
    })
    // No listing and no read: the plan's ETags guard the writes.
    expect(
      armCalls(emulator)
        .slice(before)
        .filter((c) => c.startsWith('GET'))
    ).toEqual([])
    expect(stored('billing')).toMatchObject({
      credentials: { header: { 'x-api-key': ['billing-key-new-4711'] } }
    })
    expect(applied.summary).toContain('applied as reviewed')
  })

  it('a backend changed since the plan is not written, and the step fails naming it; the rest is applied', async () => {
    await step('plan', { 'plan-file': 'out/backends.plan.json' })
    // Someone edits billing in the portal after the review.
    put('billing', { url: 'https://billing-portal-edit.example.com', protocol: 'http' })
    const applied = await step('apply', { 'plan-file': 'out/backends.plan.json' })
    expect(applied.failure).toContain(
      'billing (changed since the plan (written by someone else); not written. Plan again and review the new plan.)'
    )
    expect(byId(applied.outputs)).toMatchObject({ billing: 'failed', search: 'created' })
    expect(stored('billing')).toMatchObject({ url: 'https://billing-portal-edit.example.com' })
  })

  it('a backend created by someone else since the plan is not overwritten', async () => {
    await step('plan', { 'plan-file': 'out/backends.plan.json' })
    put('search', { url: 'https://someone-elses-search.example.com', protocol: 'http' })
    const applied = await step('apply', { 'plan-file': 'out/backends.plan.json' })
    expect(applied.failure).toContain('search (changed since the plan (created by someone else)')
    expect(stored('search')).toMatchObject({ url: 'https://someone-elses-search.example.com' })
  })

  it('a backends file or target that differs from the plan is refused before any request', async () => {
    await step('plan', { 'plan-file': 'out/backends.plan.json' })
    const before = emulator.armRequests().length
    const edited = await step('apply', {
      'plan-file': 'out/backends.plan.json',
      backends: FILE.replace('title: Orders', 'title: Orders v2')
    })
    expect(edited.failure).toContain(
      "Input 'plan-file': is not the plan of this backends file and service: backend 'orders' differs from the plan (title)"
    )
    const prune = await step('apply', { 'plan-file': 'out/backends.plan.json', prune: 'true' })
    expect(prune.failure).toContain(
      "Input 'prune': is true, but the plan in plan-file was made with prune: false"
    )
    const other = await step('apply', {
      'plan-file': 'out/backends.plan.json',
      'service-name': 'another-service'
    })
    expect(other.failure).toContain('the plan is for /subscriptions/')
    expect(emulator.armRequests().length).toBe(before)
  })

  it('a plan file that is not a plan, or outside the workspace, is refused before any request', async () => {
    writeFileSync(join(workspace, 'not-a-plan.json'), '{"hello": 1}')
    const wrong = await step('apply', { 'plan-file': 'not-a-plan.json' })
    expect(wrong.failure).toContain("Input 'plan-file': is not a plan of this action's format")
    const outside = await step('plan', { 'plan-file': '../elsewhere.plan.json' })
    expect(outside.failure).toContain(
      "Input 'plan-file': '../elsewhere.plan.json' is outside the workspace"
    )
    expect(emulator.armRequests()).toEqual([])
  })
})
