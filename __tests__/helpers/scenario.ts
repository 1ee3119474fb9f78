// The world an end-to-end test runs in: the emulator on 127.0.0.1 (real HTTPS, its certificate
// trusted through NODE_EXTRA_CA_CERTS set on the jest command line) and the inputs a workflow
// author would write to reach it.
import {
  ApimEmulator,
  DEFAULT_CLIENT,
  DEFAULT_SERVICE,
  DEFAULT_TENANT_ID
} from '../../emulator/server.js'

export const SUB = DEFAULT_SERVICE.subscriptionId
export const RG = DEFAULT_SERVICE.resourceGroup
export const SERVICE = DEFAULT_SERVICE.serviceName
export const CLIENT_ID = DEFAULT_CLIENT.clientId
export const CLIENT_SECRET = DEFAULT_CLIENT.clientSecret as string
export const TENANT_ID = DEFAULT_TENANT_ID

export const TARGET = { 'subscription-id': SUB, 'resource-group': RG, 'service-name': SERVICE }

/** Sign-in with a client secret, pointed at the emulator. */
export function secretSignIn(emulator: ApimEmulator): Record<string, string> {
  return {
    'client-id': CLIENT_ID,
    'tenant-id': TENANT_ID,
    'client-secret': CLIENT_SECRET,
    ...endpoints(emulator)
  }
}

export function endpoints(emulator: ApimEmulator): Record<string, string> {
  return { 'arm-endpoint': emulator.url, 'authority-host': emulator.url }
}

/** What the runner sets when the job has `permissions: id-token: write`. */
export function oidcEnv(emulator: ApimEmulator): Record<string, string> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: emulator.oidcRequestUrl(),
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.oidcRequestToken
  }
}

export function backendPath(id: string): string {
  return `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/backends/${id}`
}

/** The ARM requests of a run, as "METHOD /path-suffix" lines, for readable assertions. */
export function armCalls(emulator: ApimEmulator): string[] {
  const prefix = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}`
  return emulator.armRequests().map((r) => `${r.method} ${r.path.replace(prefix, '') || '/'}`)
}

export { ApimEmulator }
