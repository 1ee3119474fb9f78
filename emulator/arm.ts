// Azure Resource Manager in front of API Management: the front door (token, api-version,
// subscription, RBAC, resource group, service) and then the backend operations of
// Microsoft.ApiManagement/service/backends and …/service/workspaces/backends at api-version
// 2024-05-01. A service's backends and each workspace's are separate sets (BackendScope); both
// go through the same handlers below.
import { randomUUID } from 'node:crypto'
import {
  API_VERSION,
  ErrorDetail,
  authErrors,
  requestErrors,
  resourceErrors,
  throttledError,
  validationError
} from './arm-errors.js'
import { EmuRequest, EmuResponse, isObject, jsonResponse, pathSegments, sameText } from './http.js'
import { verifyJwt } from './jwt.js'
import {
  BackendScope,
  BackendStore,
  ServiceRecord,
  WORKSPACE_TYPE,
  WorkspaceRecord,
  etagMatches,
  mergePatch,
  replaceTopLevel
} from './store.js'
import {
  BucketOptions,
  EmulatorContext,
  ThrottleOptions,
  WorkspaceScope,
  entraIssuer,
  findPrincipal
} from './types.js'
import {
  checkWholeTls,
  isIsoDuration,
  validateBackendProperties,
  type ValidationResult
} from './validate.js'

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST'])
const DEFAULT_PAGE_SIZE = 100

type Level = 'service' | 'workspaces' | 'workspace' | 'backends' | 'backend' | 'reconnect'

interface ArmRoute {
  level: Level
  sub: string
  rg: string
  service: string
  /** set for a route under …/workspaces/{workspace} (and for the workspace itself) */
  workspace?: string
  backendId?: string
}

const ALLOWED: Record<Level, string[]> = {
  service: ['GET'],
  workspaces: ['GET'],
  workspace: ['GET'],
  backends: ['GET'],
  backend: ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'],
  reconnect: ['POST']
}

/** The one workspace the signed-in principal's role is granted on (see grantOnlyWorkspace). */
export type WorkspaceGrant = WorkspaceScope

interface Principal {
  appId: string
  objectId: string
  canWrite: boolean
}

export class ArmApi {
  /** notes about accepted-but-unknown body fields, newest last */
  readonly warnings: string[] = []
  private readonly pendingChanges = new Set<string>()
  private concurrentWrites = 0
  private readonly buckets = new Map<string, Record<BucketKind, Bucket>>()
  private throttle: ThrottleOptions | undefined
  private throttled = 0
  /** where list answers point their nextLink; undefined: this emulator */
  private nextLinkOrigin: string | undefined
  /** undefined: the principal's role covers the whole subscription (the default) */
  private grant: WorkspaceGrant | undefined

  constructor(
    private readonly ctx: EmulatorContext,
    readonly store: BackendStore
  ) {}

  changeBackendAfterNextGet(backendId: string): void {
    this.pendingChanges.add(backendId.toLowerCase())
  }

  /**
   * Another writer PUTs `properties` to the backend `req` addresses, as if its write had landed
   * just after `req` was processed (the 'concurrent-write' fault). Default: a new Single backend, or the
   * existing one with a new description. A request that addresses no backend is left alone.
   */
  writeConcurrently(req: EmuRequest, properties?: Record<string, unknown>): void {
    const route = parseRoute(pathSegments(req.path) ?? [])
    if (typeof route !== 'object' || route.level !== 'backend') return
    const service = this.store.service(route.sub, route.rg, route.service)
    const scope =
      service && route.workspace !== undefined
        ? this.store.workspace(service, route.workspace)
        : service
    if (!scope) return
    const id = route.backendId!
    const existing = this.store.get(scope, id)
    this.concurrentWrites += 1
    const n = this.concurrentWrites
    this.store.put(
      scope,
      id,
      properties ??
        (existing
          ? { ...existing.properties, description: `Changed by a concurrent writer (${n})` }
          : {
              url: 'https://someone-else.example.com',
              protocol: 'http',
              description: `Created by a concurrent writer (${n})`
            })
    )
  }

  /** List answers point their nextLink at `origin` (another host) instead of this emulator. */
  setNextLinkOrigin(origin: string | undefined): void {
    this.nextLinkOrigin = origin === undefined ? undefined : new URL(origin).origin
  }

