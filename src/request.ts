// Step 2 of the data flow: turn raw inputs into a validated request. Nothing here touches the
// network or loads Azure code; every problem is an InputError, collected so the user sees all
// of them at once.
import { randomUUID } from 'node:crypto'
import { secretValues, urlSecrets } from './secret-fields.js'
import type { BackendContract, BackendUpdateParameters } from '@azure/arm-apimanagement'
import {
  DEFAULT_MAX_WAIT_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_RESET_SECONDS,
  IF_EXISTS,
  IF_MISSING,
  INPUTS,
  PROTOCOLS,
  type IfExists,
  type IfMissing,
  type Operation
} from './catalog.js'
import { planAuth, type AuthPlan, type CredsJson } from './auth-plan.js'
import { CLOUD_NAMES, CLOUDS, type CloudName } from './clouds.js'
import { checkApplicable, checkLengths, readOperation, type RawInputs } from './inputs.js'
import { InputError, msg } from './messages.js'
import type { Secrets } from './secrets.js'
import {
  backendOutputSchema,
  checkShape,
  circuitBreakerSchema,
  poolSchema,
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
  whatIf: boolean
  /** A pool's members (ARM ids), checked to exist before the write. */
  poolMembers?: string[]
}

export interface UpdateRequest extends Common {
  operation: 'update'
  /** Only the given fields, PATCHed with the current ETag. */
  updates: BackendUpdateParameters
  whatIf: boolean
  poolMembers?: string[]
}

export interface GetRequest extends Common {
  operation: 'get'
  ifMissing: IfMissing
}

export interface DeleteRequest extends Common {
  operation: 'delete'
  ifMissing: IfMissing
  whatIf: boolean
}

export interface ListRequest extends Common {
  operation: 'list'
  /** An OData $filter, passed as given. */
  filter?: string
}

export interface ResetRequest extends Common {
  operation: 'reset'
  /** Fields to PATCH before the reconnect; undefined when none were given. */
  updates?: BackendUpdateParameters
  /** Seconds until the reconnect; undefined sends no body (the service default, 2 minutes). */
  afterSeconds?: number
  /** Wait until the reconnect is due before the step ends (a deployment gate). */
  wait: boolean
  whatIf: boolean
}

