// Step 2 of the data flow: turn raw inputs into a validated request. Nothing here touches the
// network or loads Azure code; every problem is an InputError, collected so the user sees all
// of them at once.
import { randomUUID } from 'node:crypto'
import type { BackendContract, BackendUpdateParameters } from '@azure/arm-apimanagement'
import {
  DEFAULT_MAX_WAIT_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  IF_EXISTS,
  PROTOCOLS,
  type IfExists,
  type Operation
} from './catalog.js'
import { planAuth, type AuthPlan, type CredsJson } from './auth-plan.js'
import { CLOUD_NAMES, CLOUDS, type CloudName } from './clouds.js'
import { checkApplicable, readOperation, type RawInputs } from './inputs.js'
import { InputError, msg } from './messages.js'
import type { Secrets } from './secrets.js'
import {
  backendOutputSchema,
  checkShape,
  credentialsSchema,
  credsSchema,
  parseYamlOrJson,
  proxySchema,
  secretLeaves,
  serviceFabricSchema
} from './structured.js'
import * as check from './validators.js'

export interface Target {
  subscriptionId: string
  resourceGroup: string
  serviceName: string
  backendId: string
  /** True when the action made the id up (create without backend-id), as the cmdlet does. */
  generatedId: boolean
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

interface Common {
  target: Target
  auth: AuthPlan
  endpoints: Endpoints
  limits: Limits
}

export interface CreateRequest extends Common {
  operation: 'create'
  backend: BackendContract
  ifExists: IfExists
}

export interface ResetRequest extends Common {
  operation: 'reset'
  /** Fields to PATCH before the reconnect; undefined when none were given. */
  updates?: BackendUpdateParameters
  /** Seconds until the reconnect; undefined sends no body (the service default, 2 minutes). */
  afterSeconds?: number
}

export type ActionRequest = CreateRequest | ResetRequest

export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'))
    this.name = 'InputErrors'
  }
}

const BACKEND_ARM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)\/backends\/([^/]+)$/i

