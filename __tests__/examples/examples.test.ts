// Every workflow under examples/ runs against the emulator, so none rots: each step of this
// action is run in process with its `with:` values (expressions substituted, see workflow.ts),
// signed in with OIDC, pointed at the emulator through arm-endpoint and authority-host, and
// must succeed; then each example's key result is checked. Steps of other actions are not run,
// but every expression in them must read an output that exists; the pull-request example's
// github-script is run against a stand-in of its `github` and `context`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runInProcess } from '../../scripts/run-in-process.js'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { expectNoSecrets } from '../helpers/secrets.js'
import { ApimEmulator, SUB, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'
import {
  EXAMPLES_DIR,
  PULL_REQUEST_NUMBER,
  jobOrder,
  loadWorkflow,
  runWorkflow,
  secretValue,
  stepOf,
  substitute,
  triggers,
  type ExpressionContext
} from './workflow.js'

// The APIM services the examples name.
const RG = 'rg-apim'
const SERVICE = 'contoso-apim'
const REGIONS = ['contoso-apim-weu', 'contoso-apim-eus']

const emu = useEmulator({
  services: [SERVICE, ...REGIONS].map((serviceName) => ({
    subscriptionId: SUB,
    resourceGroup: RG,
    serviceName
  }))
})
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const stored = (id: string, service = SERVICE) =>
  emulator.getBackend(SUB, RG, service, id)?.contract.properties
const writes = () => emulator.armRequests().filter((r) => r.method !== 'GET')
const seedOrders = (properties: object = {}) =>
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: 'https://orders.contoso.com/api',
    protocol: 'http',
    title: 'Orders API',
    credentials: { header: { 'x-functions-key': [secretValue('ORDERS_FUNCTION_KEY')] } },
    ...properties
  })

const TESTED = [
  'blue-green-switch.yml',
  'create-backend.yml',
  'reset-and-gate.yml',
  'what-if-pull-request.yml',
  'many-backends.yml',
  'matrix-services.yml',
  'backends-as-code.yml',
  'workspace-team.yml'
]

describe('examples/', () => {
  it('has a test for every workflow, and each is a plausible workflow', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((f) => /\.ya?ml$/.test(f))
    expect(files.sort()).toEqual([...TESTED].sort())
    for (const file of files) {
      const workflow = loadWorkflow(file) // throws on a missing on/jobs/runs-on/steps
      expect(triggers(workflow).length).toBeGreaterThan(0)
      expect(jobOrder(workflow)).toHaveLength(Object.keys(workflow.jobs).length)
    }
  })
})

describe('the workflow interpreter', () => {
  const ctx: ExpressionContext = {
    where: 'examples/x.yml',
    matrix: { service: 'contoso-apim-weu' },
    steps: { create: { result: 'created' } },
    needs: { reset: { 'reset-at': '2030-01-01T00:00:00Z' } },
    github: { repository: 'octo-org/octo-repo' }
  }

  it('substitutes the expressions the examples may use', () => {
    expect(
      substitute(
        '${{ vars.AZURE_SUBSCRIPTION_ID }} ${{secrets.KEY}} ${{ matrix.service }} ' +
          '${{ steps.create.outputs.result }} ${{ needs.reset.outputs.reset-at }} ${{ github.repository }}',
        ctx
      )
    ).toBe(
      `${SUB} secret-KEY-4711 contoso-apim-weu created 2030-01-01T00:00:00Z octo-org/octo-repo`
    )
  })

  it.each([
    ['${{ vars.OTHER }}', "no repository variable 'OTHER'"],
    ['${{ env.FOO }}', "the 'env' context is not supported"],
    ["${{ format('{0}', github.sha) }}", 'only plain property paths'],
    ['${{ steps.create.outputs.etag }}', "step 'create' set no output 'etag' (it set: result)"],
    ['${{ steps.later.outputs.result }}', "no earlier step of this job with id 'later'"],
    ['${{ needs.build.outputs.x }}', "'build' is not in this job's needs"],
    ['${{ matrix.region }}', "the job's matrix has no 'region'"],
    ['${{ github.token }}', 'github.token is not in the test'],
    ['${{ runner.os }}', "the 'runner' context is not supported"]
  ])('refuses %s, naming the place and the expression', (text, why) => {
    expect(() => substitute(`a ${text} b`, ctx)).toThrow(
      `examples/x.yml: the examples test does not understand ${text}: ${why}`
    )
  })
})

