// ApimEmulator: one HTTPS listener on 127.0.0.1 serving Entra's token endpoint, GitHub's
// OIDC endpoint and ARM's APIM backend API, recording every request and answering injected
// faults first. Tests start it in-process; the CLI starts it for demos.
import { randomBytes, createHash } from 'node:crypto'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Server, createServer } from 'node:https'
import { AddressInfo } from 'node:net'
import path from 'node:path'
import { ArmApi, armCorrelationHeaders } from './arm.js'
import { requestErrors } from './arm-errors.js'
import { ensureCertificate } from './cert.js'
import { handleEntra } from './entra.js'
import { checkFault, requestUnderFault, statusFaultAnswer } from './faults.js'
import { GITHUB_API_BASE_PATH, GithubApi, isGithubApiPath } from './github-api.js'
import { handleGithubOidc, isGithubOidcPath, OIDC_BASE_PATH } from './github-oidc.js'
import {
  HealthAnswer,
  HealthEndpoints,
  HealthOutcome,
  HealthScript,
  healthName,
  HEALTH_BASE_PATH,
  isHealthPath
} from './health.js'
import { EmuRequest, EmuResponse, JSON_CONTENT_TYPE, armJson } from './http.js'
import { SigningKey, createSigningKey, signJwt } from './jwt.js'
import { MSI_PATH, handleManagedIdentity, isManagedIdentityPath } from './managed-identity.js'
import { BackendStore, EmulatorWorkspace, ServiceRecord } from './store.js'
import {
  EmulatorClient,
  EmulatorContext,
  EmulatorOptions,
  EmulatorService,
  Fault,
  IssuedToken,
  ManagedIdentity,
  RecordedRequest,
  ResolvedIdentity,
  ThrottleOptions,
  WorkspaceScope,
  CLOUD_AUDIENCES,
  entraIssuer
} from './types.js'

export type {
  BucketOptions,
  EmulatorClient,
  EmulatorOptions,
  EmulatorService,
  Fault,
  FaultKind,
  IssuedToken,
  ManagedIdentity,
  ManagedIdentityOptions,
  EmulatedCloud,
  EmulatorWorkspace,
  RecordedRequest,
  ThrottleOptions,
  WorkspaceScope
} from './types.js'
export { DEFAULT_WORKSPACE } from './store.js'
export type { HealthAnswer, HealthScript } from './health.js'
export type { GithubComment, GithubIdentity } from './github-api.js'
export { ACTIONS_BOT } from './github-api.js'

/** The az stand-in for AzureCliCredential, relative to the repository root (process.cwd()). */
export const AZ_STANDIN_DIR = path.join('emulator', 'az-standin')

export const DEFAULT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const DEFAULT_CLIENT: EmulatorClient = {
  clientId: '11111111-1111-1111-1111-111111111111',
  clientSecret: 'emulator-client-secret',
  federatedSubjects: ['repo:octo-org/octo-repo:ref:refs/heads/main']
}
export const DEFAULT_SERVICE: EmulatorService = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'rg1',
  serviceName: 'apimService1'
}
export const DEFAULT_OIDC_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main'

interface PendingFault extends Fault {
  remaining: number
}

