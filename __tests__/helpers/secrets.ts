// The leak check every end-to-end scenario ends with.
import { expect } from '@jest/globals'
import { describeLeak, findLeaks, type Outcome } from '../../scripts/outcome.js'

/**
 * Fail if any of these secrets, or anything the step masked, is visible anywhere; the failure
 * names the output or line that holds each one, never the secret itself.
 */
export function expectNoSecrets(outcome: Outcome, secrets: string[]): void {
  expect(findLeaks(outcome, secrets).map(describeLeak)).toEqual([])
}