describe('create-backend.yml', () => {
  it('creates the backend with the secret credential, and the get step reads it back', async () => {
    const run = await runWorkflow('create-backend.yml', emulator)
    const create = stepOf(run, 'backend', 'create').outcome!
    const get = stepOf(run, 'backend', 'get').outcome!
    expect(create.outputs.result).toBe('created')
    expect(create.outputs['backend-id']).toBe('orders')
    expect(stored('orders')).toEqual({
      url: 'https://orders.contoso.com/api',
      protocol: 'http',
      title: 'Orders API',
      credentials: { header: { 'x-functions-key': [secretValue('ORDERS_FUNCTION_KEY')] } }
    })
    expect(get.outputs.result).toBe('found')
    expect(get.outputs.etag).toBe(create.outputs.etag)
    const backend = JSON.parse(get.outputs.backend)
    expect(backend.id).toMatch(/\/service\/contoso-apim\/backends\/orders$/)
    expect(backend.properties.credentials.header['x-functions-key']).toEqual(['***'])
    // The run step reads the outputs through env.
    const show = stepOf(run, 'backend', 2)
    expect(show.env).toMatchObject({ CREATE_RESULT: 'created', GET_RESULT: 'found' })
    // Both steps signed in with OIDC (the GitHub ID token exchanged for an access token).
    expect(emulator.issuedTokens.map((t) => t.grant)).toEqual([
      'client_assertion',
      'client_assertion'
    ])
    for (const step of run.actionSteps)
      expectNoSecrets(step.outcome!, [secretValue('ORDERS_FUNCTION_KEY')])
  })

  it('is safe to re-run: the next push finds the backend as asked and writes nothing', async () => {
    await runWorkflow('create-backend.yml', emulator)
    emulator.requests.length = 0
    const again = await runWorkflow('create-backend.yml', emulator)
    expect(stepOf(again, 'backend', 'create').outcome!.outputs.result).toBe('unchanged')
    expect(writes()).toEqual([])
  })
})

