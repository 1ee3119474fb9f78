// Public option and record types, and the context the route modules share.
import type { SigningKey } from './jwt.js'
import type { EmulatorService, EmulatorWorkspace } from './store.js'
import type { EmuRequest } from './http.js'
import type { HealthAnswer } from './health.js'

export type { EmulatorService, EmulatorWorkspace } from './store.js'

export interface EmulatorClient {
  clientId: string
  clientSecret?: string
  federatedSubjects?: string[]
  objectId?: string
  /** default true */
  canWrite?: boolean
}

export interface EmulatorOptions {
  /** default '.emulator' */
  certDir?: string
  /** default 0 (random) */
  port?: number
  /** default '72f988bf-86f1-41af-91ab-2d7cd011db47' */
  tenantId?: string
  clients?: EmulatorClient[]
  services?: EmulatorService[]
  /** sub of the ID tokens the GitHub OIDC endpoint issues */
  oidcSubject?: string
  /** default 3600 */
  tokenLifetimeSeconds?: number
  /**
   * The Azure cloud whose Resource Manager this emulator plays (default AzureCloud): it decides
   * which access-token audiences ARM accepts and which assertion audience the token exchange
   * expects (api://AzureADTokenExchange, …USGov, …China).
   */
  cloud?: EmulatedCloud
  /** every answer (ARM, token, OIDC, managed identity) waits this long before being written */
  latencyMs?: number
  /** ARM's token-bucket throttling; `{}` enables ARM's defaults. Off when absent. */
  throttle?: ThrottleOptions
  /** identities served at /msi/token, App Service style (see managedIdentityEnv()) */
  managedIdentity?: ManagedIdentityOptions
  /** health endpoints by name, each a script as setHealth() takes it (see emulator/health.ts) */
  health?: Record<string, readonly HealthAnswer[]>
  /**
   * The workspaces of every service that lists none of its own (EmulatorService.workspaces);
   * default one, 'team-a' (DEFAULT_WORKSPACE). [] for none.
   */
  workspaces?: (string | EmulatorWorkspace)[]
  /**
   * The signed-in principal's role is granted on this workspace only: a workspace id of the
   * first service, or one of any service. Every other ARM request answers 403
   * AuthorizationFailed (see grantOnlyWorkspace()). Default: the whole subscription.
   */
  workspaceOnly?: string | WorkspaceScope
}

/** One workspace of one APIM service. */
export interface WorkspaceScope {
  subscriptionId: string
  resourceGroup: string
  serviceName: string
  workspace: string
}

/** One token bucket: `burst` requests at once, refilled at `refillPerSecond`. */
export interface BucketOptions {
  burst: number
  refillPerSecond: number
}

/**
 * Per subscription. Defaults: writes 200 burst / 10 per s, deletes 200 / 10 per s, reads 250 /
 * 25 per s. PUT, PATCH and POST take from writes, DELETE from deletes.
 */
export interface ThrottleOptions {
  writes?: BucketOptions
  reads?: BucketOptions
  deletes?: BucketOptions
}

export interface ManagedIdentity {
  clientId: string
  /** default: a UUID derived from the client id */
  objectId?: string
  /**
   * extra: the ARM id App Service matches `mi_res_id` against (user-assigned only); default
   * /subscriptions/<first service's subscription>/resourceGroups/<its group>/providers/
   * Microsoft.ManagedIdentity/userAssignedIdentities/<client id>
   */
  resourceId?: string
  /** extra: default true */
  canWrite?: boolean
}

export interface ManagedIdentityOptions {
  systemAssigned?: ManagedIdentity
  userAssigned?: ManagedIdentity[]
}

/** A request as the emulator saw it, with the status it answered. */
export interface RecordedRequest extends EmuRequest {
  /** 0 until answered; stays 0 when the connection was dropped */
  status: number
  at: number
  /** bytes of the request body as received (headers not counted) */
  requestBytes: number
  /**
   * bytes of the response body written to the socket (headers not counted): the whole body,
   * the part written before a 'drop-after-apply', 0 for a drop or when the client had gone
   */
  responseBytes: number
  /** true when a 'drop' or 'drop-after-apply' fault cut the connection */
  dropped?: boolean
  /** extra: for 'drop-after-apply', the status the applied request would have answered */
  appliedStatus?: number
  /** extra: the client closed the connection before the answer was written */
  clientClosed?: boolean
}

