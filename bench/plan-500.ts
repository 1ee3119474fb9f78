// The backends-as-code step at scale: `plan` of a file of 500 backends against a service that
// already holds them, so nothing changes. It needs the token request and the list pages (100
// backends a page), and nothing else; it must take less than twice a single create.
import type { ApimEmulator, EmulatorService } from '../emulator/server.js'
import { DEFAULT_SERVICE } from '../emulator/server.js'

export const PLAN_BACKENDS = 500
export const PLAN_PAGES = Math.ceil(PLAN_BACKENDS / 100)

export const PLAN_SERVICE: EmulatorService = { ...DEFAULT_SERVICE, serviceName: 'apimPlan500' }

const backend = (i: number) => ({
  id: `svc-${String(i).padStart(3, '0')}`,
  url: `https://svc-${i}.internal.example.com/api`,
  title: `Service ${i}`
})

/** The service holds every backend of the file, as the file says. */
export function seedPlan500(emulator: ApimEmulator): void {
  const { subscriptionId, resourceGroup, serviceName } = PLAN_SERVICE
  for (let i = 0; i < PLAN_BACKENDS; i++) {
    const { id, url, title } = backend(i)
    emulator.putBackend(subscriptionId, resourceGroup, serviceName, id, {
      url,
      protocol: 'http',
      title
    })
  }
}

/** The backends file, inline (protocol comes from the step). */
export function plan500File(): string {
  return Array.from({ length: PLAN_BACKENDS }, (_, i) => {
    const { id, url, title } = backend(i)
    return `- backend-id: ${id}\n  url: ${url}\n  title: ${title}`
  }).join('\n')
}
