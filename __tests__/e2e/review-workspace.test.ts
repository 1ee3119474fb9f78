// Review of the `workspace` input (APIM workspaces): each test is a finding, written as what the
// user should see, or a promise that held under an attack on it. Above each finding: what the
// user saw before the fix. The emulator runs in its workspace-only mode (a role on team-a only):
// any request outside …/workspaces/team-a/ answers ARM's 403, and `outside()` lists them.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInProcess } from '../../scripts/run-in-process.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const WS = 'team-a'
const SERVICE_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}`
const SCOPE = `${SERVICE_ID}/workspaces/${WS}`

const emu = useEmulator()
let emulator: ApimEmulator
let workspace: string

beforeEach(() => {
  emulator = emu()
  workspace = mkdtempSync(join(tmpdir(), 'review-ws-'))
  emulator.grantOnlyWorkspace(SUB, RG, SERVICE, WS)
  // A service-level backend of the same name as the workspace's: never to be touched or read.
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: 'https://platform.example.com',
    protocol: 'http'
  })
})

const step = (operation: string, extra: Record<string, string>, env: Record<string, string> = {}) =>
  runInProcess(
    { operation, ...TARGET, ...secretSignIn(emulator), workspace: WS, ...extra },
    { GITHUB_WORKSPACE: workspace, APIM_BACKEND_ACTION_RETRY_DELAY_MS: '1', ...env }
  )
/** ARM requests below the workspace, as "METHOD /rest"; any other shows as OUTSIDE and whole. */
const calls = () =>
  emulator
    .armRequests()
    .map((r) =>
      r.path.toLowerCase().startsWith(SCOPE.toLowerCase())
        ? `${r.method} ${r.path.slice(SCOPE.length) || '/'}`
        : `${r.method} OUTSIDE ${r.path}`
    )
const outside = () => calls().filter((c) => c.includes('OUTSIDE'))
const seed = (id: string, properties: Record<string, unknown>) =>
  emulator.putWorkspaceBackend(SUB, RG, SERVICE, WS, id, properties)
const inWs = (id: string) =>
  emulator.getWorkspaceBackend(SUB, RG, SERVICE, WS, id)?.contract.properties as
    Record<string, unknown> | undefined
const single = (url: string) => ({ url, protocol: 'http' })
const log = (o: { stdout: string }) => o.stdout

describe('requests stay inside the workspace', () => {
  // Saw: a list page whose nextLink points at the service's own backends
  // (…/service/s/backends?$skip=…) was followed: a GET outside the workspace (403 for a team
  // whose role is on the workspace only; with a wider role, the service's backends listed as the
  // workspace's, and a plan with prune would then mark them would-delete).
  // Should see: the listing stops at that link, naming it, and no request leaves the workspace.
  it('a nextLink that leaves the workspace is not followed', async () => {
    seed('orders', single('https://orders.example.com'))
    emulator.injectFault({
      method: 'GET',
      path: new RegExp(`/workspaces/${WS}/backends$`),
      status: 200,
      body: {
        value: [],
        nextLink: `${emulator.url}${SERVICE_ID}/backends?api-version=2024-05-01&$skip=0`
      }
    })
    const outcome = await step('list', {})
    expect(outside()).toEqual([])
    expect(outcome.failure).toMatch(/nextLink/)
    expect(outcome.failure).toContain(`workspace '${WS}'`)
  })

  // Held: 429 retries, a 204 PATCH re-read, a PUT whose answer was lost (drop-after-apply) and
  // read again, and a switch that rolls back: every request below the workspace.
  it('retries, the 204 re-read, lost-write recovery and a rollback stay inside', async () => {
    seed('orders', single('https://orders.example.com'))
    emulator.injectFault({
      method: 'GET',
      path: /workspaces\/team-a\/backends\/orders$/,
      status: 429,
      headers: { 'Retry-After': '0' }
    })
    emulator.injectFault({ method: 'PATCH', path: /backends\/orders$/, kind: 'patch-no-content' })
    const updated = await step('update', { 'backend-id': 'orders', title: 'Orders' })
    expect(updated.failure).toBeUndefined()
    expect(updated.outputs.result).toBe('updated')

    emulator.injectFault({ method: 'PUT', path: /backends\/lost$/, kind: 'drop-after-apply' })
    const created = await step('create', {
      'backend-id': 'lost',
      url: 'https://lost.example.com',
      protocol: 'http',
      'request-timeout-seconds': '5'
    })
    expect(created.failure).toBeUndefined()
    expect(created.outputs.result).toBe('created')

    emulator.setHealth('green', [503])
    const switched = await step('switch', {
      'backend-id': 'orders',
      url: 'https://green.example.com',
      'health-url': emulator.healthUrl('green'),
      'health-timeout-seconds': '2',
      'health-interval-seconds': '1',
      'health-successes': '1'
    })
    expect(switched.outputs.result).toBe('rolled-back')
    expect(inWs('orders')?.url).toBe('https://orders.example.com')
    expect(log(switched)).toContain('no reconnect')
    expect(outside()).toEqual([])
    expect(calls().filter((c) => c.includes('reconnect'))).toEqual([])
  })

  // Held: a pool whose members are given as ARM ids of the workspace in another casing
  // (RESOURCEGROUPS, TEAM-A) is accepted; its members are checked (HEAD) inside the workspace.
  it('pool members as ARM ids in another casing resolve inside the workspace', async () => {
    seed('blue', single('https://blue.example.com'))
    const outcome = await step('create', {
      'backend-id': 'orders-pool',
      pool: `[${SCOPE.replace('resourceGroups', 'RESOURCEGROUPS').replace(WS, 'TEAM-A')}/backends/blue]`
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(outside()).toEqual([])
    expect(calls()).toContain('HEAD /backends/blue')
  })

  // Held: the workspace input in another casing than Azure's (TEAM-A) reaches the same workspace.
  it('workspace in another casing is the same workspace', async () => {
    seed('orders', single('https://orders.example.com'))
    const outcome = await step('get', { 'backend-id': 'orders', workspace: 'TEAM-A' })
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.backend).id).toBe(`${SCOPE}/backends/orders`)
    expect(outside()).toEqual([])
  })

  // Held: path tricks in the workspace id are refused before any request.
  it.each([['team-a/../..'], ['team-a%2F..'], ['..'], ['team-a?x=1']])(
    'workspace %j is refused before any request',
    async (given) => {
      const outcome = await step('list', { workspace: given })
      expect(outcome.failure).toContain('workspace')
      expect(emulator.armRequests()).toEqual([])
    }
  )

  // Held: a `backend` output of a workspace step whose id hides a path trick in its workspace
  // segment (%2F.. decodes to /..) is refused before any request.
  it('a backend id whose workspace segment decodes to a path is refused', async () => {
    const outcome = await step('get', {
      workspace: '',
      backend: JSON.stringify({ id: `${SERVICE_ID}/workspaces/team-a%2F..%2F../backends/orders` })
    })
    expect(outcome.failure).toContain('workspace')
    expect(emulator.armRequests()).toEqual([])
  })
})

describe('what the user reads names the workspace', () => {
  // Saw: "The pool's member 'blue' does not exist in API Management service 'apimService1'" —
  // it was looked for (HEAD) in workspace team-a, and the service may well have a 'blue'.
  // Should see: "… does not exist in workspace 'team-a' of API Management service …".
  it('a missing pool member is missing from the workspace', async () => {
    const outcome = await step('create', { 'backend-id': 'orders-pool', pool: '[blue]' })
    expect(outcome.failure).toContain("'blue'")
    expect(outcome.failure).toContain(`workspace '${WS}' of API Management service`)
    expect(outside()).toEqual([])
  })

  // Saw: "1 backend in apimService1." (list), "Creating backend 'orders' in apimService1.",
  // "Plan for apimService1: …", "Apply to apimService1: …": the log of a workspace step told
  // the reader the service's backends were listed, created, planned and applied.
  // Should see: each of those lines names workspace team-a.
  it('the log lines of list, create, plan and apply name the workspace', async () => {
    const created = await step('create', {
      'backend-id': 'orders',
      url: 'https://orders.example.com',
      protocol: 'http'
    })
    expect(log(created)).toContain(`Creating backend 'orders' in workspace ${WS} of ${SERVICE}`)
    const listed = await step('list', {})
    expect(log(listed)).toContain(`1 backend in workspace ${WS} of ${SERVICE}`)
    const file = '[{backend-id: orders, url: "https://orders.example.com", protocol: http}]'
    const planned = await step('plan', { backends: file })
    expect(log(planned)).toContain(`Plan for workspace ${WS} of ${SERVICE}`)
    const applied = await step('apply', { backends: file })
    expect(log(applied)).toContain(`Apply to workspace ${WS} of ${SERVICE}`)
    expect(outside()).toEqual([])
  })

  // Saw: "Listing the backends of 'apimService1' failed: HTTP 404 …" for a workspace that does
  // not exist. Should see: the listing named as the workspace's (the hint names it missing).
  it('a failed listing names the workspace it listed', async () => {
    emulator.grantFullAccess()
    const outcome = await step('list', { workspace: 'team-z' })
    expect(outcome.failure).toContain("Listing the backends of workspace 'team-z'")
    expect(outcome.failure).toContain("the workspace 'team-z' of API Management service")
    expect(outcome.failure).toContain('was not found')
  })

  // Saw: "apimService1 has no backends: the file holds an empty list" when the workspace was
  // empty. Should see: the workspace named.
  it('export of an empty workspace warns about the workspace', async () => {
    const outcome = await step('export', { 'export-file': 'b.yml' })
    expect(outcome.outputs.result).toBe('exported')
    expect(outcome.stdout).toContain(`workspace ${WS} of ${SERVICE} has no backends`)
  })
})

describe('a missing or unreadable workspace', () => {
  // Saw: with a custom role that may read and write the workspace's backends but not read the
  // workspace itself (…/workspaces/read), a missing backend was reported as "the workspace
  // 'team-a' … was not found": the GET of the workspace answered 403 and was taken for a 404.
  // Should see: the backend named as the one missing.
  it('a 403 on the workspace itself does not make the workspace missing', async () => {
    emulator.injectFault({
      method: 'GET',
      path: new RegExp(`/workspaces/${WS}$`),
      status: 403,
      code: 'AuthorizationFailed',
      message: 'no workspaces/read'
    })
    const outcome = await step('get', { 'backend-id': 'nope' })
    expect(outcome.failure).toContain("backend 'nope' does not exist in workspace 'team-a'")
    expect(outcome.failure).not.toContain('was not found')
  })

  // Saw: `delete` (and `get`) with if-missing: ignore in a misspelt workspace succeeded with
  // result `absent` ("Backend 'orders' does not exist"): the step said done, and team-a's
  // 'orders' was still there. Should see: the step fails, naming the workspace as missing.
  it('if-missing: ignore does not hide a missing workspace', async () => {
    // A role wider than the workspace: team-aa's 404 reaches the step (not ARM's 403).
    emulator.grantFullAccess()
    seed('orders', single('https://orders.example.com'))
    const deleted = await step('delete', {
      'backend-id': 'orders',
      workspace: 'team-aa',
      'if-missing': 'ignore'
    })
    expect(deleted.outputs.result).not.toBe('absent')
    expect(deleted.failure).toContain("the workspace 'team-aa' of API Management service")
    const got = await step('get', {
      'backend-id': 'orders',
      workspace: 'team-aa',
      'if-missing': 'ignore'
    })
    expect(got.failure).toContain("the workspace 'team-aa' of API Management service")
    // In the right workspace, a backend that is not there is still absent.
    const absent = await step('get', { 'backend-id': 'gone', 'if-missing': 'ignore' })
    expect(absent.outputs.result).toBe('absent')
    expect(inWs('orders')).toBeDefined()
  })
})

describe('files: saved plans and exports', () => {
  // Held: a plan saved for team-a is refused by apply in team-b and at the service level, before
  // any write.
  it('a plan saved for one workspace is not applied to another, nor to the service', async () => {
    emulator.grantFullAccess()
    emulator.addWorkspace(SUB, RG, SERVICE, 'team-b')
    const file = '[{backend-id: orders, url: "https://orders.example.com", protocol: http}]'
    const planned = await step('plan', { backends: file, 'plan-file': 'p.json' })
    expect(planned.failure).toBeUndefined()
    expect(JSON.parse(readFileSync(join(workspace, 'p.json'), 'utf8')).service).toBe(SCOPE)
    const before = emulator.armRequests().length
    const inB = await step('apply', { backends: file, 'plan-file': 'p.json', workspace: 'team-b' })
    expect(inB.failure).toContain('the plan is for')
    const atService = await step('apply', { backends: file, 'plan-file': 'p.json', workspace: '' })
    expect(atService.failure).toContain('the plan is for')
    expect(emulator.armRequests().slice(before)).toEqual([])
  })

  // Saw: a file exported from workspace team-a (certificate ids are the workspace's:
  // …/workspaces/team-a/certificates/c1) planned without `workspace` said would-create, and apply
  // sent the service a backend that names another scope's certificate. A pool member of a
  // workspace is refused at the service level before any request; a certificate was not.
  // Should see: refused before any request, naming backend-credentials and the workspace.
  it('an export from a workspace read back at the service level: its certificates are refused', async () => {
    emulator.grantFullAccess()
    seed('orders', {
      ...single('https://orders.example.com'),
      credentials: { certificateIds: [`${SCOPE}/certificates/c1`] }
    })
    const exported = await step('export', { 'export-file': 'b.yml' })
    expect(exported.outputs.result).toBe('exported')
    expect(readFileSync(join(workspace, 'b.yml'), 'utf8')).toContain(`workspace '${WS}'`)
    const before = emulator.armRequests().length
    const planned = await step('plan', { backends: 'b.yml', workspace: '' })
    expect(planned.failure).toContain('certificate')
    expect(planned.failure).toContain(`workspace`)
    expect(emulator.armRequests().slice(before)).toEqual([])
  })

  // Held: the pull-request marker of a workspace plan differs from the service-level plan of the
  // same file, so neither overwrites the other's comment.
  it('the comment marker of a workspace plan is not the service plan of the same file', async () => {
    const { markerOf } = await import('../../src/pr-comment/marker.js')
    const ws = markerOf({ operation: 'plan', service: SCOPE, file: 'apim/backends.yml' })
    const svc = markerOf({ operation: 'plan', service: SERVICE_ID, file: 'apim/backends.yml' })
    expect(ws).not.toBe(svc)
    expect(ws.startsWith(`${svc}\n`)).toBe(false)
  })
})

describe('operations across steps', () => {
  // Held: a `backend` output from a workspace step given to a later step without `workspace`
  // stays in that workspace: get, switch (no reconnect), and reset (refused before any request).
  it('a backend output from a workspace step keeps the workspace', async () => {
    seed('orders', single('https://orders.example.com'))
    const got = await step('get', { 'backend-id': 'orders' })
    const backend = got.outputs.backend
    expect(JSON.parse(backend).type).toBe('Microsoft.ApiManagement/service/workspaces/backends')
    const again = await step('get', { backend, workspace: '' })
    expect(again.outputs.result).toBe('found')
    emulator.setHealth('green', [200])
    const switched = await step('switch', {
      backend,
      workspace: '',
      url: 'https://green.example.com',
      'health-url': emulator.healthUrl('green'),
      'health-successes': '1'
    })
    expect(switched.failure).toBeUndefined()
    expect(switched.outputs.result).toBe('switched')
    expect(switched.summary).toContain('no reconnect')
    const count = emulator.armRequests().length
    const reset = await step('reset', { backend, workspace: '' })
    expect(reset.failure).toContain('workspace')
    expect(emulator.armRequests().length).toBe(count)
    expect(outside()).toEqual([])
  })

  // Held: a switch in a workspace needs no time for a reconnect: timeout-seconds of the probe
  // time, one attempt and the rollback reserve is enough; time-until-reset is refused.
  it('switch timeout math in a workspace has no wait', async () => {
    seed('orders', single('https://orders.example.com'))
    const refused = await step('switch', {
      'backend-id': 'orders',
      url: 'https://green.example.com',
      'health-url': emulator.healthUrl('green'),
      'time-until-reset': '30'
    })
    expect(refused.failure).toContain('time-until-reset')
    expect(emulator.armRequests()).toEqual([])
  })

  // Held: time-until-reset in a backends list item of a workspace step is refused before any
  // request (reset: refused by workspace; create: not its input), and a what-if create of a pool
  // checks its members inside the workspace and writes nothing.
  it('backends items and what-if stay inside the workspace', async () => {
    const reset = await step('reset', { backends: "[{backend-id: orders, time-until-reset: '5'}]" })
    expect(reset.failure).toContain('workspace')
    const create = await step('create', {
      backends:
        "[{backend-id: orders, url: 'https://o.example.com', protocol: http, time-until-reset: '5'}]"
    })
    expect(create.failure).toContain('time-until-reset')
    expect(emulator.armRequests()).toEqual([])
    seed('blue', single('https://blue.example.com'))
    const whatIf = await step('create', {
      'backend-id': 'orders-pool',
      pool: '[blue]',
      'what-if': 'true'
    })
    expect(whatIf.outputs.result).toBe('would-create')
    expect(calls()).toEqual(['GET /backends/orders-pool', 'HEAD /backends/blue'])
  })
})
