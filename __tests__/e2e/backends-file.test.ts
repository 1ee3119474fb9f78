// A backends file kept in git: every backend field per item (pools and circuit breakers too),
// and secrets as ${NAME} references to the step's environment, never in the file itself.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from '@jest/globals'
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
beforeEach(() => {
  emulator = emu()
})

const KEY = 'orders-key-from-a-secret-4711'

/** A workspace holding apim/backends.yml with `text`; the step's inputs and env to use it. */
function workspaceWith(text: string): { workspace: string } {
  const workspace = mkdtempSync(join(tmpdir(), 'ws-'))
  mkdirSync(join(workspace, 'apim'))
  writeFileSync(join(workspace, 'apim', 'backends.yml'), text)
  return { workspace }
}

const FILE = `
- backend-id: orders-blue
  url: https://orders-blue.example.com
  protocol: http
  backend-credentials:
    header:
      x-api-key: \${ORDERS_KEY}
  circuit-breaker:
    rules:
      - name: trip-on-5xx
        failureCondition:
          count: 5
          interval: PT1M
          statusCodeRanges: [{ min: 500, max: 599 }]
        tripDuration: PT1M
- backend-id: orders
  pool:
    - { id: orders-blue, priority: 1 }
    - { id: orders-green, priority: 2 }
- backend-id: orders-green
  url: https://orders-green.example.com
  protocol: http
  description: costs $\${ORDERS_KEY} to read
`

describe('a backends file in the repository', () => {
  it('creates a pool after its members, resolves ${NAME} from the env, masks it, writes $${ as ${', async () => {
    const { workspace } = workspaceWith(FILE)
    const outcome = await runInProcess(
      {
        operation: 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        backends: 'apim/backends.yml'
      },
      { GITHUB_WORKSPACE: workspace, ORDERS_KEY: KEY }
    )
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.results).map((r: { result: string }) => r.result)).toEqual([
      'created',
      'created',
      'created'
    ])
    // The pool's PUT comes after both of its members'.
    const puts = armCalls(emulator).filter((c) => c.startsWith('PUT '))
    expect(puts.at(-1)).toBe('PUT /backends/orders')
    const blue = emulator.getBackend(SUB, RG, SERVICE, 'orders-blue')!.contract.properties
    expect(blue.credentials).toEqual({ header: { 'x-api-key': [KEY] } })
    expect(blue.circuitBreaker).toMatchObject({ rules: [{ name: 'trip-on-5xx' }] })
    const green = emulator.getBackend(SUB, RG, SERVICE, 'orders-green')!.contract.properties
    expect(green.description).toBe('costs ${ORDERS_KEY} to read')
    // Resolved into a secret place: masked like any other secret.
    expect(outcome.stdout).toContain(`::add-mask::${KEY}`)
  })

  it('an unset variable stops the step before any request, naming it, the file, the backend and the field', async () => {
    const { workspace } = workspaceWith(FILE)
    const outcome = await runInProcess(
      {
        operation: 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        backends: 'apim/backends.yml'
      },
      { GITHUB_WORKSPACE: workspace, ORDERS_KEY: undefined }
    )
    expect(outcome.failure).toContain(
      "Input 'backends[0].backend-credentials.header.x-api-key': refers to the environment variable ORDERS_KEY, which is not set (file 'apim/backends.yml', backend 'orders-blue', field backend-credentials.header.x-api-key); pass it to the step, e.g. env: { ORDERS_KEY: ${{ secrets.ORDERS_KEY }} }."
    )
    expect(emulator.armRequests()).toEqual([])
  })

  it('a ${ that is not a reference is refused, in an inline list too', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      backends: '- backend-id: a\n  url: https://a.example.com/${1st}\n  protocol: http'
    })
    expect(outcome.failure).toContain(
      "Input 'backends[0].url': has a '${' that is not a reference: write ${NAME} (letters, digits and _), or $${ for a literal '${' (the backends input, backend 'a', field url)."
    )
    expect(emulator.armRequests()).toEqual([])
  })
})