describe('reset-and-gate.yml', () => {
  it('updates the url, requests the reset, waits for it, and hands reset-at to deploy', async () => {
    seedOrders()
    const before = emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag
    // The example waits 30 s; the test keeps every other input and shortens only this one.
    const run = await runWorkflow('reset-and-gate.yml', emulator, {
      override: { reset: { 'time-until-reset': '1' } }
    })
    const reset = stepOf(run, 'reset', 'reset')
    expect(reset.with).toMatchObject({
      'time-until-reset': '30',
      wait: 'true',
      'timeout-seconds': '120'
    })
    const { outputs, stdout } = reset.outcome!
    expect(outputs.result).toBe('reset-requested')
    expect(outputs['reset-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(stored('orders')!.url).toBe('https://orders-v2.contoso.com/api')
    const [patch] = writes().filter((r) => r.method === 'PATCH')
    expect(patch.headers['if-match']).toBe(before)
    const [post] = writes().filter((r) => r.method === 'POST')
    expect(post.path).toMatch(/\/backends\/orders\/reconnect$/)
    expect(JSON.parse(post.body)).toEqual({ properties: { after: 'PT1S' } })
    // wait: true held the step until the reconnect was due.
    expect(stdout).toContain('wait: true')
    expect(reset.ms!).toBeGreaterThanOrEqual(900)

    // The job outputs, and what the deploy job gets through needs.
    expect(run.jobs.reset[0].outputs).toEqual({
      'backend-id': 'orders',
      'reset-at': outputs['reset-at']
    })
    expect(stepOf(run, 'deploy', 0).env).toEqual({
      BACKEND_ID: 'orders',
      RESET_AT: outputs['reset-at']
    })
  })
})

describe('blue-green-switch.yml', () => {
  /** The example's waits are 30 s and 5 s; the test keeps every other input. */
  const fast = (emu: ApimEmulator) => ({
    switch: {
      'time-until-reset': '0',
      'health-interval-seconds': '1',
      'health-timeout-seconds': '3',
      'health-url': emu.healthUrl('green')
    }
  })

  it('switches to a healthy green deployment and hands the result to the next step', async () => {
    seedOrders()
    emulator.setHealth('green', [200])
    const run = await runWorkflow('blue-green-switch.yml', emulator, { override: fast(emulator) })
    const step = stepOf(run, 'switch', 'switch')
    expect(step.with).toMatchObject({ 'time-until-reset': '30', 'health-successes': '3' })
    const { outputs } = step.outcome!
    expect(outputs.result).toBe('switched')
    expect(stored('orders')!.url).toBe('https://orders-green.contoso.com/api')
    const probes = emulator.healthRequests('green')
    expect(probes).toHaveLength(3)
    expect(probes[0].headers['x-health-key']).toBe(secretValue('ORDERS_HEALTH_KEY'))
    expect(probes.every((p) => p.headers.authorization === undefined)).toBe(true)
    expect(stepOf(run, 'switch', 2).env).toMatchObject({ RESULT: 'switched' })
    expectNoSecrets(step.outcome!, [secretValue('ORDERS_HEALTH_KEY')])
  })

  it('rolls back an unhealthy green deployment and fails the job', async () => {
    seedOrders()
    emulator.setHealth('green', [503])
    await expect(
      runWorkflow('blue-green-switch.yml', emulator, { override: fast(emulator) })
    ).rejects.toThrow(/rolled-back|unhealthy/)
    expect(stored('orders')!.url).toBe('https://orders.contoso.com/api')
  })
})

describe('what-if-pull-request.yml', () => {
  const comments = () => emulator.github.listComments('octo-org/octo-repo', PULL_REQUEST_NUMBER)
  /** The comment as GitHub shows it: character references decoded. */
  const shown = (body: string) =>
    body.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))

  it('previews the replace (nothing written) and comments the changed fields', async () => {
    seedOrders()
    const etag = emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag
    const run = await runWorkflow('what-if-pull-request.yml', emulator)
    const { outputs, stdout } = stepOf(run, 'preview', 'preview').outcome!
    expect(outputs.result).toBe('would-replace')
    expect(JSON.parse(outputs.changes)).toEqual(['properties.url'])
    expect(stdout).toContain(
      "properties.url: 'https://orders.contoso.com/api' → 'https://orders-v2.contoso.com/api'"
    )
    expect(writes()).toEqual([])
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')!.etag).toBe(etag)

    expect(comments()).toHaveLength(1)
    const [comment] = comments()
    expect(outputs['comment-url']).toBe(comment.html_url)
    expect(comment.user.login).toBe('github-actions[bot]')
    const body = shown(comment.body)
    expect(body).toContain('| ` orders ` | would-replace | ` url ` |')
    expect(body).toContain("'https://orders.contoso.com/api' → 'https://orders-v2.contoso.com/api'")
    expect(body).toContain('https://github.com/octo-org/octo-repo/actions/runs/4242')
    expect(comment.body).not.toContain(secretValue('ORDERS_FUNCTION_KEY'))

    // The next push to the branch: the same comment, updated.
    await runWorkflow('what-if-pull-request.yml', emulator)
    expect(comments()).toHaveLength(1)
  })

  it('previews a backend that does not exist yet as would-create', async () => {
    const run = await runWorkflow('what-if-pull-request.yml', emulator)
    const { outputs } = stepOf(run, 'preview', 'preview').outcome!
    expect(outputs.result).toBe('would-create')
    expect(JSON.parse(outputs.changes)).toEqual(
      expect.arrayContaining(['properties.url', 'properties.protocol', 'properties.title'])
    )
    expect(stored('orders')).toBeUndefined()
    expect(shown(comments()[0].body)).toContain('would-create')
  })
})

describe('many-backends.yml', () => {
  it('creates the three backends in one step, signed in once, one result each', async () => {
    const run = await runWorkflow('many-backends.yml', emulator)
    const step = stepOf(run, 'backends', 'backends')
    expect(step.inputs!['max-parallel']).toBe('4')
    const results = JSON.parse(step.outcome!.outputs.results)
    expect(results).toEqual([
      { 'backend-id': 'orders', result: 'created', error: null },
      { 'backend-id': 'payments', result: 'created', error: null },
      { 'backend-id': 'legacy-billing', result: 'created', error: null }
    ])
    expect(emulator.tokenRequests()).toHaveLength(1)
    expect(stored('orders')).toEqual({
      url: 'https://orders.contoso.com/api',
      protocol: 'http',
      title: 'Orders API'
    })
    expect(stored('payments')!.credentials).toEqual({
      header: { 'x-functions-key': [secretValue('PAYMENTS_FUNCTION_KEY')] }
    })
    expect(stored('legacy-billing')!.protocol).toBe('soap')
    expect(stepOf(run, 'backends', 1).env.RESULTS).toBe(step.outcome!.outputs.results)
    expectNoSecrets(step.outcome!, [secretValue('PAYMENTS_FUNCTION_KEY')])
  })
})

