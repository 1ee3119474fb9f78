// Many backends in one step: the `backends` list, the step's inputs as every item's defaults,
// one sign-in, bounded concurrency, a `results` output, and one failure not stopping the others.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const BACKENDS = `
- backend-id: orders
  url: https://orders.example.com
  title: Orders
- backend-id: payments
  url: https://payments.example.com
  backend-credentials:
    header: {x-api-key: payments-key-4711}
- backend-id: legacy
  url: https://legacy.example.com
  protocol: soap
`

describe('backends: many in one step', () => {
  it('creates every backend with the step inputs as defaults, signing in once', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      protocol: 'http',
      backends: BACKENDS,
      'max-parallel': '2'
    })
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.results)).toEqual([
      { 'backend-id': 'orders', result: 'created', error: null },
      { 'backend-id': 'payments', result: 'created', error: null },
      { 'backend-id': 'legacy', result: 'created', error: null }
    ])
    expect(emulator.tokenRequests()).toHaveLength(1)
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')!.contract.properties).toEqual({
      url: 'https://orders.example.com',
      protocol: 'http',
      title: 'Orders'
    })
    expect(emulator.getBackend(SUB, RG, SERVICE, 'legacy')!.contract.properties.protocol).toBe(
      'soap'
    )
    expect(
      emulator.getBackend(SUB, RG, SERVICE, 'payments')!.contract.properties.credentials
    ).toEqual({ header: { 'x-api-key': ['payments-key-4711'] } })
    expect(outcome.summary).toContain('<td>payments</td><td>created</td>')
    expectNoSecrets(outcome, ['payments-key-4711'])
  })

  it('one failure does not stop the others; the step fails at the end, naming it', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'payments', {
      url: 'https://old.example.com',
      protocol: 'http'
    })
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      protocol: 'http',
      backends: BACKENDS
    })
    expect(outcome.failure).toBe(
      "1 of 3 backends failed: payments (Backend 'payments' already exists; set if-exists: replace or skip.)"
    )
    const results = JSON.parse(outcome.outputs.results)
    expect(results.map((r: { result: string }) => r.result)).toEqual([
      'created',
      'failed',
      'created'
    ])
    expect(emulator.getBackend(SUB, RG, SERVICE, 'legacy')).toBeDefined()
  })

  it('resets many backends; each item may set its own time-until-reset', async () => {
    for (const id of ['a', 'b'])
      emulator.putBackend(SUB, RG, SERVICE, id, {
        url: `https://${id}.example.com`,
        protocol: 'http'
      })
    const outcome = await runInProcess({
      operation: 'reset',
      ...TARGET,
      ...secretSignIn(emulator),
      'time-until-reset': '30',
      backends: '[{"backend-id": "a"}, {"backend-id": "b", "time-until-reset": "0"}]'
    })
    expect(outcome.failure).toBeUndefined()
    const posts = emulator.armRequests().filter((r) => r.method === 'POST')
    expect(posts.map((p) => [p.path.split('/').at(-2), p.body]).sort()).toEqual([
      ['a', '{"properties":{"after":"PT30S"}}'],
      ['b', '{"properties":{"after":"PT0S"}}']
    ])
  })

  it('reads the list from a file inside the workspace', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ws-'))
    writeFileSync(join(workspace, 'backends.yml'), BACKENDS)
    const outcome = await runInProcess(
      {
        operation: 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        protocol: 'http',
        backends: 'backends.yml'
      },
      { GITHUB_WORKSPACE: workspace }
    )
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.results)).toHaveLength(3)
  })

  it.each([
    ['a file outside the workspace', '../../etc/passwd', "Input 'backends': '../../etc/passwd' is"],
    [
      'an item with a bad url',
      '- {backend-id: a, url: "ftp://x"}',
      "Input 'backends[0].url': 'ftp://x' is not a backend URL"
    ],
    [
      'an unknown key',
      '- {backend-id: a, url: "https://a.example.com", service-name: other}',
      "Input 'backends[0].service-name': is not a backend input"
    ],
    [
      'the same backend twice',
      '- {backend-id: a, url: "https://a.example.com"}\n- {backend-id: A, url: "https://b.example.com"}',
      "Input 'backends[1].backend-id': 'A' is also backends[0]"
    ],
    ['not a list', '{backend-id: a}', "Input 'backends': expected a non-empty list"],
    [
      'with an operation that takes one backend',
      '- {backend-id: a}',
      "Input 'backends': does not apply to operation 'get'"
    ]
  ])('refuses %s before any request', async (what, backends, expected) => {
    const outcome = await runInProcess(
      {
        operation: what.includes('operation') ? 'get' : 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        protocol: 'http',
        backends
      },
      { GITHUB_WORKSPACE: mkdtempSync(join(tmpdir(), 'ws-')) }
    )
    expect(outcome.failure).toContain(expected)
    expect(emulator.requests).toHaveLength(0)
  })
})