export type ActionRequest =
  CreateRequest | ResetRequest | GetRequest | UpdateRequest | DeleteRequest | ListRequest

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
  // Secrets first, before any check can fail and print something (a message may quote a URL).
  secrets.add(raw['client-secret'])
  for (const part of [raw.url, raw['resource-id']].flatMap((u) => urlSecrets(u ?? '')))
    secrets.add(part)
  const errors: InputError[] = []
  // Over-long values are refused unread (inputs.ts): the checks below see a stand-in, and what
  // they say about it is left out.
  const lengths = checkLengths(raw)
  errors.push(...lengths.errors)
  raw = lengths.within
  const unread = new Set(lengths.errors.map((e) => e.input))
  const refused = () =>
    new InputErrors(errors.filter((e) => !unread.has(e.input) || lengths.errors.includes(e)))
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
  if (operation === undefined) throw refused()
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

  // Each within its documented range (catalog.ts), and so within Node's timer range.
  const seconds = (
    name: 'timeout-seconds' | 'max-wait-seconds' | 'request-timeout-seconds',
    fallback: number
  ) => (opt(name, (v) => check.wholeNumber(name, v, INPUTS[name].range)) ?? fallback) * 1000
  const limits: Limits = {
    timeoutMs: seconds('timeout-seconds', DEFAULT_TIMEOUT_SECONDS),
    maxWaitMs: seconds('max-wait-seconds', DEFAULT_MAX_WAIT_SECONDS),
    attemptTimeoutMs: seconds('request-timeout-seconds', DEFAULT_REQUEST_TIMEOUT_SECONDS)
  }

  // Read with `backends` (batch-request.ts); without it, a bad value is still reported.
  opt('max-parallel', (v) => check.wholeNumber('max-parallel', v, INPUTS['max-parallel'].range))
  const whatIf = opt('what-if', (v) => check.boolean('what-if', v)) ?? false
  const fields = backendFields(raw, opt, attempt, { credentials, proxy }, endpoints.arm)
  // Every secret the backend's fields hold, by place (secret-fields.ts): the URLs of a Service
  // Fabric cluster too, whose parse errors never quote their text.
  for (const value of secretValues(fields.contract)) secrets.add(value)
  const common = target && auth ? { target, auth, endpoints, limits } : undefined
  const ifMissing = opt('if-missing', (v) => check.oneOf('if-missing', v, IF_MISSING)) ?? 'fail'

  let request: ActionRequest | undefined
  switch (operation) {
    case 'create': {
      if (raw.pool !== undefined) {
        for (const input of ['url', 'protocol'] as const) {
          if (raw[input] !== undefined) {
            errors.push(
              new InputError(
                input,
                'does not apply to a pool backend (pool is given): the pool has no url or protocol of its own. Remove it.'
              )
            )
          }
        }
      } else {
        if (raw.url === undefined)
          errors.push(new InputError('url', msg.required(' for operation create (or give pool)')))
        if (raw.protocol === undefined)
          errors.push(
            new InputError('protocol', msg.required(' for operation create: http or soap'))
          )
      }
      const ifExists = opt('if-exists', (v) => check.oneOf('if-exists', v, IF_EXISTS)) ?? 'fail'
      if (common)
        request = {
          operation,
          ...common,
          backend: fields.contract,
          ifExists,
          whatIf,
          poolMembers: fields.poolMembers
        }
      break
    }
    case 'update': {
      if (raw.pool !== undefined && (raw.url !== undefined || raw.protocol !== undefined)) {
        errors.push(
          new InputError(
            raw.url !== undefined ? 'url' : 'protocol',
            'does not apply together with pool: a pool backend has no url or protocol. Remove it.'
          )
        )
      }
      if (Object.keys(fields.contract).length === 0 && errors.length === 0) {
        errors.push(
          new InputError(
            'operation',
            'update needs at least one field to change: url, protocol, title, description, resource-id, skip-certificate-*, backend-credentials, proxy, service-fabric-cluster, circuit-breaker or pool.'
          )
        )
      }
      if (common)
        request = {
          operation,
          ...common,
          updates: fields.contract,
          whatIf,
          poolMembers: fields.poolMembers
        }
      break
    }
    case 'reset': {
      // At most 7 days: the reconnect is never sent with a delay whose reset-at cannot be reported.
      const afterSeconds = opt('time-until-reset', (v) =>
        check.wholeNumber('time-until-reset', v, INPUTS['time-until-reset'].range)
      )
      const wait = opt('wait', (v) => check.boolean('wait', v)) ?? false
      const waitSeconds = afterSeconds ?? DEFAULT_RESET_SECONDS
      if (wait && waitSeconds * 1000 >= limits.timeoutMs) {
        errors.push(
          new InputError(
            'wait',
            `needs the step to live until the reconnect, ${waitSeconds} s from now, but timeout-seconds is ${limits.timeoutMs / 1000}. Raise timeout-seconds above ${waitSeconds}, or drop wait.`
          )
        )
      }
      const { contract } = fields
      if (common) {
        request = {
          operation,
          ...common,
          updates: Object.keys(contract).length > 0 ? contract : undefined,
          afterSeconds,
          wait,
          whatIf
        }
      }
      break
    }
    case 'get':
      if (common) request = { operation, ...common, ifMissing }
      break
    case 'delete':
      if (common) request = { operation, ...common, ifMissing, whatIf }
      break
    case 'list': {
      const filter = opt('filter', (v) => check.text('filter', v, 2000))
      if (common) request = { operation, ...common, filter }
      break
    }
  }
  if (errors.length > 0 || request === undefined) throw refused()
  expandPool(request)
  return request
}

interface Fields {
  /** The backend fields the inputs give, in the SDK's shape (PUT body or PATCH body). */
  contract: BackendContract
  pool?: BackendContract['pool']
  /** Pool members as ARM ids, to check that they exist before the write. */
  poolMembers?: string[]
}