  /**
   * The principal's role on one workspace only (undefined: on the whole subscription again).
   * Kept by reset(), like the throttle setting.
   */
  setWorkspaceGrant(grant: WorkspaceGrant | undefined): void {
    this.grant = grant === undefined ? undefined : { ...grant }
  }

  workspaceGrant(): WorkspaceGrant | undefined {
    return this.grant === undefined ? undefined : { ...this.grant }
  }

  reset(): void {
    this.pendingChanges.clear()
    this.nextLinkOrigin = undefined
    this.warnings.length = 0
    this.buckets.clear()
    this.throttled = 0
  }

  handle(req: EmuRequest): EmuResponse {
    const auth = this.authenticate(req)
    if (!auth.ok) return auth.response

    const apiVersion = req.query['api-version']
    if (apiVersion === undefined || apiVersion === '') return requestErrors.missingApiVersion()
    if (apiVersion !== API_VERSION) return requestErrors.invalidApiVersion(apiVersion)

    const segments = pathSegments(req.path) ?? []
    const route = parseRoute(segments)
    if (route === undefined) return requestErrors.noRoute(req.method, req.path)

    if (!this.store.hasSubscription(segments[1])) {
      return resourceErrors.subscriptionNotFound(segments[1])
    }
    const limit = this.takeToken(segments[1], bucketKind(req.method))
    if (limit.retryAfterSeconds !== undefined) {
      this.throttled += 1
      return throttledError(
        bucketKind(req.method).replace(/s$/, ''),
        segments[1],
        auth.principal.objectId,
        limit.retryAfterSeconds,
        limit.headers
      )
    }
    const answer = this.dispatch(req, route, auth.principal)
    answer.headers = { ...answer.headers, ...limit.headers }
    return answer
  }

  /** Turns throttling on (`{}`: ARM's defaults) or off; starts every bucket full. */
  setThrottle(throttle: ThrottleOptions | undefined): void {
    if (throttle !== undefined) {
      checkBucket('throttle.writes', throttle.writes)
      checkBucket('throttle.reads', throttle.reads)
      checkBucket('throttle.deletes', throttle.deletes)
    }
    this.throttle = throttle
    this.buckets.clear()
  }

  /** How many requests the throttle answered with 429 since the last reset. */
  throttledCount(): number {
    return this.throttled
  }

  /** RBAC, resource group, service and workspace checks, then the operation itself. */
  private dispatch(req: EmuRequest, route: ArmRoute | string, principal: Principal): EmuResponse {
    if (typeof route === 'string') return requestErrors.unknownResourceType(route)
    if (!ALLOWED[route.level].includes(req.method))
      return requestErrors.methodNotAllowed(req.method)
    // ARM authorizes before the resource provider sees the request, so a missing resource group,
    // service or workspace is only reported to a principal allowed to ask.
    const scope = req.path.replace(/\/+$/, '').replace(/\/reconnect$/i, '')
    if (!this.granted(route)) {
      // Workspace-only role (grantOnlyWorkspace): ARM's 403 AuthorizationFailed, worded as real
      // reports quote it ("… does not have authorization to perform action '…' over scope '…' or
      // the scope is invalid. If access was recently granted, please refresh your credentials.":
      // microsoft/vscode-azureappservice#1892, Azure/terraform-provider-azapi#220). A service
      // principal is named by its object id twice (sjkp/letsencrypt-siteextension#356,
      // microsoft/azure-tools-for-java#3643). The action: the resource type addressed + read,
      // write, delete or the action (actionName). guess: for a list, the scope is the
      // collection's path as requested.
      return authErrors.forbidden(
        principal.objectId,
        principal.objectId,
        actionName(req.method, route),
        scope
      )
    }
    if (WRITE_METHODS.has(req.method) && !principal.canWrite) {
      return authErrors.forbidden(
        principal.appId,
        principal.objectId,
        actionName(req.method, route),
        scope
      )
    }
    if (!this.store.hasResourceGroup(route.sub, route.rg)) {
      return resourceErrors.resourceGroupNotFound(route.rg)
    }
    const service = this.store.service(route.sub, route.rg, route.service)
    if (!service) return resourceErrors.serviceNotFound(route.rg, route.service)
    if (route.level === 'service') return jsonResponse(200, serviceResource(service))
    if (route.level === 'workspaces') return this.listWorkspaces(service)

    let backends: BackendScope = service
    if (route.workspace !== undefined) {
      // No reconnect in a workspace: the route is not APIM's (see noHttpResource).
      if (route.level === 'reconnect') {
        const query = new URLSearchParams(req.query).toString()
        return requestErrors.noHttpResource(`${this.ctx.url}${req.path}${query ? `?${query}` : ''}`)
      }
      const workspace = this.store.workspace(service, route.workspace)
      if (!workspace) return resourceErrors.workspaceNotFound()
      if (route.level === 'workspace') return jsonResponse(200, workspaceResource(workspace))
      backends = workspace
    }
    switch (route.level) {
      case 'backends':
        return this.list(req, backends)
      case 'reconnect':
        return this.reconnect(req, backends, route.backendId!)
      default:
        return this.backend(req, backends, route.backendId!)
    }
  }

