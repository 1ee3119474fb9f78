// ApimEmulator: one HTTPS listener on 127.0.0.1 serving Entra's token endpoint, GitHub's
// OIDC endpoint and ARM's APIM backend API, recording every request and answering injected
// faults first. Tests start it in-process; the CLI starts it for demos.
import { randomBytes, createHash } from 'node:crypto'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Server, createServer } from 'node:https'
import { AddressInfo } from 'node:net'
import { ArmApi, armCorrelationHeaders } from './arm.js'
import { armError, defaultFaultError, requestErrors } from './arm-errors.js'
import { ensureCertificate } from './cert.js'
import { handleEntra } from './entra.js'
import { handleGithubOidc, isGithubOidcPath, OIDC_BASE_PATH } from './github-oidc.js'
import { EmuRequest, EmuResponse, JSON_CONTENT_TYPE } from './http.js'
import { SigningKey, createSigningKey, signJwt } from './jwt.js'
import { BackendStore } from './store.js'
import {
  EmulatorClient,
  EmulatorContext,
  EmulatorOptions,
  EmulatorService,
  Fault,
  IssuedToken,
  RecordedRequest,
  entraIssuer
} from './types.js'

export type {
  EmulatorClient,
  EmulatorOptions,
  EmulatorService,
  Fault,
  IssuedToken,
  RecordedRequest
} from './types.js'

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
      issuedTokens: this.issuedTokens
    }
    this.store = new BackendStore(opts.services ?? [DEFAULT_SERVICE])
    this.arm = new ArmApi(this.ctx, this.store)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_CONTENT_TYPE })
        res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }))
      })
    })
  }

  static async start(opts: EmulatorOptions = {}): Promise<ApimEmulator> {
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

  /** the APIM services this emulator serves (extra) */
  getServices(): EmulatorService[] {
    return this.store
      .allServices()
      .map(({ subscriptionId, resourceGroup, serviceName, location }) => ({
        subscriptionId,
        resourceGroup,
        serviceName,
        location
      }))
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

  /** Seeds a backend directly (no validation); returns its ETag, quoted as the header sends it. */
  putBackend(
    sub: string,
    rg: string,
    service: string,
    backendId: string,
    properties: object
  ): string {
    const svc = this.store.service(sub, rg, service)
    if (!svc) {
      throw new Error(
        `The emulator has no APIM service ${sub}/${rg}/${service}; add it to options.services.`
      )
    }
    return this.store.put(svc, backendId, properties as Record<string, unknown>).backend.etag
  }

  changeBackendAfterNextGet(backendId: string): void {
    this.arm.changeBackendAfterNextGet(backendId)
  }

  injectFault(fault: Fault): void {
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

  /** Clears requests, faults, backends, issued tokens and pending changes; services stay. */
  reset(): void {
    this.requests.length = 0
    this.faults.length = 0
    this.issuedTokens.length = 0
    this.store.clear()
    this.arm.reset()
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
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
      body: Buffer.concat(chunks).toString('utf8')
    }
    const record: RecordedRequest = { ...request, status: 0, at }
    this.requests.push(record)

    const answer = this.takeFault(request) ?? this.route(request)
    record.status = answer.status
    write(res, request, answer)
  }

  private route(req: EmuRequest): EmuResponse {
    const path = req.path.toLowerCase()
    let answer: EmuResponse | undefined
    if (path.startsWith('/subscriptions/')) {
      answer = this.arm.handle(req)
      answer.headers = { ...armCorrelationHeaders(req), ...answer.headers }
    } else if (isGithubOidcPath(path)) {
      answer = handleGithubOidc(req, this.ctx)
    } else {
      answer = handleEntra(req, this.ctx)
    }
    return answer ?? requestErrors.noRoute(req.method, req.path)
  }

  private takeFault(req: EmuRequest): EmuResponse | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === req.method) &&
        (f.path === undefined || testRegExp(f.path, req.path))
    )
    if (index < 0) return undefined
    const fault = this.faults[index]
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults.splice(index, 1)

    const headers = { ...armCorrelationHeaders(req), ...fault.headers }
    if (fault.body !== undefined) {
      const contentType =
        typeof fault.body === 'string' ? 'text/plain; charset=utf-8' : JSON_CONTENT_TYPE
      return {
        status: fault.status,
        body: fault.body,
        headers: { 'content-type': contentType, ...headers }
      }
    }
    if (fault.status < 400 && fault.code === undefined && fault.message === undefined) {
      return { status: fault.status, headers }
    }
    const fallback = defaultFaultError(fault.status)
    return armError(
      fault.status,
      fault.code ?? fallback.code,
      fault.message ?? fallback.message,
      undefined,
      headers
    )
  }
}

function write(res: ServerResponse, req: EmuRequest, answer: EmuResponse): void {
  const headers = { ...answer.headers }
  let payload: Buffer | undefined
  if (answer.body !== undefined && req.method !== 'HEAD' && answer.status !== 204) {
    payload = Buffer.from(
      typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
    )
  } else {
    delete headers['content-type']
  }
  headers['content-length'] = String(payload?.length ?? 0)
  res.writeHead(answer.status, headers)
  res.end(payload)
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
