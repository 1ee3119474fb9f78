// The leak check every end-to-end scenario ends with.
import { expect } from '@jest/globals'
import type { Outcome } from '../../scripts/outcome.js'

/** Every form in which a secret could leak: as is, base64, URL-encoded. */
export function leakForms(secret: string): string[] {
  return [...new Set([secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)])]
}

/** Fail if any secret appears anywhere the user or a later job can see it (mask lines aside). */
export function expectNoSecrets(outcome: Outcome, secrets: string[]): void {
  const visible = [
    outcome.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    outcome.stderr,
    JSON.stringify(outcome.outputs),
    outcome.summary
  ].join('\n')
  for (const secret of secrets) {
    for (const form of leakForms(secret)) {
      expect({ secret: form, leaked: visible.includes(form) }).toEqual({
        secret: form,
        leaked: false
      })
    }
  }
}
