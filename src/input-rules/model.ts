// What a validated request is made of: the parts every operation shares (its target, how to sign
// in, where Azure is, the time limits), and the error that lists every input problem at once.
// Each operation's own request type is in its folder (src/operations/<name>/types.ts).
import type { AuthPlan } from '../auth-plan.js'
import type { CloudName } from '../clouds.js'
import type { InputError } from '../messages.js'

export interface Target {
  subscriptionId: string
  resourceGroup: string
  serviceName: string
  backendId: string
  /** True when the action made the id up (create without backend-id), as the cmdlet does. */
  generatedId: boolean
  /**
   * The APIM workspace whose backends the step works on (the `workspace` input); undefined for
   * the service's own backends. Every request then stays under …/workspaces/{workspace}/.
   */
  workspace?: string
}

export interface Endpoints {
  /** The cloud (environment input) these come from. */
  cloud: CloudName
  arm: string
  authorityHost: string
  /** The token scope: always the cloud's Resource Manager audience, even when arm is overridden. */
  scope: string
}

export interface Limits {
  timeoutMs: number
  maxWaitMs: number
  attemptTimeoutMs: number
}

/** The part of every request that does not depend on the operation. */
export interface Common {
  target: Target
  auth: AuthPlan
  endpoints: Endpoints
  limits: Limits
}

/** Every problem with the inputs, one line each. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'))
    this.name = 'InputErrors'
  }
}

/** The ARM id of the target's API Management service. */
export function serviceArmId(t: Target): string {
  return `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.ApiManagement/service/${t.serviceName}`
}

/**
 * The ARM id of what holds the target's backends: the service, or its workspace. A backend's id
 * is this with /backends/{id}.
 */
export function backendsScopeId(t: Target): string {
  return t.workspace === undefined
    ? serviceArmId(t)
    : `${serviceArmId(t)}/workspaces/${t.workspace}`
}

/**
 * Where the target's backends are, as a log line names it: `apim-prod`, or `workspace team-a of
 * apim-prod`.
 */
export function scopeName(t: Pick<Target, 'serviceName' | 'workspace'>): string {
  return t.workspace === undefined ? t.serviceName : `workspace ${t.workspace} of ${t.serviceName}`
}

/**
 * Where the target's backends are, as an error names it: `API Management service 'apim-prod'`,
 * or `workspace 'team-a' of API Management service 'apim-prod'`.
 */
export function scopeQuoted(t: Pick<Target, 'serviceName' | 'workspace'>): string {
  const service = `API Management service '${t.serviceName}'`
  return t.workspace === undefined ? service : `workspace '${t.workspace}' of ${service}`
}

/**
 * An API Management backend's ARM id: subscription, resource group, service, workspace (absent
 * for a backend of the service itself), backend id.
 */
export const BACKEND_ARM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)(?:\/workspaces\/([^/]+))?\/backends\/([^/]+)$/i