/**
 * - 'status': answer `status` instead of processing the request (the request is not applied).
 * - 'drop': destroy the connection without answering and without applying the request.
 * - 'drop-after-apply': apply the request, write the status line, the headers and part of the
 *   body, then destroy the connection (an answer with no body is cut before its headers).
 * - 'slow': apply the request and answer normally, `delayMs` later (on top of any latency).
 * - 'ignore-if-none-match': process the request as if it carried no If-None-Match header (a
 *   service that does not honour it); the recorded request keeps the header as sent.
 * - 'concurrent-write': the request is processed as usual; right after (before its answer is
 *   written), someone else PUTs `properties` to the backend the request addresses, creating or
 *   replacing it. Set on a GET, it is a write landing between a caller's read and its write.
 *   A request that addresses no single backend is served as usual.
 * - 'patch-no-content' (needs method 'PATCH'): the PATCH is applied and answered 204 with no
 *   body and no ETag, as recorded at api-version 2019-12-01-preview (azure-sdk-for-net
 *   BackendTests/CreateListUpdateDelete.json at commit 1346f213); 2024-05-01 documents 200.
 * - 'patch-replaces-nested' (needs method 'PATCH'): each top-level property in the PATCH body
 *   replaces the stored one whole (a `credentials` with one header drops the others), instead
 *   of the default deep merge. The service's merge depth is undocumented: clients must be right
 *   under both.
 */
export type FaultKind =
  | 'status'
  | 'drop'
  | 'drop-after-apply'
  | 'slow'
  | 'ignore-if-none-match'
  | 'concurrent-write'
  | 'patch-no-content'
  | 'patch-replaces-nested'

export interface Fault {
  method?: string
  path?: RegExp
  /** required for kind 'status'; ignored by the other kinds */
  status?: number
  code?: string
  message?: string
  headers?: Record<string, string>
  /** default 1 */
  times?: number
  /** raw body; overrides the service's error envelope */
  body?: unknown
  /** default 'status' */
  kind?: FaultKind
  /** for kind 'slow': how long to hold the answer back */
  delayMs?: number
  /**
   * for kind 'concurrent-write': the backend properties the other writer stores; default a
   * Single backend at https://someone-else.example.com (or, when the backend exists, its
   * properties with a new description)
   */
  properties?: Record<string, unknown>
}

/** An access token the Entra endpoint handed out (extra, for assertions in tests). */
export interface IssuedToken {
  clientId: string
  scope: string
  audience: string
  grant: 'client_secret' | 'client_assertion' | 'managed_identity'
  at: number
}

export interface ResolvedClient extends EmulatorClient {
  objectId: string
  canWrite: boolean
}

export interface ResolvedIdentity {
  kind: 'system' | 'user'
  clientId: string
  objectId: string
  resourceId?: string
  canWrite: boolean
}

export interface EmulatorContext {
  url: string
  tenantId: string
  clients: ResolvedClient[]
  entraKey: SigningKey
  oidcKey: SigningKey
  tokenLifetimeSeconds: number
  oidcSubject: string
  oidcRequestToken: string
  issuedTokens: IssuedToken[]
  managedIdentities: ResolvedIdentity[]
  /** the IDENTITY_HEADER secret /msi/token requires */
  identityHeader: string
  /** access-token audiences ARM accepts */
  armAudiences: string[]
  /** the client-assertion audience the token exchange expects */
  exchangeAudience: string
}

export type EmulatedCloud = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud'

/** Per cloud: Resource Manager's token audiences and the federated token-exchange audience. */
export const CLOUD_AUDIENCES: Record<EmulatedCloud, { arm: string[]; exchange: string }> = {
  AzureCloud: {
    arm: [
      'https://management.core.windows.net/',
      'https://management.core.windows.net',
      'https://management.azure.com/',
      'https://management.azure.com'
    ],
    exchange: 'api://AzureADTokenExchange'
  },
  AzureUSGovernment: {
    arm: [
      'https://management.core.usgovcloudapi.net/',
      'https://management.usgovcloudapi.net/',
      'https://management.usgovcloudapi.net'
    ],
    exchange: 'api://AzureADTokenExchangeUSGov'
  },
  AzureChinaCloud: {
    arm: [
      'https://management.core.chinacloudapi.cn/',
      'https://management.chinacloudapi.cn/',
      'https://management.chinacloudapi.cn'
    ],
    exchange: 'api://AzureADTokenExchangeChina'
  }
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange'

export function entraIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`
}

export function findClient(ctx: EmulatorContext, clientId: string): ResolvedClient | undefined {
  return ctx.clients.find((c) => c.clientId.toLowerCase() === clientId.toLowerCase())
}

/** An app registration or a managed identity, by client (application) id. */
export function findPrincipal(
  ctx: EmulatorContext,
  clientId: string
): { canWrite: boolean } | undefined {
  const id = clientId.toLowerCase()
  return (
    findClient(ctx, clientId) ?? ctx.managedIdentities.find((m) => m.clientId.toLowerCase() === id)
  )
}
