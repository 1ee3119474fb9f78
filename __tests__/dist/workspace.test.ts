// A product team that owns one APIM workspace, with a role granted on that workspace only: every
// operation through dist/index.js (run as the runner runs it) against the emulator in its
// workspace-only mode, where any request outside …/workspaces/team-a/ is refused with ARM's 403.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runDist, runtimes } from '../../scripts/runner.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const node = (runtimes().find((n) => n.version.startsWith('v24')) ?? runtimes()[0]).path
const WS = 'team-a'
const SCOPE = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/workspaces/${WS}`

const emu = useEmulator()
let emulator: ApimEmulator
let workspace: string
beforeEach(() => {
  emulator = emu()
  workspace = mkdtempSync(join(tmpdir(), 'dist-ws-'))
  emulator.grantOnlyWorkspace(SUB, RG, SERVICE, WS)
  // A service-level backend of the same name: never touched, never read.
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: 'https://platform.example.com',
    protocol: 'http'
  })
})

const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runDist(
    { ...TARGET, ...secretSignIn(emulator), workspace: WS, ...inputs },
    { GITHUB_WORKSPACE: workspace, ...env },
    emulator.certPath,
    node
  )
/** ARM requests as "METHOD path below the workspace"; one outside it shows whole. */
const calls = () =>
  emulator
    .armRequests()
    .map(
      (r) =>
        `${r.method} ${r.path.startsWith(SCOPE) ? r.path.slice(SCOPE.length) || '/' : `OUTSIDE ${r.path}`}`
    )
const outside = () => calls().filter((c) => c.includes('OUTSIDE'))
const inWorkspace = (id: string) => emulator.getWorkspaceBackend(SUB, RG, SERVICE, WS, id)

describe('dist/index.js with workspace: team-a, a role on the workspace only', () => {
  it('create, get, update, list and delete stay inside the workspace', async () => {
    const created = await run({
      operation: 'create',
      'backend-id': 'orders',
      url: 'https://orders.team-a.example.com',
      protocol: 'http'
    })
    expect(created.failure).toBeUndefined()
    expect(created.outputs.result).toBe('created')
    const backend = JSON.parse(created.outputs.backend)
    expect(backend.type).toBe('Microsoft.ApiManagement/service/workspaces/backends')
    expect(backend.id).toBe(`${SCOPE}/backends/orders`)
    expect(created.summary).toContain('workspace team-a of')

    // An earlier step's backend output carries the workspace.
    const got = await run({ operation: 'get', backend: created.outputs.backend, workspace: '' })
    expect(got.outputs.result).toBe('found')
    const updated = await run({
      operation: 'update',
      'backend-id': 'orders',
      title: 'Orders (team A)'
    })
    expect(updated.outputs.result).toBe('updated')
    const listed = await run({ operation: 'list' })
    expect(JSON.parse(listed.outputs.backends).map((b: { name: string }) => b.name)).toEqual([
      'orders'
    ])
    const deleted = await run({ operation: 'delete', 'backend-id': 'orders' })
    expect(deleted.outputs.result).toBe('deleted')

    expect(outside()).toEqual([])
    expect(calls()).toEqual([
      'GET /backends/orders',
      'PUT /backends/orders',
      'GET /backends/orders',
      'GET /backends/orders',
      'PATCH /backends/orders',
      'GET /backends',
      'GET /backends/orders',
      'DELETE /backends/orders'
    ])
    // The service's own 'orders' is another backend, untouched.
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')!.contract.properties.url).toBe(
      'https://platform.example.com'
    )
  })

  it('a pool and its members in one backends step: members are the workspace’s', async () => {
    const outcome = await run({
      operation: 'create',
      backends: [
        '- { backend-id: blue, url: "https://blue.example.com", protocol: http }',
        '- { backend-id: green, url: "https://green.example.com", protocol: http }',
        '- { backend-id: orders-pool, pool: [blue, green] }'
      ].join('\n')
    })
    expect(outcome.failure).toBeUndefined()
    expect(inWorkspace('orders-pool')!.contract.properties.pool.services).toEqual([
      { id: `${SCOPE}/backends/blue` },
      { id: `${SCOPE}/backends/green` }
    ])
    expect(outside()).toEqual([])
  })

  it('reset is refused before any request, naming workspace', async () => {
    const outcome = await run({ operation: 'reset', 'backend-id': 'orders' })
    expect(outcome.code).toBe(1)
    expect(outcome.failure).toContain(
      "Input 'workspace': is 'team-a', but a workspace's backends have no reconnect"
    )
    expect(emulator.requests).toHaveLength(0)
  })

  it('switch: PATCH, then the health gate, with no reconnect and no wait, and says so', async () => {
    emulator.putWorkspaceBackend(SUB, RG, SERVICE, WS, 'orders', {
      url: 'https://orders-blue.example.com',
      protocol: 'http'
    })
    emulator.setHealth('green', [200])
    const outcome = await run({
      operation: 'switch',
      'backend-id': 'orders',
      url: 'https://orders-green.example.com',
      'health-url': emulator.healthUrl('green', '/healthz'),
      'health-interval-seconds': '1',
      'health-timeout-seconds': '3',
      'health-successes': '1'
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('switched')
    expect(outcome.outputs['reset-at']).toBeUndefined()
    expect(outcome.stdout).toContain("No reconnect: backend 'orders' is in workspace 'team-a'")
    expect(outcome.summary).toContain('none: workspace')
    expect(calls()).toEqual(['GET /backends/orders', 'PATCH /backends/orders'])
  })

  it('plan, apply with prune, and export: the workspace’s backends only', async () => {
    emulator.putWorkspaceBackend(SUB, RG, SERVICE, WS, 'scratch', {
      url: 'https://scratch.example.com',
      protocol: 'http'
    })
    writeFileSync(
      join(workspace, 'backends.yml'),
      '- { backend-id: orders, url: "https://orders.team-a.example.com", protocol: http }\n'
    )
    const planned = await run({ operation: 'plan', backends: 'backends.yml', prune: 'true' })
    expect(JSON.parse(planned.outputs.results)).toEqual([
      {
        'backend-id': 'orders',
        result: 'would-create',
        changes: ['properties.protocol', 'properties.url']
      },
      {
        'backend-id': 'scratch',
        result: 'would-delete',
        changes: ['properties.protocol', 'properties.url']
      }
    ])
    const applied = await run({ operation: 'apply', backends: 'backends.yml', prune: 'true' })
    expect(applied.failure).toBeUndefined()
    expect(inWorkspace('orders')).toBeDefined()
    expect(inWorkspace('scratch')).toBeUndefined()

    const exported = await run({ operation: 'export', 'export-file': 'exported.yml' })
    expect(exported.failure).toBeUndefined()
    const file = readFileSync(join(workspace, 'exported.yml'), 'utf8')
    expect(file).toContain("workspace 'team-a'")
    expect(file).toContain('backend-id: orders')
    const again = await run({ operation: 'plan', backends: 'exported.yml', prune: 'true' })
    expect(again.outputs['has-changes']).toBe('false')
    expect(outside()).toEqual([])
  })

  it('another workspace: the 403 names the missing role assignment and its scope; a missing workspace is named', async () => {
    emulator.addWorkspace(SUB, RG, SERVICE, 'team-b')
    const other = await run({ operation: 'get', 'backend-id': 'orders', workspace: 'team-b' })
    expect(other.code).toBe(1)
    expect(other.failure).toContain('HTTP 403 AuthorizationFailed')
    expect(other.failure).toContain(
      `needs a role assignment on the workspace 'team-b' (scope ${SCOPE.replace(WS, 'team-b')})`
    )
    emulator.grantFullAccess()
    const missing = await run({ operation: 'get', 'backend-id': 'orders', workspace: 'team-z' })
    expect(missing.failure).toContain("the workspace 'team-z' of API Management service")
  })
})