  /** Whether the principal's role covers `route` (always, unless grantOnlyWorkspace is on). */
  private granted(route: ArmRoute): boolean {
    const g = this.grant
    if (g === undefined) return true
    const same = (a: string | undefined, b: string) => a !== undefined && sameText(a, b)
    return (
      same(route.sub, g.subscriptionId) &&
      same(route.rg, g.resourceGroup) &&
      same(route.service, g.serviceName) &&
      same(route.workspace, g.workspace)
    )
  }

  /** GET …/workspaces: every workspace of the service, one page (the emulator has few). */
  private listWorkspaces(service: ServiceRecord): EmuResponse {
    const all = this.store.workspaces(service)
    return jsonResponse(200, { value: all.map(workspaceResource), count: all.length, nextLink: '' })
  }

  private backend(req: EmuRequest, service: BackendScope, id: string): EmuResponse {
    if (id.length > 80) {
      return validationError([
        {
          code: 'ValidationError',
          target: 'backendId',
          message:
            'The field backendId must be a string with a minimum length of 1 and a maximum length of 80.'
        }
      ])
    }
    switch (req.method) {
      case 'GET':
        return this.get(service, id)
      case 'HEAD': {
        const backend = this.store.get(service, id)
        return backend ? { status: 200, headers: { etag: backend.etag } } : { status: 404 }
      }
      case 'PUT':
        return this.put(req, service, id)
      case 'PATCH':
        return this.patch(req, service, id)
      default:
        return this.delete(req, service, id)
    }
  }

  private get(service: BackendScope, id: string): EmuResponse {
    const backend = this.store.get(service, id)
    if (!backend) return resourceErrors.backendNotFound()
    const answer = jsonResponse(200, this.store.answer(service, backend), { etag: backend.etag })
    // Simulates another writer changing the backend between this read and the caller's write.
    if (this.pendingChanges.delete(id.toLowerCase())) {
      this.concurrentWrites += 1
      this.store.put(service, backend.name, {
        ...backend.properties,
        description: `Changed by a concurrent writer (${this.concurrentWrites})`
      })
    }
    return answer
  }

  private put(req: EmuRequest, service: BackendScope, id: string): EmuResponse {
    const body = parseBody(req.body)
    if (!body.ok) return body.response
    const props = body.value.properties ?? {}
    const invalid = this.validate(req, service, id, props)
    if (invalid) return invalid

    const existing = this.store.get(service, id)
    const ifMatch = req.headers['if-match']
    if (ifMatch !== undefined && (!existing || !etagMatches(ifMatch, existing.etag))) {
      return resourceErrors.preconditionFailed()
    }
    // If-None-Match on PUT, evaluated after If-Match as RFC 9110 §13.2.2 orders them. `*`:
    // create only — 412 when the backend exists (RFC 9110 §13.1.2; the ARM resource provider
    // contract's ETag table, Azure/azure-resource-manager-rpc v1.0/Addendum.md "ETags for
    // Resources": PUT + If-None-Match "*" is 201 when absent, 412 when present). That contract
    // leaves the check to each resource provider, and no recording of APIM answering a backend
    // PUT with If-None-Match was found: that APIM honours it, and answers with the same 412
    // PreconditionFailed envelope and text as a stale If-Match, is a guess.
    // Guess rule: any other value is a list of ETags compared weakly (RFC 9110 §13.1.2):
    // 412 when the backend exists and one of them matches its ETag, otherwise the PUT proceeds.
    const ifNoneMatch = req.headers['if-none-match']
    if (ifNoneMatch !== undefined && existing && etagMatches(ifNoneMatch, existing.etag)) {
      return resourceErrors.preconditionFailed()
    }
    const { backend, created } = this.store.put(service, id, props as Record<string, unknown>)
    return jsonResponse(created ? 201 : 200, this.store.answer(service, backend), {
      etag: backend.etag
    })
  }

