// The bundled dist/index.js, run in a child process exactly as the runner runs it, under the
// machine's Node (20) and under Node 24 (the runtime of `using: node24`), or only under
// APIM_TEST_NODE when that is set (npm run test:dist:node24).
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runDist, runtimes } from '../../scripts/runner.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  armCalls,
  CLIENT_ID,
  CLIENT_SECRET,
  TARGET,
  TENANT_ID,
  endpoints,
  oidcEnv,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const NODES = process.env.APIM_TEST_NODE
  ? runtimes().filter((n) => n.path === process.env.APIM_TEST_NODE)
  : runtimes()

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

it('runs under both Node 20 and Node 24, or under Node 24 alone (npm run test:dist:node24)', () => {
  const majors = NODES.map((n) => n.version.split('.')[0]).sort()
  expect(majors).toEqual(process.env.APIM_TEST_NODE ? ['v24'] : ['v20', 'v24'])
})

describe.each(NODES)('dist/index.js under Node $version', ({ path: node }) => {
  it('creates a backend with a client secret, then resets it from the backend output', async () => {
    const created = await runDist(
      {
        operation: 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        'backend-id': 'orders',
        url: 'https://orders.example.com',
        protocol: 'http',
        'backend-credentials': 'header: {x-api-key: dist-key-4711}',
        proxy: 'url: http://proxy:8080\npassword: dist-proxy-4711'
      },
      {},
      emulator.certPath,
      node
    )
    expect(created.failure).toBeUndefined()
    expect(created.code).toBe(0)
    expect(created.outputs.result).toBe('created')

    const reset = await runDist(
      {
        operation: 'reset',
        ...secretSignIn(emulator),
        backend: created.outputs.backend,
        'time-until-reset': '30'
      },
      {},
      emulator.certPath,
      node
    )
    expect(reset.failure).toBeUndefined()
    expect(reset.outputs.result).toBe('reset-requested')
    expect(armCalls(emulator)).toEqual([
      'GET /backends/orders',
      'PUT /backends/orders',
      'GET /backends/orders',
      'POST /backends/orders/reconnect'
    ])
    for (const o of [created, reset])
      expectNoSecrets(o, ['dist-key-4711', 'dist-proxy-4711', CLIENT_SECRET])
  })

  it('signs in with OIDC', async () => {
    const outcome = await runDist(
      {
        operation: 'create',
        ...TARGET,
        'client-id': CLIENT_ID,
        'tenant-id': TENANT_ID,
        ...endpoints(emulator),
        url: 'https://a.example.com',
        protocol: 'soap'
      },
      oidcEnv(emulator),
      emulator.certPath,
      node
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs['backend-id']).toMatch(/^[0-9a-f]{32}$/)
  })

  it('fails on bad input with exit code 1 and no request', async () => {
    const outcome = await runDist(
      {
        operation: 'reset',
        ...TARGET,
        ...secretSignIn(emulator),
        'backend-id': 'x',
        title: 'nope'
      },
      {},
      emulator.certPath,
      node
    )
    expect(outcome.code).toBe(1)
    expect(outcome.failure).toBe(
      "Input 'title': does not apply to operation 'reset'; it belongs to 'create', 'update', 'plan' and 'apply'. Remove it from this step."
    )
    expect(emulator.requests).toHaveLength(0)
  })
})
