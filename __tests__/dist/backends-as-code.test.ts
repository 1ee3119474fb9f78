// Backends as code through the bundle: dist/index.js run in a child process as the runner runs
// it (under Node 24, the runtime of `using: node24`, when it is installed; else the machine's),
// against the emulator — export what exists, plan it unchanged, change the file, save the plan,
// apply exactly that plan, and apply again to find nothing to write.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runDist, runtimes } from '../../scripts/runner.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const node = (runtimes().find((n) => n.version.startsWith('v24')) ?? runtimes()[0]).path

const emu = useEmulator()
let emulator: ApimEmulator
let workspace: string
beforeEach(() => {
  emulator = emu()
  workspace = mkdtempSync(join(tmpdir(), 'dist-bac-'))
  emulator.putBackend(SUB, RG, SERVICE, 'orders', {
    url: 'https://orders.example.com',
    protocol: 'http',
    title: 'Orders',
    credentials: { header: { 'x-functions-key': ['orders-live-key-4711'] } }
  })
  emulator.putBackend(SUB, RG, SERVICE, 'legacy', {
    url: 'https://legacy.example.com',
    protocol: 'soap'
  })
})

const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runDist(
    { ...TARGET, ...secretSignIn(emulator), ...inputs },
    { GITHUB_WORKSPACE: workspace, ...env },
    emulator.certPath,
    node
  )
const results = (outputs: Record<string, string>) =>
  Object.fromEntries(
    (JSON.parse(outputs.results) as { 'backend-id': string; result: string }[]).map((r) => [
      r['backend-id'],
      r.result
    ])
  )
const writes = () =>
  emulator
    .armRequests()
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path.slice(r.path.lastIndexOf('/') + 1)}`)

describe('dist/index.js: export -> plan -> saved plan -> apply -> apply again', () => {
  it('round-trips the service, applies a reviewed change exactly, then writes nothing', async () => {
    const exported = await run({ operation: 'export', 'export-file': 'apim/backends.yml' })
    expect(exported.failure).toBeUndefined()
    const file = readFileSync(join(workspace, 'apim/backends.yml'), 'utf8')
    expect(file).not.toContain('orders-live-key-4711')
    const name = /\$\{(ORDERS_[A-Z0-9_]+)\}/.exec(file)![1]
    const env = { [name]: 'orders-live-key-4711' }

    const same = await run({ operation: 'plan', backends: 'apim/backends.yml' }, env)
    expect(same.failure).toBeUndefined()
    expect(same.outputs['has-changes']).toBe('false')

    // The pull request: a new backend, legacy dropped (prune), the key rotated.
    const changed = file
      .replace(/- backend-id: legacy[\s\S]*?(?=\n- |\n?$)/, '')
      .concat('\n- backend-id: search\n  url: https://search.example.com\n  protocol: http\n')
    writeFileSync(join(workspace, 'apim/backends.yml'), changed)
    const rotated = { [name]: 'orders-rotated-key-4711' }
    const planned = await run(
      {
        operation: 'plan',
        backends: 'apim/backends.yml',
        prune: 'true',
        'plan-file': 'plan/backends.plan.json'
      },
      rotated
    )
    expect(planned.failure).toBeUndefined()
    expect(results(planned.outputs)).toEqual({
      orders: 'would-replace',
      search: 'would-create',
      legacy: 'would-delete'
    })
    const plan = readFileSync(join(workspace, 'plan/backends.plan.json'), 'utf8')
    expect(plan).not.toMatch(/orders-(live|rotated)-key-4711/)
    expect(writes()).toEqual([])

    const applied = await run(
      { operation: 'apply', backends: 'apim/backends.yml', 'plan-file': 'plan/backends.plan.json' },
      rotated
    )
    expect(applied.failure).toBeUndefined()
    expect(applied.code).toBe(0)
    expect(results(applied.outputs)).toEqual({
      orders: 'replaced',
      search: 'created',
      legacy: 'deleted'
    })
    expect(writes().sort()).toEqual(['DELETE legacy', 'PUT orders', 'PUT search'])
    for (const outcome of [exported, same, planned, applied])
      expectNoSecrets(outcome, ['orders-live-key-4711', 'orders-rotated-key-4711'])

    const again = await run(
      { operation: 'apply', backends: 'apim/backends.yml', prune: 'true' },
      rotated
    )
    expect(again.failure).toBeUndefined()
    expect(again.outputs['has-changes']).toBe('false')
    expect(writes()).toHaveLength(3)
  })

  it('a backend changed between the plan and the apply is not written; the step fails naming it', async () => {
    writeFileSync(
      join(workspace, 'backends.yml'),
      '- { backend-id: legacy, url: "https://legacy-v2.example.com", protocol: soap }\n'
    )
    const planned = await run({
      operation: 'plan',
      backends: 'backends.yml',
      'plan-file': 'backends.plan.json'
    })
    expect(planned.failure).toBeUndefined()
    emulator.putBackend(SUB, RG, SERVICE, 'legacy', {
      url: 'https://legacy-hotfix.example.com',
      protocol: 'soap'
    })
    const applied = await run({
      operation: 'apply',
      backends: 'backends.yml',
      'plan-file': 'backends.plan.json'
    })
    expect(applied.code).toBe(1)
    expect(applied.failure).toContain('legacy (changed since the plan')
    expect(writes()).toEqual(['PUT legacy'])
    expect(emulator.getBackend(SUB, RG, SERVICE, 'legacy')!.contract.properties.url).toBe(
      'https://legacy-hotfix.example.com'
    )
  })

  it('posts the plan as one pull-request comment, then updates it in place', async () => {
    const token = 'ghs_distRunToken0123456789abcdefABCDEFGH'
    emulator.github.addToken(token)
    const event = join(workspace, '..', `${workspace.split('/').pop()}-event.json`)
    writeFileSync(event, JSON.stringify({ number: 7, pull_request: { number: 7 } }))
    writeFileSync(
      join(workspace, 'backends.yml'),
      '- { backend-id: legacy, url: "https://legacy-v2.example.com", protocol: soap }\n'
    )
    const env = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_API_URL: emulator.githubApiUrl()
    }
    const step = {
      operation: 'plan',
      backends: 'backends.yml',
      comment: 'true',
      'github-token': token
    }
    const first = await run(step, env)
    expect(first.failure).toBeUndefined()
    const [comment] = emulator.github.listComments('octo-org/octo-repo', 7)
    expect(first.outputs['comment-url']).toBe(comment.html_url)
    const second = await run(step, env)
    expect(second.outputs['comment-url']).toBe(comment.html_url)
    expect(emulator.github.listComments('octo-org/octo-repo', 7)).toHaveLength(1)
    for (const outcome of [first, second]) expectNoSecrets(outcome, [token])
  })
})
