// The leak check every end-to-end scenario ends with.
import { expect } from '@jest/globals'
import { findLeaks, type Outcome } from '../../scripts/outcome.js'

/** Fail if any of these secrets, or anything the step masked, is visible anywhere. */
export function expectNoSecrets(outcome: Outcome, secrets: string[]): void {
  expect(findLeaks(outcome, secrets)).toEqual([])
}