  private patch(req: EmuRequest, service: BackendScope, id: string): EmuResponse {
    const body = parseBody(req.body)
    if (!body.ok) return body.response
    const ifMatch = req.headers['if-match']
    if (ifMatch === undefined) return resourceErrors.ifMatchRequired()
    const existing = this.store.get(service, id)
    if (!existing) return resourceErrors.backendNotFound()
    if (!etagMatches(ifMatch, existing.etag)) return resourceErrors.preconditionFailed()

    // A merge patch by default; the merged result must still be a valid backend.
    const patch = body.value.properties ?? {}
    // guess: the service validates a PATCH's own `tls` as it does a PUT's (checkWholeTls), even
    // where the backend's current tls would supply the missing flag.
    const partialTls = { errors: [], unknownKeys: [] } as ValidationResult
    if (isObject(patch)) checkWholeTls(patch.tls, partialTls)
    if (partialTls.errors.length) return validationError(partialTls.errors)
    const merge = req.patchVariant === 'patch-replaces-nested' ? replaceTopLevel : mergePatch
    const merged = isObject(patch) ? merge(existing.properties, patch) : patch
    const invalid = this.validate(req, service, id, merged)
    if (invalid) return invalid
    const { backend } = this.store.put(service, id, merged as Record<string, unknown>)
    // Recorded at 2019-12-01-preview: 204, no body, no ETag (FaultKind 'patch-no-content').
    if (req.patchVariant === 'patch-no-content') return { status: 204 }
    // 2024-05-01 documents 200 with the backend, as recorded at 2022-08-01.
    return jsonResponse(200, this.store.answer(service, backend), { etag: backend.etag })
  }

  private delete(req: EmuRequest, service: BackendScope, id: string): EmuResponse {
    const ifMatch = req.headers['if-match']
    if (ifMatch === undefined) return resourceErrors.ifMatchRequired()
    const existing = this.store.get(service, id)
    if (!existing) return { status: 204 }
    if (!etagMatches(ifMatch, existing.etag)) return resourceErrors.preconditionFailed()
    this.store.delete(service, id)
    return { status: 200 }
  }

  private reconnect(req: EmuRequest, service: BackendScope, id: string): EmuResponse {
    if (!this.store.get(service, id)) return resourceErrors.backendNotFound()
    if (req.body.trim() !== '') {
      const body = parseBody(req.body)
      if (!body.ok) return body.response
      const props = body.value.properties
      const after = isObject(props) ? props.after : undefined
      if (props !== undefined && props !== null && !isObject(props)) {
        return validationError([
          {
            code: 'ValidationError',
            target: 'properties',
            message: 'The field properties must be an object.'
          }
        ])
      }
      if (
        after !== undefined &&
        after !== null &&
        (typeof after !== 'string' || !isIsoDuration(after))
      ) {
        return validationError([
          {
            code: 'ValidationError',
            target: 'after',
            message: `The value '${String(after)}' of after is not a valid ISO 8601 duration.`
          }
        ])
      }
    }
    return { status: 202 }
  }

  private list(req: EmuRequest, service: BackendScope): EmuResponse {
    const details: ErrorDetail[] = []
    const top = intParam(req.query.$top, '$top', 1, details)
    const skip = intParam(req.query.$skip, '$skip', 0, details) ?? 0
    const filter = parseFilter(req.query.$filter)
    if (filter === undefined) {
      details.push({
        code: 'ValidationError',
        target: '$filter',
        message: `Invalid filter clause specified: '${req.query.$filter}'.`
      })
    }
    if (details.length || !filter) return validationError(details)

    const all = this.store.list(service).filter((b) => filter(b.name, b.properties))
    const pageSize = top ?? DEFAULT_PAGE_SIZE
    const page = all.slice(skip, skip + pageSize)
    const body: Record<string, unknown> = {
      value: page.map((b) => this.store.answer(service, b)),
      count: all.length
    }
    if (skip + pageSize < all.length) {
      const query = new URLSearchParams({
        ...req.query,
        $top: String(pageSize),
        $skip: String(skip + pageSize)
      })
      body.nextLink = `${this.nextLinkOrigin ?? this.ctx.url}${req.path}?${query}`
    }
    return jsonResponse(200, body)
  }