export class ApimEmulator {
  /** every request, in order of arrival, including token and OIDC ones */
  readonly requests: RecordedRequest[] = []
  /** every access token the Entra endpoint issued (extra) */
  readonly issuedTokens: IssuedToken[]
  readonly tenantId: string
  readonly oidcRequestToken: string
  private readonly faults: PendingFault[] = []
  private readonly ctx: EmulatorContext
  private readonly store: BackendStore
  private readonly arm: ArmApi
  private readonly health = new HealthEndpoints()
  /**
   * GitHub's REST API for pull-request comments at githubApiUrl(): tokens (addToken), a
   * read-only mode (a fork's GITHUB_TOKEN), seeded comments and reading them back. Cleared by
   * reset().
   */
  readonly github = new GithubApi()
  private latencyMs = 0
  /** aborts every pending wait: the client closed, or the emulator stops */
  private readonly waits = new Set<AbortController>()

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly certPath: string,
    opts: EmulatorOptions,
    keys: { entraKey: SigningKey; oidcKey: SigningKey }
  ) {
    this.tenantId = opts.tenantId ?? DEFAULT_TENANT_ID
    this.oidcRequestToken = randomBytes(24).toString('base64url')
    this.issuedTokens = []
    const services = opts.services ?? [DEFAULT_SERVICE]
    this.ctx = {
      url,
      tenantId: this.tenantId,
      clients: (opts.clients ?? [DEFAULT_CLIENT]).map((c) => ({
        ...c,
        objectId: c.objectId ?? stableUuid(`object:${c.clientId}`),
        canWrite: c.canWrite ?? true
      })),
      ...keys,
      tokenLifetimeSeconds: opts.tokenLifetimeSeconds ?? 3600,
      oidcSubject: opts.oidcSubject ?? DEFAULT_OIDC_SUBJECT,
      oidcRequestToken: this.oidcRequestToken,
      issuedTokens: this.issuedTokens,
      managedIdentities: resolveIdentities(opts, services[0]),
      identityHeader: randomBytes(24).toString('base64url'),
      armAudiences: CLOUD_AUDIENCES[opts.cloud ?? 'AzureCloud'].arm,
      exchangeAudience: CLOUD_AUDIENCES[opts.cloud ?? 'AzureCloud'].exchange
    }
    this.store = new BackendStore(services, opts.workspaces)
    this.arm = new ArmApi(this.ctx, this.store)
    if (opts.workspaceOnly !== undefined) {
      const only = opts.workspaceOnly
      const grant =
        typeof only === 'string'
          ? {
              subscriptionId: services[0].subscriptionId,
              resourceGroup: services[0].resourceGroup,
              serviceName: services[0].serviceName,
              workspace: only
            }
          : only
      this.grantOnlyWorkspace(
        grant.subscriptionId,
        grant.resourceGroup,
        grant.serviceName,
        grant.workspace
      )
    }
    if (opts.latencyMs !== undefined) this.setLatency(opts.latencyMs)
    if (opts.throttle !== undefined) this.setThrottle(opts.throttle)
    for (const [name, answers] of Object.entries(opts.health ?? {})) this.setHealth(name, answers)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch((error: unknown) => {
        if (res.destroyed || res.writableEnded) return
        if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_CONTENT_TYPE })
        res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }))
      })
    })
  }

  /** Never reads the environment: see optionsFromEnv() in env-config.ts for that. */
  static async start(opts: EmulatorOptions = {}): Promise<ApimEmulator> {
    checkOptions(opts)
    const [cert, entraKey, oidcKey] = await Promise.all([
      ensureCertificate(opts.certDir ?? '.emulator'),
      createSigningKey(),
      createSigningKey()
    ])
    const server = createServer({ cert: cert.cert, key: cert.key })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    const { port } = server.address() as AddressInfo
    return new ApimEmulator(server, `https://127.0.0.1:${port}`, cert.certPath, opts, {
      entraKey,
      oidcKey
    })
  }

  /** notes about unknown body fields that were accepted and stored as sent (extra) */
  get warnings(): readonly string[] {
    return this.arm.warnings
  }

  /** the APIM services this emulator serves, with their workspaces (extra) */
  getServices(): EmulatorService[] {
    return this.store
      .allServices()
      .map(({ subscriptionId, resourceGroup, serviceName, location }) => ({
        subscriptionId,
        resourceGroup,
        serviceName,
        location,
        workspaces: this.getWorkspaces(subscriptionId, resourceGroup, serviceName)
      }))
  }

  /** The workspaces of a service, sorted by id ([] for a service the emulator does not have). */
  getWorkspaces(sub: string, rg: string, service: string): EmulatorWorkspace[] {
    const svc = this.store.service(sub, rg, service)
    return svc
      ? this.store
          .workspaces(svc)
          .map((w) => ({ id: w.name, displayName: w.displayName, description: w.description }))
      : []
  }

  /**
   * Adds a workspace to a configured service (no-op when it exists); routes under it answer
   * from then on. Kept by reset(), as services are.
   */
  addWorkspace(
    sub: string,
    rg: string,
    service: string,
    id: string,
    details: Omit<EmulatorWorkspace, 'id'> = {}
  ): void {
    this.store.addWorkspace(this.serviceOrThrow(sub, rg, service), { ...details, id })
  }

  /**
   * The signed-in principal's role is granted on one workspace only (any principal: clients and
   * managed identities alike): every ARM request whose path is not that workspace or under it
   * (…/service/{s}/workspaces/{w}[/…]) answers 403 AuthorizationFailed, naming the action the
   * request needs (…/service/read, …/service/backends/write, …) and the path as the scope. The
   * workspace need not exist. Kept by reset(); grantFullAccess() ends it.
   */
  grantOnlyWorkspace(sub: string, rg: string, service: string, workspace: string): void {
    this.arm.setWorkspaceGrant({
      subscriptionId: sub,
      resourceGroup: rg,
      serviceName: service,
      workspace
    })
  }

  /** The principal's role covers the whole subscription again (the default). */
  grantFullAccess(): void {
    this.arm.setWorkspaceGrant(undefined)
  }

  /** The workspace grantOnlyWorkspace() set, if any. */
  workspaceGrant(): WorkspaceScope | undefined {
    return this.arm.workspaceGrant()
  }

  /** only /subscriptions/... requests */
  armRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.toLowerCase().startsWith('/subscriptions/'))
  }

  /** only Entra token endpoint POSTs */
  tokenRequests(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/i.test(r.path)
    )
  }

  /** only managed identity token requests (IDENTITY_ENDPOINT) */
  managedIdentityRequests(): RecordedRequest[] {
    return this.requests.filter((r) => isManagedIdentityPath(r.path))
  }

  /**
   * What App Service sets for the code it hosts; with these in process.env,
   * ManagedIdentityCredential (MSAL's App Service source) asks this emulator for tokens.
   */
  managedIdentityEnv(): { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string } {
    return { IDENTITY_ENDPOINT: `${this.url}${MSI_PATH}`, IDENTITY_HEADER: this.ctx.identityHeader }
  }

  /**
   * The environment that makes `az` the stand-in in emulator/az-standin, which answers
   * `az account get-access-token` with a token from this emulator for `client` (default: the
   * first client; it needs a secret). PATH is the current PATH with the stand-in first; the
   * stand-in directory is found from the repository root, which must be process.cwd().
   * Extras beyond the brief: AZ_STANDIN_SUBSCRIPTION_ID and NODE_EXTRA_CA_CERTS.
   */
  azStandInEnv(client: EmulatorClient = this.ctx.clients[0]): {
    AZ_STANDIN_TOKEN_URL: string
    AZ_STANDIN_CLIENT_ID: string
    AZ_STANDIN_CLIENT_SECRET: string
    AZ_STANDIN_SUBSCRIPTION_ID: string
    NODE_EXTRA_CA_CERTS: string
    PATH: string
  } {
    if (!client?.clientSecret) {
      throw new Error('azStandInEnv needs a client with a clientSecret')
    }
    const dir = path.resolve(process.cwd(), AZ_STANDIN_DIR)
    const current = process.env.PATH ?? ''
    return {
      AZ_STANDIN_TOKEN_URL: `${this.url}/${this.tenantId}/oauth2/v2.0/token`,
      AZ_STANDIN_CLIENT_ID: client.clientId,
      AZ_STANDIN_CLIENT_SECRET: client.clientSecret,
      AZ_STANDIN_SUBSCRIPTION_ID: this.store.allServices()[0]?.subscriptionId ?? '',
      NODE_EXTRA_CA_CERTS: this.certPath,
      PATH: current ? `${dir}${path.delimiter}${current}` : dir
    }
  }

  /** Every later answer waits `ms` before it is written (0: none). */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`latencyMs must be >= 0, not ${ms}`)
    this.latencyMs = ms
  }

  /** ARM throttling on (`{}`: ARM's defaults) or off (undefined); buckets start full. */
  setThrottle(throttle: ThrottleOptions | undefined): void {
    this.arm.setThrottle(throttle)
  }

  /** How many ARM requests the throttle refused with 429 since start or the last reset(). */
  throttledCount(): number {
    return this.arm.throttledCount()
  }

  /** GITHUB_API_URL for a step that talks to this emulator's GitHub API (GHES-style /api/v3). */
  githubApiUrl(): string {
    return `${this.url}${GITHUB_API_BASE_PATH}`
  }

  /** value for ACTIONS_ID_TOKEN_REQUEST_URL; getIDToken() appends `&audience=…` */
  oidcRequestUrl(): string {
    return `${this.url}${OIDC_BASE_PATH}/token?api-version=2.0`
  }

  /** The environment a client process needs to talk to this emulator (extra). */
  clientEnv(client: EmulatorClient = this.ctx.clients[0]): Record<string, string> {
    const service = this.store.allServices()[0]
    return {
      AZURE_TENANT_ID: this.tenantId,
      AZURE_CLIENT_ID: client.clientId,
      ...(client.clientSecret ? { AZURE_CLIENT_SECRET: client.clientSecret } : {}),
      AZURE_AUTHORITY_HOST: this.url,
      AZURE_SUBSCRIPTION_ID: service?.subscriptionId ?? '',
      ARM_ENDPOINT: this.url,
      NODE_EXTRA_CA_CERTS: this.certPath,
      ACTIONS_ID_TOKEN_REQUEST_URL: this.oidcRequestUrl(),
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.oidcRequestToken
    }
  }

  getBackend(
    sub: string,
    rg: string,
    service: string,
    backendId: string
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): { contract: any; etag: string } | undefined {
    const svc = this.store.service(sub, rg, service)
    const backend = svc && this.store.get(svc, backendId)
    if (!svc || !backend) return undefined
    return { contract: this.store.contract(svc, backend), etag: backend.etag }
  }

  /** A workspace's backend as stored (undefined when it, or the workspace, does not exist). */
  getWorkspaceBackend(
    sub: string,
    rg: string,
    service: string,
    workspace: string,
    backendId: string
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): { contract: any; etag: string } | undefined {
    const svc = this.store.service(sub, rg, service)
    const ws = svc && this.store.workspace(svc, workspace)
    const backend = ws && this.store.get(ws, backendId)
    if (!ws || !backend) return undefined
    return { contract: this.store.contract(ws, backend), etag: backend.etag }
  }

  /** Seeds a workspace's backend directly (no validation); returns its ETag. */
  putWorkspaceBackend(
    sub: string,
    rg: string,
    service: string,
    workspace: string,
    backendId: string,
    properties: object
  ): string {
    const svc = this.serviceOrThrow(sub, rg, service)
    const ws = this.store.workspace(svc, workspace)
    if (!ws) {
      throw new Error(
        `The APIM service ${sub}/${rg}/${service} has no workspace '${workspace}'; add it with addWorkspace().`
      )
    }
    return this.store.put(ws, backendId, properties as Record<string, unknown>).backend.etag
  }

  /** Seeds a backend directly (no validation); returns its ETag, quoted as the header sends it. */
  putBackend(
    sub: string,
    rg: string,
    service: string,
    backendId: string,
    properties: object
  ): string {
    const svc = this.serviceOrThrow(sub, rg, service)
    return this.store.put(svc, backendId, properties as Record<string, unknown>).backend.etag
  }

  private serviceOrThrow(sub: string, rg: string, service: string): ServiceRecord {
    const svc = this.store.service(sub, rg, service)
    if (!svc) {
      throw new Error(
        `The emulator has no APIM service ${sub}/${rg}/${service}; add it to options.services.`
      )
    }
    return svc
  }

  changeBackendAfterNextGet(backendId: string): void {
    this.arm.changeBackendAfterNextGet(backendId)
  }

  /**
   * List answers point their nextLink at `origin` (e.g. another local server) instead of this
   * emulator, as a hostile or broken service might; undefined, or reset(), restores it.
   */
  setNextLinkOrigin(origin: string | undefined): void {
    this.arm.setNextLinkOrigin(origin)
  }

  /**
   * Scripts the health endpoint `name`, served at `${url}/health/<name>` and any path under it:
   * each request takes the next answer, the last one repeating (`[503, 503, 200]`: two 503s,
   * then 200 for ever). An answer is a status or an object: `{ status: 302, location: '…' }`,
   * `{ status: 200, delayMs: 5000 }`, `{ status: 200, drop: true }` (see HealthAnswer).
   * `onRequest(count)` runs as each request arrives, before it is answered (1 for the first).
   * Replaces an earlier script of that name and restarts its count; reset() clears them all.
   */
  setHealth(
    name: string,
    script: readonly HealthAnswer[] | HealthScript,
    options: Pick<HealthScript, 'onRequest'> = {}
  ): void {
    const whole: HealthScript = isHealthScript(script)
      ? { ...options, ...script }
      : { answers: script, ...options }
    this.health.set(name, whole)
  }

  /** Removes the health endpoint `name` (it answers 404 again). */
  clearHealth(name: string): void {
    this.health.delete(name)
  }

  /** The URL of the health endpoint `name` (it need not be scripted yet). */
  healthUrl(name: string, path = ''): string {
    return `${this.url}${HEALTH_BASE_PATH}/${encodeURIComponent(name)}${path}`
  }

  /** The requests to /health/<name> and paths under it, in order (method, path, headers, …). */
  healthRequests(name: string): RecordedRequest[] {
    return this.requests.filter((r) => healthName(r.path) === name)
  }

  injectFault(fault: Fault): void {
    checkFault(fault)
    this.faults.push({ ...fault, remaining: fault.times ?? 1 })
  }

  /**
   * An access token signed like the ones the token endpoint issues, with `claims` overriding
   * the defaults (extra: for expired / wrong-audience / unknown-issuer tests).
   */
  mintAccessToken(claims: Record<string, unknown> = {}): string {
    const client = this.ctx.clients[0]
    const now = Math.floor(Date.now() / 1000)
    return signJwt(
      {
        aud: 'https://management.azure.com',
        iss: entraIssuer(this.tenantId),
        iat: now,
        nbf: now,
        exp: now + this.ctx.tokenLifetimeSeconds,
        appid: client?.clientId,
        azp: client?.clientId,
        oid: client?.objectId,
        sub: client?.objectId,
        tid: this.tenantId,
        ver: '1.0',
        ...claims
      },
      this.ctx.entraKey
    )
  }

  /**
   * Clears requests, faults, backends (of services and workspaces), issued tokens, pending
   * changes, the nextLink origin, the throttle's buckets and its count, and the health scripts
   * (and their counts); services, workspaces (also those addWorkspace() added), latency, the
   * throttle setting and a workspace-only grant stay.
   */
  reset(): void {
    this.requests.length = 0
    this.faults.length = 0
    this.health.clear()
    this.issuedTokens.length = 0
    this.store.clear()
    this.arm.reset()
    this.github.reset()
  }

  async stop(): Promise<void> {
    for (const wait of this.waits) wait.abort()
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', this.url)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined)
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    }
    const request: EmuRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: raw.toString('utf8')
    }
    const record: RecordedRequest = {
      ...request,
      status: 0,
      at,
      requestBytes: raw.length,
      responseBytes: 0
    }
    this.requests.push(record)

    const fault = this.takeFault(request)
    const kind = fault?.kind ?? 'status'
    if (fault && kind === 'drop') {
      // Not applied, never answered.
      await this.wait(this.latencyMs, req)
      record.dropped = true
      req.socket.destroy()
      return
    }
    // A health endpoint's answer comes from its script (see setHealth()).
    const health: HealthOutcome | undefined =
      !(fault && kind === 'status') && isHealthPath(request.path)
        ? await this.health.answer(request)
        : undefined
    if (health?.drop) {
      await this.wait(this.latencyMs + health.delayMs, req)
      record.dropped = true
      req.socket.destroy()
      return
    }
    const answer =
      health?.response ??
      (fault && kind === 'status'
        ? statusFaultAnswer(fault, request)
        : this.route(requestUnderFault(fault, request)))
    // Someone else's write lands right after this request was processed.
    if (fault && kind === 'concurrent-write') this.arm.writeConcurrently(request, fault.properties)
    const delay =
      this.latencyMs +
      (fault && kind === 'slow' ? (fault.delayMs ?? 0) : 0) +
      (health?.delayMs ?? 0)
    await this.wait(delay, req)
    if (res.destroyed || req.socket.destroyed) {
      record.status = answer.status
      record.clientClosed = true
      return
    }
    if (fault && kind === 'drop-after-apply') {
      record.dropped = true
      record.appliedStatus = answer.status
      record.responseBytes = writeCut(res, request, answer)
      return
    }
    record.status = answer.status
    record.responseBytes = write(res, request, answer)
  }

  /** Waits `ms`, or less when the client closes the connection or the emulator stops. */
  private async wait(ms: number, req: IncomingMessage): Promise<void> {
    const socket = req.socket
    if (ms <= 0 || socket.destroyed) return
    const controller = new AbortController()
    this.waits.add(controller)
    const onClose = () => controller.abort()
    socket.once('close', onClose)
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms)
        controller.signal.addEventListener('abort', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    } finally {
      socket.off('close', onClose)
      this.waits.delete(controller)
    }
  }

  private route(req: EmuRequest): EmuResponse {
    const path = req.path.toLowerCase()
    let answer: EmuResponse | undefined
    if (path.startsWith('/subscriptions/')) {
      answer = this.arm.handle(req)
      answer.headers = { ...armCorrelationHeaders(req), ...answer.headers }
    } else if (isManagedIdentityPath(path)) {
      answer = handleManagedIdentity(req, this.ctx)
    } else if (isGithubApiPath(req.path)) {
      answer = this.github.handle(req, this.githubApiUrl())
    } else if (isGithubOidcPath(path)) {
      answer = handleGithubOidc(req, this.ctx)
    } else {
      answer = handleEntra(req, this.ctx)
    }
    return answer ?? requestErrors.noRoute(req.method, req.path)
  }

  private takeFault(req: EmuRequest): Fault | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === req.method) &&
        (f.path === undefined || testRegExp(f.path, req.path))
    )
    if (index < 0) return undefined
    const fault = this.faults[index]
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults.splice(index, 1)
    return fault
  }
}

