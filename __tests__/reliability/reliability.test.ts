// Every fault scenario holds: the expected outcome, a correct final state, no leaked secret.
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from '../helpers/use-emulator.js'
import { runScenario, SCENARIOS } from '../../scripts/reliability-scenarios.js'

const emu = useEmulator()

describe('reliability under injected faults', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))(
    '%s',
    async (_name, scenario) => {
      const { row } = await runScenario(scenario, emu())
      expect({ failure: row.failure, result: row.outcome, ok: row.asExpected }).toEqual({
        failure: row.failure,
        result: row.outcome,
        ok: true
      })
      expect(row.stateCorrect).toBe(true)
      expect(row.leaks).toBe(0)
    },
    30_000
  )
})
