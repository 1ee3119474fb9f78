// Every fault scenario holds: the expected outcome, a correct final state, no leaked secret.
import { describe, expect, it } from '@jest/globals'
import { useEmulator } from '../helpers/use-emulator.js'
import { runScenario, SCENARIOS, type Scenario } from '../../scripts/reliability-scenarios.js'

const emu = useEmulator()

/** What the scenario expects, in the shape of an outcome: a result, or a failure line. */
function expected(scenario: Scenario): { failure: unknown; result: unknown } {
  return 'result' in scenario.expect
    ? { failure: undefined, result: scenario.expect.result }
    : { failure: expect.stringMatching(scenario.expect.failure), result: undefined }
}

describe('reliability under injected faults', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))(
    '%s',
    async (_name, scenario) => {
      const { row, outcome } = await runScenario(scenario, emu())
      expect({ failure: outcome.failure, result: outcome.outputs.result }).toEqual(
        expected(scenario)
      )
      expect(row.stateCorrect).toBe(true)
      expect(row.leaks).toBe(0)
    },
    30_000
  )
})