/** Headers and body bytes of an answer as written; no body for HEAD and 204. */
function prepare(
  req: EmuRequest,
  answer: EmuResponse
): { headers: Record<string, string>; payload: Buffer | undefined } {
  const headers = { ...answer.headers }
  let payload: Buffer | undefined
  if (answer.body !== undefined && req.method !== 'HEAD' && answer.status !== 204) {
    payload = Buffer.from(typeof answer.body === 'string' ? answer.body : armJson(answer.body))
  } else {
    delete headers['content-type']
  }
  headers['content-length'] = String(payload?.length ?? 0)
  return { headers, payload }
}

/** Writes the whole answer; returns the body bytes written. */
function write(res: ServerResponse, req: EmuRequest, answer: EmuResponse): number {
  const { headers, payload } = prepare(req, answer)
  res.writeHead(answer.status, headers)
  res.end(payload)
  return payload?.length ?? 0
}

/**
 * Writes the status line, the headers (announcing the whole body) and the first half of the
 * body, then destroys the connection. An answer without a body is cut before its headers,
 * since headers announcing an empty body would already be a complete answer.
 */
function writeCut(res: ServerResponse, req: EmuRequest, answer: EmuResponse): number {
  const { headers, payload } = prepare(req, answer)
  const socket = res.req.socket
  if (!payload || payload.length === 0) {
    socket.destroy()
    return 0
  }
  const part = payload.subarray(0, Math.floor(payload.length / 2))
  res.writeHead(answer.status, headers)
  res.write(part, () => socket.destroy())
  return part.length
}

