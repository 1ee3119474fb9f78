// Mistakes in the workflow file itself, as a first-time user makes them: a misspelt `with:` key,
// which the runner only warns about and still hands to the action.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { INPUTS } from '../../src/catalog.js'
import { closestInput, inputVariable, unknownInputs } from '../../src/inputs.js'
import { ApimEmulator, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const orders = { url: 'https://orders.example.com/api', protocol: 'http' }

describe('a with: key that is not an input of the action', () => {
  it('backendid on create: the step fails naming it and backend-id, and creates nothing', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      backendid: 'orders',
      ...orders
    })
    expect(outcome.failure).toBe(
      "Input 'backendid': is not an input of this action; did you mean 'backend-id'? Every `with:` key reaches the action, and so does an INPUT_* variable set in `env:`: rename or remove it."
    )
    expect(outcome.outputs).toEqual({})
    // Not even a sign-in: the step stopped before its first request.
    expect(emulator.requests).toEqual([])
  })

  it('backend_id (or "backend id") is named as the runner passed it, with the input it means', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      backend_id: 'orders',
      ...orders
    })
    expect(outcome.failure).toMatch(/^Input 'backend_id': .*did you mean 'backend-id'\?/)
    expect(emulator.requests).toEqual([])
  })

  it('is reported with the other problems of the step, all at once', async () => {
    const outcome = await runInProcess({
      operation: 'reset',
      ...TARGET,
      ...secretSignIn(emulator),
      backendid: 'orders',
      'time-until-rest': '30'
    })
    const lines = outcome.failure!.split('\n')
    expect(lines[0]).toMatch(/^Input 'backendid': .*did you mean 'backend-id'\?/)
    expect(lines[1]).toMatch(/^Input 'time-until-rest': .*did you mean 'time-until-reset'\?/)
    expect(lines[2]).toMatch(/^Input 'backend-id': is required/)
    expect(emulator.requests).toEqual([])
  })

  it('a name like no input lists the inputs there are, and never shows the value', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      ...orders,
      'slack-webhook': 'https://hooks.slack.example/not-to-be-printed'
    })
    expect(outcome.failure).toMatch(
      /^Input 'slack-webhook': is not an input of this action\. Its inputs: operation, subscription-id, .*, request-timeout-seconds\. /
    )
    expect(outcome.stdout + outcome.summary).not.toContain('not-to-be-printed')
    expect(emulator.requests).toEqual([])
  })
})

describe('which INPUT_* variables count as unknown, and the input each one likely meant', () => {
  it('every input of action.yml, as the runner passes it, is known', () => {
    const env = Object.fromEntries(Object.keys(INPUTS).map((name) => [inputVariable(name), 'x']))
    expect(Object.keys(env)).toContain('INPUT_BACKEND-ID')
    expect(unknownInputs({ ...env, PATH: '/usr/bin', GITHUB_OUTPUT: '/tmp/o' })).toEqual([])
  })

  it.each([
    ['backendid', 'backend-id'],
    ['backend_id', 'backend-id'],
    ['bakend-id', 'backend-id'],
    ['timeout', 'timeout-seconds'],
    ['secret', 'client-secret'],
    ['subscription', 'subscription-id'],
    ['health-status-codes', 'health-status'],
    ['if-exist', 'if-exists'],
    ['max-paralel', 'max-parallel'],
    ['github_token', 'github-token'],
    ['slack-webhook', undefined],
    ['xyz', undefined]
  ])('%s: %s', (given, meant) => {
    expect(closestInput(given)).toBe(meant)
  })
})
