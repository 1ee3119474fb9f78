// Each input's default is stated once in src/catalog.ts, which the code falls back to, and
// action.yml says the same: as `default:` (which IDEs and the Marketplace show, and the runner
// passes as if it were given) where that changes nothing, in its description otherwise.
import { readFileSync } from 'node:fs'
import { describe, expect, it, jest } from '@jest/globals'
import { parse } from 'yaml'
import { INPUTS, OPERATIONS, type InputName } from '../../src/catalog.js'
import type { RawInputs } from '../../src/inputs.js'
import { buildBatch } from '../../src/step/build-batch.js'
import { buildDesiredState, takesDesiredState } from '../../src/step/build-desired.js'
import { buildRequest } from '../../src/step/build-single.js'
import { Secrets } from '../../src/secrets.js'
import { base, create, reset } from '../helpers/raw-inputs.js'

jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>
}
const names = Object.keys(INPUTS) as InputName[]

/** The default a description states: "`fail` (default)", "default 300", "Default `200-299`". */
function statedInProse(description: string): string | undefined {
  const m = /`([^`]+)` \(default\)|\b[Dd]efault:? (\d+|`[^`]+`)/.exec(description)
  return m ? (m[1] ?? m[2].replace(/`/g, '')) : undefined
}

/** The `default:` of every input the catalog declares, as the runner passes them. */
const declared: RawInputs = Object.fromEntries(
  names.filter((n) => 'declared' in INPUTS[n]).map((n) => [n, action.inputs[n].default])
)

describe('action.yml and the catalog agree on every default', () => {
  it('declares `default:` exactly for the inputs the catalog marks declared, with its value', () => {
    for (const name of names) {
      const spec = INPUTS[name] as { default?: string; declared?: true }
      expect({ name, default: action.inputs[name].default }).toEqual({
        name,
        default: spec.declared ? spec.default : undefined
      })
    }
    expect(Object.keys(declared).sort()).toEqual([
      'auth-type',
      'environment',
      'github-token',
      'max-wait-seconds',
      'request-timeout-seconds'
    ])
  })

  it('states the default in the description of every other input that has one, and no other', () => {
    for (const name of names) {
      const spec = INPUTS[name] as { default?: string; declared?: true }
      const prose = statedInProse(action.inputs[name].description)
      if (spec.declared && prose === undefined) continue
      expect({ name, stated: prose }).toEqual({ name, stated: spec.default })
    }
  })

  it('reads the prose the way a user does', () => {
    expect(statedInProse('`fail` (default) or `ignore`')).toBe('fail')
    expect(statedInProse('in whole seconds (default 300, 1 to 21600)')).toBe('300')
    expect(statedInProse('separated by commas. Default `200-299`.')).toBe('200-299')
    expect(statedInProse("Default: the environment's")).toBeUndefined()
    expect(statedInProse('the service default (2 minutes) applies')).toBeUndefined()
  })

  it('declares defaults only for inputs of every operation', () => {
    for (const name of Object.keys(declared) as InputName[])
      expect({ name, scope: INPUTS[name].scope }).toEqual({ name, scope: 'all' })
  })
})

describe('a step with the declared defaults passed, as the runner passes them', () => {
  const steps: Record<(typeof OPERATIONS)[number], RawInputs> = {
    create: create({}),
    reset: reset({}),
    get: { operation: 'get', 'backend-id': 'b1', ...base },
    update: { operation: 'update', 'backend-id': 'b1', title: 'Orders', ...base },
    delete: { operation: 'delete', 'backend-id': 'b1', ...base },
    list: { operation: 'list', ...base },
    switch: {
      operation: 'switch',
      'backend-id': 'b1',
      url: 'https://green.example.com',
      'health-url': 'https://green.example.com/healthz',
      ...base
    },
    plan: {
      operation: 'plan',
      backends: '[{backend-id: a, url: https://a.example.com, protocol: http}]',
      ...base
    },
    apply: {
      operation: 'apply',
      backends: '[{backend-id: a, url: https://a.example.com, protocol: http}]',
      ...base
    },
    export: { operation: 'export', 'export-file': 'not-there/exported.yml', ...base }
  }

  it.each(OPERATIONS)('%s: is the same request as without them', (operation) => {
    const build = (raw: RawInputs) =>
      takesDesiredState(raw)
        ? buildDesiredState(raw, new Secrets(), {})
        : buildRequest(raw, new Secrets(), {})
    const without = build(steps[operation])
    const withDefaults = build({ ...declared, ...steps[operation] })
    expect(withDefaults).toEqual(without)
  })

  it('many backends: the same batch', () => {
    const raw = { ...create({}), backends: '[{backend-id: a}, {backend-id: b}]' }
    delete raw['backend-id']
    expect(buildBatch({ ...declared, ...raw }, new Secrets(), {})).toEqual(
      buildBatch(raw, new Secrets(), {})
    )
  })
})