function checkOptions(opts: EmulatorOptions): void {
  if (opts.latencyMs !== undefined && !(Number.isFinite(opts.latencyMs) && opts.latencyMs >= 0)) {
    throw new Error(`latencyMs must be >= 0, not ${opts.latencyMs}`)
  }
}

function resolveIdentities(
  opts: EmulatorOptions,
  service: EmulatorService | undefined
): ResolvedIdentity[] {
  const mi = opts.managedIdentity
  if (!mi) return []
  const resolve = (m: ManagedIdentity, kind: 'system' | 'user'): ResolvedIdentity => ({
    kind,
    clientId: m.clientId,
    objectId: m.objectId ?? stableUuid(`object:${m.clientId}`),
    resourceId:
      m.resourceId ??
      (kind === 'user' && service
        ? `/subscriptions/${service.subscriptionId}/resourceGroups/${service.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${m.clientId}`
        : undefined),
    canWrite: m.canWrite ?? true
  })
  return [
    ...(mi.systemAssigned ? [resolve(mi.systemAssigned, 'system')] : []),
    ...(mi.userAssigned ?? []).map((m) => resolve(m, 'user'))
  ]
}

function isHealthScript(script: readonly HealthAnswer[] | HealthScript): script is HealthScript {
  return !Array.isArray(script)
}

/** RegExp.test without the lastIndex surprises of a /g or /y pattern. */
function testRegExp(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0
  return pattern.test(text)
}

/** A UUID derived from a name, so a client's default object id is the same on every run. */
function stableUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}