  private validate(
    req: EmuRequest,
    service: BackendScope,
    id: string,
    props: unknown
  ): EmuResponse | undefined {
    if (!isObject(props)) {
      return validationError([
        {
          code: 'ValidationError',
          target: 'properties',
          message: 'The field properties must be an object.'
        }
      ])
    }
    const result = validateBackendProperties(props, {
      backendExists: (armId) => this.store.backendExists(service, armId),
      workspaceId: isWorkspace(service) ? service.resourceId : undefined
    })
    for (const key of result.unknownKeys) {
      this.warnings.push(
        `${req.method} backend '${id}': unknown property 'properties.${key}' accepted and stored as sent`
      )
    }
    return result.errors.length ? validationError(result.errors) : undefined
  }

  private authenticate(
    req: EmuRequest
  ): { ok: true; principal: Principal } | { ok: false; response: EmuResponse } {
    const { url, tenantId } = this.ctx
    const fail = (response: EmuResponse) => ({ ok: false as const, response })
    const header = req.headers.authorization
    if (header === undefined) return fail(authErrors.missingHeader(url, tenantId))
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match) return fail(authErrors.badHeaderFormat(url, tenantId))

    const verified = verifyJwt(match[1], this.ctx.entraKey)
    if (!verified.ok) return fail(authErrors.invalidToken(url, tenantId))
    const { iss, exp, nbf, aud, appid, oid } = verified.payload
    if (iss !== entraIssuer(tenantId))
      return fail(authErrors.wrongIssuer(url, tenantId, String(iss)))
    const now = Date.now()
    if (typeof exp !== 'number' || exp * 1000 <= now) {
      return fail(
        authErrors.expired(url, tenantId, new Date(Number(exp) * 1000 || 0), new Date(now))
      )
    }
    if (typeof nbf === 'number' && nbf * 1000 > now + 300_000)
      return fail(authErrors.invalidToken(url, tenantId))
    if (typeof aud !== 'string' || !this.ctx.armAudiences.includes(aud)) {
      return fail(authErrors.wrongAudience(url, tenantId, String(aud), this.ctx.armAudiences))
    }
    const appId = String(appid)
    const principal = findPrincipal(this.ctx, appId)
    return {
      ok: true,
      principal: { appId, objectId: String(oid), canWrite: principal?.canWrite ?? true }
    }
  }

  /**
   * ARM's token buckets (per subscription): reads 250 burst at 25/s, writes and deletes 200 at
   * 10/s each (learn.microsoft.com "request-limits-and-throttling"), or the configured throttle.
   * Without a throttle the buckets only feed the remaining-count headers and never refuse a
   * request (inject a 429 fault for that).
   */
  private takeToken(
    sub: string,
    kind: BucketKind
  ): { headers: Record<string, string>; retryAfterSeconds?: number } {
    const key = sub.toLowerCase()
    let buckets = this.buckets.get(key)
    if (!buckets) {
      const t = this.throttle
      buckets = {
        reads: new Bucket(t?.reads ?? DEFAULT_READS),
        writes: new Bucket(t?.writes ?? DEFAULT_WRITES),
        deletes: new Bucket(t?.deletes ?? DEFAULT_DELETES)
      }
      this.buckets.set(key, buckets)
    }
    const bucket = buckets[kind]
    // A DELETE reports its own budget, -deletes, not -writes (both .NET recordings, e.g.
    // CreateListUpdateDelete.json: "x-ms-ratelimit-remaining-subscription-deletes": "14999").
    const name = `x-ms-ratelimit-remaining-subscription-${kind}`
    if (this.throttle === undefined) return { headers: { [name]: String(bucket.drain()) } }
    const taken = bucket.take()
    return { headers: { [name]: String(taken.remaining) }, retryAfterSeconds: taken.retryAfter }
  }
}

type BucketKind = 'reads' | 'writes' | 'deletes'

function bucketKind(method: string): BucketKind {
  if (method === 'DELETE') return 'deletes'
  return WRITE_METHODS.has(method) ? 'writes' : 'reads'
}

const DEFAULT_WRITES: BucketOptions = { burst: 200, refillPerSecond: 10 }
const DEFAULT_READS: BucketOptions = { burst: 250, refillPerSecond: 25 }
const DEFAULT_DELETES: BucketOptions = { burst: 200, refillPerSecond: 10 }

