// The backend a step is about: subscription, resource group, service and backend id, from the
// inputs, from an earlier step's `backend` output, or (the subscription) from `creds`.
import { randomUUID } from 'node:crypto'
import type { CredsJson } from '../auth-plan.js'
import type { RawInputs } from '../inputs.js'
import { InputError, msg } from '../messages.js'
import { parseYamlOrJson } from '../structured/parse.js'
import { backendOutputSchema, checkShape } from '../structured/schemas.js'
import * as check from '../validators.js'
import { BACKEND_ARM_ID, type Target } from './model.js'

/** Subscription, group, service and backend id, from the inputs or an earlier `backend` output. */
/**
 * What an operation points at: an existing backend; a backend that may not exist yet (its id is
 * made up when not given, as New-AzApiManagementBackend does); or the whole service (no id).
 */
export type TargetKind = 'backend' | 'new-backend' | 'service'

export function resolveTarget(raw: RawInputs, kind: TargetKind, creds: CredsJson): Target {
  let fromBackend: string[] | undefined
  if (raw.backend !== undefined) {
    const parsed = parseYamlOrJson('backend', raw.backend)
    const { id } = checkShape('backend', backendOutputSchema, parsed)
    const match = BACKEND_ARM_ID.exec(id)
    if (!match) {
      throw new InputError(
        'backend',
        msg.backendJson(
          `its id ${JSON.stringify(id.slice(0, 200))} is not the ARM id of an API Management backend.`
        )
      )
    }
    fromBackend = match.slice(1).map((s) => (s === undefined ? s : decodeSegment(s))) as string[]
  }
  const agree = (
    input: string,
    given: string | undefined,
    other: string | undefined,
    otherName: string,
    same = (a: string, b: string) => a === b
  ) => {
    if (given !== undefined && other !== undefined && !same(given, other)) {
      throw new InputError(
        input,
        `'${given}' differs from ${otherName} '${other}'. Give one, or make them agree.`
      )
    }
    return given ?? other
  }
  const ci = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

  // Subscription precedence: the input, then the backend id, then creds.subscriptionId.
  const subInput = raw['subscription-id']
  let sub = agree(
    'subscription-id',
    subInput,
    fromBackend?.[0],
    "the 'backend' id's subscription",
    ci
  )
  sub = agree(
    subInput !== undefined ? 'subscription-id' : 'backend',
    sub,
    creds.subscriptionId,
    'creds.subscriptionId',
    ci
  )
  const group = agree(
    'resource-group',
    raw['resource-group'],
    fromBackend?.[1],
    "the 'backend' id's resource group",
    ci
  )
  const service = agree(
    'service-name',
    raw['service-name'],
    fromBackend?.[2],
    "the 'backend' id's service",
    ci
  )
  let id = agree('backend-id', raw['backend-id'], fromBackend?.[4], "the 'backend' id's backend")
  // A workspace's backend: from the input, or from the `backend` id (an earlier step's output).
  const given = raw.workspace
  if (given !== undefined) check.workspaceId('workspace', given)
  if (fromBackend && given !== undefined && fromBackend[3] === undefined)
    throw new InputError(
      'workspace',
      `'${given}' is given, but the 'backend' id is of a backend of the service itself, not of a workspace. Give the workspace's backend, or leave workspace out.`
    )
  const workspace = agree('workspace', given, fromBackend?.[3], "the 'backend' id's workspace", ci)

  const missing = (input: string) =>
    new InputError(
      input,
      msg.required(
        kind === 'backend' ? " (or pass an earlier step's 'backend' output in 'backend')" : ''
      )
    )
  if (sub === undefined)
    throw new InputError('subscription-id', msg.required(' (or creds.subscriptionId)'))
  if (group === undefined) throw missing('resource-group')
  if (service === undefined) throw missing('service-name')
  let generatedId = false
  if (kind === 'service') {
    // A list is of the whole service: no backend id.
    return {
      subscriptionId: check.uuid(subInput !== undefined ? 'subscription-id' : 'creds', sub),
      resourceGroup: check.resourceGroup('resource-group', group),
      serviceName: check.serviceName('service-name', service),
      backendId: '',
      generatedId,
      ...(workspace !== undefined ? { workspace: check.workspaceId('workspace', workspace) } : {})
    }
  }
  if (id === undefined) {
    if (kind !== 'new-backend') throw missing('backend-id')
    // As New-AzApiManagementBackend does: Guid.NewGuid().ToString("N").
    id = randomUUID().replace(/-/g, '')
    generatedId = true
  }
  return {
    subscriptionId: check.uuid(
      subInput !== undefined ? 'subscription-id' : fromBackend ? 'backend' : 'creds',
      sub
    ),
    resourceGroup: check.resourceGroup('resource-group', group),
    serviceName: check.serviceName('service-name', service),
    backendId: check.backendId('backend-id', id),
    generatedId,
    ...(workspace !== undefined ? { workspace: check.workspaceId('workspace', workspace) } : {})
  }
}

/** A segment of the `backend` id, %-decoded; a malformed escape is the input's error. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    // URIError: a '%' without two hex digits, or bytes that are not UTF-8.
    throw new InputError('backend', msg.backendJson(msg.badPercentEscape(segment)))
  }
}