/** Validate everything; secrets are registered with `secrets` as soon as they are read. */
export function buildRequest(
  raw: RawInputs,
  secrets: Secrets,
  env: NodeJS.ProcessEnv
): ActionRequest {
  // Secrets first, before any check can fail and print something.
  secrets.add(raw['client-secret'])
  const errors: InputError[] = []
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn()
    } catch (e) {
      if (e instanceof InputError) {
        errors.push(e)
        return undefined
      }
      throw e
    }
  }
  const structured = <T>(
    input: 'backend-credentials' | 'proxy' | 'creds',
    kind: 'credentials' | 'proxy' | 'creds',
    schema: Parameters<typeof checkShape>[1]
  ): T | undefined =>
    attempt(() => {
      const text = raw[input]
      if (text === undefined) return undefined
      const parsed = parseYamlOrJson(input, text)
      for (const leaf of secretLeaves(parsed, kind)) secrets.add(leaf)
      return checkShape(input, schema, parsed) as T
    })

  // Parse the secret-bearing inputs before anything else can fail.
  const credentials = structured<BackendContract['credentials']>(
    'backend-credentials',
    'credentials',
    credentialsSchema
  )
  const proxy = structured<BackendContract['proxy']>('proxy', 'proxy', proxySchema)
  const creds = structured<CredsJson>('creds', 'creds', credsSchema) ?? {}

  const operation = attempt(() => readOperation(raw))
  if (operation === undefined) throw new InputErrors(errors)
  errors.push(...checkApplicable(raw, operation))

  const cloudName: CloudName =
    attempt(() =>
      raw.environment ? check.oneOfExact('environment', raw.environment, CLOUD_NAMES) : undefined
    ) ?? 'AzureCloud'
  const cloud = CLOUDS[cloudName]
  const auth = attempt(() => planAuth(raw, creds, env, cloud))
  const endpoints: Endpoints = {
    cloud: cloudName,
    arm:
      attempt(() =>
        raw['arm-endpoint'] ? check.httpsEndpoint('arm-endpoint', raw['arm-endpoint']) : undefined
      ) ?? cloud.armEndpoint,
    authorityHost:
      attempt(() =>
        raw['authority-host']
          ? check.httpsEndpoint('authority-host', raw['authority-host'])
          : undefined
      ) ?? cloud.authorityHost,
    scope: cloud.scope
  }
  const target = attempt(() => resolveTarget(raw, operation, creds))
  const opt = <T>(name: keyof RawInputs, fn: (value: string) => T): T | undefined =>
    attempt(() => (raw[name] === undefined ? undefined : fn(raw[name] as string)))

  const seconds = (
    name: 'timeout-seconds' | 'max-wait-seconds' | 'request-timeout-seconds',
    fallback: number,
    min: number
  ) => (opt(name, (v) => check.wholeSeconds(name, v, min)) ?? fallback) * 1000
  const limits: Limits = {
    timeoutMs: seconds('timeout-seconds', DEFAULT_TIMEOUT_SECONDS, 1),
    maxWaitMs: seconds('max-wait-seconds', DEFAULT_MAX_WAIT_SECONDS, 0),
    attemptTimeoutMs: seconds('request-timeout-seconds', DEFAULT_REQUEST_TIMEOUT_SECONDS, 1)
  }

  const url = opt('url', (v) => check.backendUrl('url', v))
  const protocol = opt('protocol', (v) => check.oneOf('protocol', v, PROTOCOLS))

  let request: ActionRequest | undefined
  if (operation === 'create') {
    if (raw.url === undefined)
      errors.push(new InputError('url', msg.required(' for operation create')))
    if (raw.protocol === undefined)
      errors.push(new InputError('protocol', msg.required(' for operation create: http or soap')))
    const skipChain = opt('skip-certificate-chain-validation', (v) =>
      check.boolean('skip-certificate-chain-validation', v)
    )
    const skipName = opt('skip-certificate-name-validation', (v) =>
      check.boolean('skip-certificate-name-validation', v)
    )
    const serviceFabric = attempt(() => {
      const text = raw['service-fabric-cluster']
      return text === undefined
        ? undefined
        : checkShape(
            'service-fabric-cluster',
            serviceFabricSchema,
            parseYamlOrJson('service-fabric-cluster', text)
          )
    })
    const backend: BackendContract = dropUndefined({
      url,
      protocol,
      title: opt('title', (v) => check.text('title', v, 300)),
      description: opt('description', (v) =>
        check.text('description', v, 2000, { multiline: true })
      ),
      resourceId: opt('resource-id', (v) => check.text('resource-id', v, 2000)),
      credentials,
      proxy,
      properties: serviceFabric ? { serviceFabricCluster: serviceFabric } : undefined,
      tls:
        skipChain === undefined && skipName === undefined
          ? undefined
          : dropUndefined({
              validateCertificateChain: skipChain === undefined ? undefined : !skipChain,
              validateCertificateName: skipName === undefined ? undefined : !skipName
            })
    })
    const ifExists = opt('if-exists', (v) => check.oneOf('if-exists', v, IF_EXISTS)) ?? 'fail'
    if (target && auth) request = { operation, target, auth, endpoints, limits, backend, ifExists }
  } else {
    const afterSeconds = opt('time-until-reset', (v) => check.wholeSeconds('time-until-reset', v))
    const updates: BackendUpdateParameters = dropUndefined({ url, protocol, credentials, proxy })
    if (target && auth) {
      request = {
        operation,
        target,
        auth,
        endpoints,
        limits,
        updates: Object.keys(updates).length > 0 ? updates : undefined,
        afterSeconds
      }
    }
  }
  if (errors.length > 0 || request === undefined) throw new InputErrors(errors)
  return request
}

/** Subscription, group, service and backend id, from the inputs or an earlier `backend` output. */
function resolveTarget(raw: RawInputs, operation: Operation, creds: CredsJson): Target {
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
    fromBackend = match.slice(1).map(decodeURIComponent)
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
  let id = agree('backend-id', raw['backend-id'], fromBackend?.[3], "the 'backend' id's backend")

  const missing = (input: string) =>
    new InputError(
      input,
      msg.required(
        operation === 'reset' ? " (or pass an earlier step's 'backend' output in 'backend')" : ''
      )
    )
  if (sub === undefined)
    throw new InputError('subscription-id', msg.required(' (or creds.subscriptionId)'))
  if (group === undefined) throw missing('resource-group')
  if (service === undefined) throw missing('service-name')
  let generatedId = false
  if (id === undefined) {
    if (operation === 'reset') throw missing('backend-id')
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
    generatedId
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