describe('matrix-services.yml', () => {
  it('creates the backends of apim/backends.yml in both services, one job each', async () => {
    const run = await runWorkflow('matrix-services.yml', emulator)
    expect(run.jobs.backends.map((j) => j.matrix.service)).toEqual(REGIONS)
    for (const [i, service] of REGIONS.entries()) {
      const step = stepOf(run, 'backends', 'backends', i)
      expect(step.inputs!['service-name']).toBe(service)
      expect(step.inputs!.backends).toBe('apim/backends.yml')
      expect(
        JSON.parse(step.outcome!.outputs.results).map((r: { result: string }) => r.result)
      ).toEqual(['created', 'created', 'created'])
      expect(stored('orders', service)).toEqual({
        url: 'https://orders.contoso.com/api',
        protocol: 'http',
        title: 'Orders API'
      })
      expect(stored('inventory', service)!.description).toBe('Stock levels per warehouse')
      expect(stored('legacy-billing', service)!.protocol).toBe('soap')
    }
    expect(stored('orders')).toBeUndefined()
  })
})

describe('backends-as-code.yml', () => {
  const seedFile = () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.contoso.com/api',
      protocol: 'http',
      title: 'Orders API'
    })
    emulator.putBackend(SUB, RG, SERVICE, 'inventory', {
      url: 'https://inventory.contoso.com/api',
      protocol: 'http',
      title: 'Inventory API',
      description: 'Stock levels per warehouse'
    })
    emulator.putBackend(SUB, RG, SERVICE, 'legacy-billing', {
      url: 'https://billing.contoso.com/soap',
      protocol: 'soap'
    })
  }

  it('a service that matches apim/backends.yml: no drift, one listing, nothing written', async () => {
    seedFile()
    const run = await runWorkflow('backends-as-code.yml', emulator, { event: 'schedule' })
    expect(run.jobs.plan).toEqual([])
    expect(run.jobs.apply).toEqual([])
    const plan = stepOf(run, 'drift', 'plan').outcome!
    expect(plan.outputs['has-changes']).toBe('false')
    expect(JSON.parse(plan.outputs.results).map((r: { result: string }) => r.result)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged'
    ])
    expect(writes()).toEqual([])
    expect(stepOf(run, 'drift', 2).env).toMatchObject({ HAS_CHANGES: 'false' })
  })

  it('a title changed by hand and a backend added in the portal fail the drift check', async () => {
    seedFile()
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.contoso.com/api',
      protocol: 'http',
      title: 'Orders (edited in the portal)'
    })
    emulator.putBackend(SUB, RG, SERVICE, 'scratch', {
      url: 'https://scratch.example.com',
      protocol: 'http'
    })
    await expect(
      runWorkflow('backends-as-code.yml', emulator, { event: 'schedule' })
    ).rejects.toThrow(
      'The service differs from the backends file (1 to replace, 2 unchanged, 1 to delete); fail-on-changes: true.'
    )
    expect(writes()).toEqual([])
  })

  it('run by hand, exports the service as a backends file that the drift check finds unchanged', async () => {
    seedFile()
    const run = await runWorkflow('backends-as-code.yml', emulator, { event: 'workflow_dispatch' })
    const exported = stepOf(run, 'export', 'export').outcome!
    expect(exported.outputs.result).toBe('exported')
    const file = readFileSync(join(run.workspace, 'exported/backends.yml'), 'utf8')
    expect(file).toContain('backend-id: legacy-billing')
    expect(writes()).toEqual([])
    // The exported file, planned like the repository's: every backend unchanged.
    const replan = await runInProcess(
      {
        operation: 'plan',
        'subscription-id': SUB,
        'resource-group': RG,
        'service-name': SERVICE,
        ...secretSignIn(emulator),
        backends: 'exported/backends.yml',
        prune: 'true'
      },
      { GITHUB_WORKSPACE: run.workspace }
    )
    expect(replan.failure).toBeUndefined()
    expect(replan.outputs['has-changes']).toBe('false')
  })

  it('a pull request plans the change; the push to main applies it (prune: the scratch backend goes); the next push writes nothing', async () => {
    seedFile()
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.contoso.com/api',
      protocol: 'http',
      title: 'Orders (edited in the portal)'
    })
    emulator.putBackend(SUB, RG, SERVICE, 'scratch', {
      url: 'https://scratch.example.com',
      protocol: 'http'
    })
    const pr = await runWorkflow('backends-as-code.yml', emulator, { event: 'pull_request' })
    expect(
      Object.entries(pr.jobs)
        .filter(([, runs]) => runs.length)
        .map(([job]) => job)
    ).toEqual(['plan'])
    const plan = stepOf(pr, 'plan', 'plan').outcome!
    expect(plan.outputs['has-changes']).toBe('true')
    expect(writes()).toEqual([])
    // The plan as one comment on the pull request; the next push to the branch updates it.
    const [comment] = emulator.github.listComments('octo-org/octo-repo', PULL_REQUEST_NUMBER)
    expect(plan.outputs['comment-url']).toBe(comment.html_url)
    // Values are escaped as character references; GitHub shows them as the characters.
    const shown = comment.body.replace(/&#(\d+);/g, (_, n: string) =>
      String.fromCharCode(Number(n))
    )
    expect(shown).toContain('1 to replace, 2 unchanged, 1 to delete')
    expect(shown).toContain("'Orders (edited in the portal)' → 'Orders API'")
    await runWorkflow('backends-as-code.yml', emulator, { event: 'pull_request' })
    expect(emulator.github.listComments('octo-org/octo-repo', PULL_REQUEST_NUMBER)).toHaveLength(1)

    const push = await runWorkflow('backends-as-code.yml', emulator, { event: 'push' })
    const applied = stepOf(push, 'apply', 'apply').outcome!
    expect(JSON.parse(applied.outputs.results).map((r: { result: string }) => r.result)).toEqual([
      'replaced',
      'unchanged',
      'unchanged',
      'deleted'
    ])
    const written = () =>
      writes().map((r) => `${r.method} ${r.path.slice(r.path.indexOf('/backends/'))}`)
    expect(written()).toEqual(['PUT /backends/orders', 'DELETE /backends/scratch'])

    const again = await runWorkflow('backends-as-code.yml', emulator, { event: 'push' })
    expect(stepOf(again, 'apply', 'apply').outcome!.outputs['has-changes']).toBe('false')
    expect(written()).toEqual(['PUT /backends/orders', 'DELETE /backends/scratch'])
  })
})

