// action.yml is what GitHub reads: it must document exactly the inputs and outputs the code
// reads and writes, and run on node24 from dist/.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { INPUTS, OUTPUTS } from '../../src/catalog.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('runs dist/index.js on node24 and has branding and a short description', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(action.branding.icon).toBeTruthy()
    expect(action.description.length).toBeLessThan(125)
  })

  it('documents every input the action reads, and no other', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUTS).sort())
    for (const [name, spec] of Object.entries(action.inputs))
      expect({ name, ok: spec.description.length > 20 }).toEqual({ name, ok: true })
  })

  it('gives no default to an operation-specific input (a default would count as given)', () => {
    for (const [name, spec] of Object.entries(INPUTS)) {
      if (spec.scope !== 'all')
        expect({ name, default: action.inputs[name].default }).toEqual({ name, default: undefined })
    }
  })

  it('documents every output', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUTS].sort())
  })
})
