// The step with tens of thousands of secrets: `list` of a service whose 240 backends hold 190
// header values each (45,600 secrets, each masked and redacted with its encodings), with the debug
// log on, so every page's body is written and searched for every secret — under
// timeout-seconds: 10, which it must keep within 10%. The backends live in a service of their
// own, so the other cases' creates do not change the count.
import { createHash } from 'node:crypto'
import { DEFAULT_SERVICE, type ApimEmulator, type EmulatorService } from '../emulator/server.js'

export const MANY_SECRETS = { backends: 240, headers: 190, timeoutSeconds: 10 }

export const SECRETS_SERVICE: EmulatorService = {
  ...DEFAULT_SERVICE,
  serviceName: 'apimManySecrets'
}

/**
 * Header values as a service holds keys: distinct, and like storage or Functions keys, base64
 * with + / = (so each surfaces in a dozen encodings), every fifth with & " ' é as well, the forms
 * an HTML or .NET escaper multiplies. Deterministic, so every run measures the same work.
 */
export function headerValue(backend: number, header: number): string {
  const key = createHash('sha256').update(`${backend}/${header}`).digest().subarray(0, 24)
  return header % 5 === 0 ? `${key.toString('base64')}&"'é` : key.toString('base64')
}

export function seedManySecrets(emulator: ApimEmulator): void {
  const { subscriptionId, resourceGroup, serviceName } = SECRETS_SERVICE
  for (let b = 0; b < MANY_SECRETS.backends; b++) {
    const header: Record<string, string[]> = {}
    for (let h = 0; h < MANY_SECRETS.headers; h++) header[`x-h${h}`] = [headerValue(b, h)]
    emulator.putBackend(subscriptionId, resourceGroup, serviceName, `b${b}`, {
      url: `https://b${b}.internal.example.com/api`,
      protocol: 'http',
      credentials: { header }
    })
  }
}