function checkBucket(name: string, b: BucketOptions | undefined): void {
  if (b === undefined) return
  if (!Number.isFinite(b.burst) || b.burst < 1)
    throw new Error(`${name}.burst must be a number of at least 1`)
  if (!Number.isFinite(b.refillPerSecond) || b.refillPerSecond <= 0)
    throw new Error(`${name}.refillPerSecond must be a positive number`)
}

class Bucket {
  private tokens: number
  private last = Date.now()
  private readonly capacity: number
  private readonly perSecond: number
  constructor(options: BucketOptions) {
    this.capacity = options.burst
    this.perSecond = options.refillPerSecond
    this.tokens = options.burst
  }
  private refill(): void {
    const now = Date.now()
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
  }
  /** Reporting only: takes a token when there is one and never refuses. */
  drain(): number {
    this.refill()
    this.tokens = Math.max(0, this.tokens - 1)
    return Math.floor(this.tokens)
  }
  /** Takes a token, or says how many whole seconds (at least 1) until one is available. */
  take(): { remaining: number; retryAfter?: number } {
    this.refill()
    if (this.tokens >= 1) {
      this.tokens -= 1
      return { remaining: Math.floor(this.tokens) }
    }
    const seconds = Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond))
    return { remaining: 0, retryAfter: seconds }
  }
}

/** undefined: not an ARM path the emulator knows; string: an unknown APIM child type. */
function parseRoute(s: string[]): ArmRoute | string | undefined {
  const fixed = (i: number, text: string) => sameText(s[i], text)
  if (
    s.length < 8 ||
    !fixed(0, 'subscriptions') ||
    !fixed(2, 'resourceGroups') ||
    !fixed(4, 'providers') ||
    !fixed(5, 'Microsoft.ApiManagement') ||
    !fixed(6, 'service')
  ) {
    return undefined
  }
  const base = { sub: s[1], rg: s[3], service: s[7] }
  if (s.length === 8) return { level: 'service', ...base }
  if (fixed(8, 'workspaces')) {
    if (s.length === 9) return { level: 'workspaces', ...base }
    const inWorkspace = { ...base, workspace: s[9] }
    if (s.length === 10) return { level: 'workspace', ...inWorkspace }
    if (!fixed(10, 'backends')) return `workspaces/${s[10]}`
    return backendRoute(s.slice(11), inWorkspace)
  }
  if (!fixed(8, 'backends')) return s[8]
  return backendRoute(s.slice(9), base)
}

/** The part after …/backends: the list, one backend, or its reconnect action. */
function backendRoute(rest: string[], base: Omit<ArmRoute, 'level'>): ArmRoute | undefined {
  if (rest.length === 0) return { level: 'backends', ...base }
  if (rest.length === 1) return { level: 'backend', ...base, backendId: rest[0] }
  if (rest.length === 2 && sameText(rest[1], 'reconnect'))
    return { level: 'reconnect', ...base, backendId: rest[0] }
  return undefined
}

/**
 * The RBAC action a request needs: the resource type it addresses and read, write, delete or
 * the action (Microsoft.ApiManagement/service/read, …/service/backends/write,
 * …/service/workspaces/backends/delete, …/service/backends/reconnect/action).
 */
function actionName(method: string, route: ArmRoute): string {
  const type =
    route.level === 'service'
      ? 'Microsoft.ApiManagement/service'
      : route.level === 'workspaces' || route.level === 'workspace'
        ? WORKSPACE_TYPE
        : route.workspace !== undefined
          ? 'Microsoft.ApiManagement/service/workspaces/backends'
          : 'Microsoft.ApiManagement/service/backends'
  if (method === 'DELETE') return `${type}/delete`
  if (method === 'POST') return `${type}/reconnect/action`
  if (method === 'GET' || method === 'HEAD') return `${type}/read`
  return `${type}/write`
}

function isWorkspace(scope: BackendScope): scope is WorkspaceRecord {
  return 'service' in scope
}

/** As the 2024-05-01 example ApiManagementGetWorkspace.json answers a workspace. */
function workspaceResource(w: WorkspaceRecord): Record<string, unknown> {
  return {
    id: w.resourceId,
    type: WORKSPACE_TYPE,
    name: w.name,
    properties: { displayName: w.displayName, description: w.description }
  }
}