/** Every backend field an input can set, validated; absent inputs are left out. */
function backendFields(
  raw: RawInputs,
  opt: <T>(name: keyof RawInputs, fn: (value: string) => T) => T | undefined,
  attempt: <T>(fn: () => T) => T | undefined,
  parsed: { credentials: BackendContract['credentials']; proxy: BackendContract['proxy'] },
  armEndpoint: string
): Fields {
  const structuredInput = <T>(
    name: 'service-fabric-cluster' | 'circuit-breaker' | 'pool',
    schema: Parameters<typeof checkShape>[1]
  ) =>
    attempt(() =>
      raw[name] === undefined
        ? undefined
        : (checkShape(name, schema, parseYamlOrJson(name, raw[name] as string)) as T)
    )
  const skipChain = opt('skip-certificate-chain-validation', (v) =>
    check.boolean('skip-certificate-chain-validation', v)
  )
  const skipName = opt('skip-certificate-name-validation', (v) =>
    check.boolean('skip-certificate-name-validation', v)
  )
  const serviceFabric = structuredInput<
    NonNullable<BackendContract['properties']>['serviceFabricCluster']
  >('service-fabric-cluster', serviceFabricSchema)
  const circuitBreaker = structuredInput<BackendContract['circuitBreaker']>(
    'circuit-breaker',
    circuitBreakerSchema
  )
  const poolItems = structuredInput<{ id: string; weight?: number; priority?: number }[]>(
    'pool',
    poolSchema
  )
  const contract: BackendContract = dropUndefined({
    url: opt('url', (v) => check.backendUrl('url', v)),
    protocol: opt('protocol', (v) => check.oneOf('protocol', v, PROTOCOLS)),
    title: opt('title', (v) => check.text('title', v, 300)),
    description: opt('description', (v) => check.text('description', v, 2000, { multiline: true })),
    resourceId: opt('resource-id', (v) => check.resourceId('resource-id', v, armEndpoint)),
    credentials: parsed.credentials,
    proxy: parsed.proxy,
    properties: serviceFabric ? { serviceFabricCluster: serviceFabric } : undefined,
    tls:
      skipChain === undefined && skipName === undefined
        ? undefined
        : dropUndefined({
            validateCertificateChain: skipChain === undefined ? undefined : !skipChain,
            validateCertificateName: skipName === undefined ? undefined : !skipName
          }),
    circuitBreaker
  })
  if (!poolItems) return { contract }
  const members = attempt(() =>
    poolItems.map((item, i) => ({ ...item, id: poolMemberId(raw, item.id, i) }))
  )
  if (!members) return { contract }
  const pool = {
    services: members.map((m) =>
      dropUndefined({ id: m.id, weight: m.weight, priority: m.priority })
    )
  }
  return {
    contract: { ...contract, pool, typePropertiesType: 'Pool' },
    pool,
    poolMembers: members.map((m) => m.id)
  }
}

/** A pool member: a backend id of the same service, or that backend's ARM id. */
function poolMemberId(raw: RawInputs, given: string, index: number): string {
  const match = BACKEND_ARM_ID.exec(given)
  if (match) return given
  if (given.startsWith('/')) {
    throw new InputError(
      'pool',
      `item ${index}: '${given}' is not the ARM id of an API Management backend.`
    )
  }
  check.backendId(`pool`, given)
  // Expanded once the target is known (see expandPool); a placeholder keeps the order.
  return `${POOL_PREFIX}${given}`
}

const POOL_PREFIX = 'backend:'

/** Turn pool members given as backend ids into ARM ids of the target service. */
function expandPool(request: ActionRequest): void {
  if (request.operation !== 'create' && request.operation !== 'update') return
  const body = request.operation === 'create' ? request.backend : request.updates
  const t = request.target
  const service = serviceArmId(t)
  const expand = (id: string) => {
    if (!id.startsWith(POOL_PREFIX)) {
      if (!id.toLowerCase().startsWith(`${service.toLowerCase()}/backends/`)) {
        throw new InputErrors([
          new InputError(
            'pool',
            `'${id}' is a backend of another service; a pool's members must be backends of ${t.serviceName}.`
          )
        ])
      }
      return id
    }
    return `${service}/backends/${id.slice(POOL_PREFIX.length)}`
  }
  for (const item of body.pool?.services ?? []) item.id = expand(item.id)
  if (request.poolMembers) request.poolMembers = request.poolMembers.map(expand)
}

/** The ARM id of the target's API Management service. */
export function serviceArmId(t: Target): string {
  return `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.ApiManagement/service/${t.serviceName}`
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
    fromBackend = match.slice(1).map(decodeSegment)
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
        operation !== 'create' && operation !== 'list'
          ? " (or pass an earlier step's 'backend' output in 'backend')"
          : ''
      )
    )
  if (sub === undefined)
    throw new InputError('subscription-id', msg.required(' (or creds.subscriptionId)'))
  if (group === undefined) throw missing('resource-group')
  if (service === undefined) throw missing('service-name')
  let generatedId = false
  if (operation === 'list') {
    // A list is of the whole service: no backend id.
    return {
      subscriptionId: check.uuid(subInput !== undefined ? 'subscription-id' : 'creds', sub),
      resourceGroup: check.resourceGroup('resource-group', group),
      serviceName: check.serviceName('service-name', service),
      backendId: '',
      generatedId
    }
  }
  if (id === undefined) {
    if (operation !== 'create') throw missing('backend-id')
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

/** A segment of the `backend` id, %-decoded; a malformed escape is the input's error. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    // URIError: a '%' without two hex digits, or bytes that are not UTF-8.
    throw new InputError('backend', msg.backendJson(msg.badPercentEscape(segment)))
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