describe('workspace-team.yml', () => {
  const SCOPE = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/workspaces/team-a`
  const outside = () => emulator.armRequests().filter((r) => !r.path.startsWith(SCOPE))
  const inTeamA = (id: string) => emulator.getWorkspaceBackend(SUB, RG, SERVICE, 'team-a', id)

  it('with a role on its workspace only, the team plans on the pull request and applies on push; nothing leaves the workspace', async () => {
    emulator.grantOnlyWorkspace(SUB, RG, SERVICE, 'team-a')
    emulator.putWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'old-orders', {
      url: 'https://old.team-a.contoso.com/api',
      protocol: 'http'
    })
    const pr = await runWorkflow('workspace-team.yml', emulator, { event: 'pull_request' })
    const plan = stepOf(pr, 'plan', 'plan').outcome!
    expect(JSON.parse(plan.outputs.results).map((r: { result: string }) => r.result)).toEqual([
      'would-create',
      'would-create',
      'would-create',
      'would-delete'
    ])
    expect(emulator.github.listComments('octo-org/octo-repo', PULL_REQUEST_NUMBER)).toHaveLength(1)

    const push = await runWorkflow('workspace-team.yml', emulator, { event: 'push' })
    expect(stepOf(push, 'apply', 'apply').outcome!.outputs['has-changes']).toBe('true')
    expect(inTeamA('orders')!.contract.properties.pool.services).toEqual([
      { id: `${SCOPE}/backends/orders-blue` },
      { id: `${SCOPE}/backends/orders-green`, weight: 1 }
    ])
    expect(inTeamA('old-orders')).toBeUndefined()

    const again = await runWorkflow('workspace-team.yml', emulator, { event: 'push' })
    expect(stepOf(again, 'apply', 'apply').outcome!.outputs['has-changes']).toBe('false')
    expect(outside()).toEqual([])
  })
})