function parseBody(
  text: string
): { ok: true; value: Record<string, unknown> } | { ok: false; response: EmuResponse } {
  if (text.trim() === '') {
    return { ok: false, response: requestErrors.invalidContent('The request body is empty.') }
  }
  try {
    const value: unknown = JSON.parse(text)
    if (isObject(value)) return { ok: true, value }
    return {
      ok: false,
      response: requestErrors.invalidContent('The request body must be a JSON object.')
    }
  } catch (error) {
    return { ok: false, response: requestErrors.invalidContent((error as Error).message) }
  }
}

function intParam(
  value: string | undefined,
  name: string,
  min: number,
  details: ErrorDetail[]
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^-?\d+$/.test(value) || n < min) {
    details.push({
      code: 'ValidationError',
      target: name,
      message: `The field ${name} must be an integer greater than or equal to ${min}.`
    })
    return undefined
  }
  return n
}

type Filter = (name: string, props: Record<string, unknown>) => boolean

/** The OData subset APIM documents for backends: name/title/url with eq, ne and string functions. */
function parseFilter(filter: string | undefined): Filter | undefined {
  if (filter === undefined || filter.trim() === '') return () => true
  const field = (f: string) => (name: string, props: Record<string, unknown>) =>
    String(f.toLowerCase() === 'name' ? name : (props[f.toLowerCase()] ?? '')).toLowerCase()
  const cmp = /^\s*(name|title|url)\s+(eq|ne)\s+'((?:[^']|'')*)'\s*$/i.exec(filter)
  if (cmp) {
    const get = field(cmp[1])
    const value = cmp[3].replace(/''/g, "'").toLowerCase()
    const eq = cmp[2].toLowerCase() === 'eq'
    return (name, props) => (get(name, props) === value) === eq
  }
  const fn =
    /^\s*(startswith|endswith|contains)\(\s*(name|title|url)\s*,\s*'((?:[^']|'')*)'\s*\)\s*$/i.exec(
      filter
    )
  const sub = /^\s*substringof\(\s*'((?:[^']|'')*)'\s*,\s*(name|title|url)\s*\)\s*$/i.exec(filter)
  if (fn || sub) {
    const op = fn ? fn[1].toLowerCase() : 'contains'
    const get = field(fn ? fn[2] : sub![2])
    const value = (fn ? fn[3] : sub![1]).replace(/''/g, "'").toLowerCase()
    return (name, props) => {
      const v = get(name, props)
      return op === 'startswith'
        ? v.startsWith(value)
        : op === 'endswith'
          ? v.endsWith(value)
          : v.includes(value)
    }
  }
  return undefined
}

function serviceResource(s: ServiceRecord): Record<string, unknown> {
  const host = s.serviceName.toLowerCase()
  return {
    id: s.resourceId,
    name: s.serviceName,
    type: 'Microsoft.ApiManagement/service',
    location: s.location,
    etag: 'AAAAAAAAAAA=',
    tags: {},
    sku: { name: 'Developer', capacity: 1 },
    properties: {
      publisherEmail: 'admin@contoso.com',
      publisherName: 'Contoso',
      notificationSenderEmail: 'apimgmt-noreply@mail.windowsazure.com',
      provisioningState: 'Succeeded',
      targetProvisioningState: '',
      createdAtUtc: '2024-05-01T00:00:00Z',
      gatewayUrl: `https://${host}.azure-api.net`,
      gatewayRegionalUrl: `https://${host}-${s.location.replace(/\s+/g, '').toLowerCase()}-01.regional.azure-api.net`,
      portalUrl: `https://${host}.portal.azure-api.net`,
      developerPortalUrl: `https://${host}.developer.azure-api.net`,
      managementApiUrl: `https://${host}.management.azure-api.net`,
      scmUrl: `https://${host}.scm.azure-api.net`,
      hostnameConfigurations: [
        {
          type: 'Proxy',
          hostName: `${host}.azure-api.net`,
          negotiateClientCertificate: false,
          defaultSslBinding: true,
          certificateSource: 'BuiltIn'
        }
      ],
      publicIPAddresses: ['203.0.113.10'],
      virtualNetworkType: 'None',
      disableGateway: false,
      natGatewayState: 'Disabled',
      apiVersionConstraint: {},
      publicNetworkAccess: 'Enabled',
      platformVersion: 'stv2'
    }
  }
}

export function armCorrelationHeaders(req: EmuRequest): Record<string, string> {
  const requestId = randomUUID()
  return {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': req.headers['x-ms-correlation-request-id'] ?? randomUUID(),
    'x-ms-routing-request-id': `WESTUS:${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}:${requestId}`
  }
}
