// Public option and record types, and the context the route modules share.
import type { SigningKey } from './jwt.js'
import type { EmulatorService } from './store.js'
import type { EmuRequest } from './http.js'

export type { EmulatorService } from './store.js'

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
}

/** A request as the emulator saw it, with the status it answered. */
export interface RecordedRequest extends EmuRequest {
  /** 0 until answered */
  status: number
  at: number
}

export interface Fault {
  method?: string
  path?: RegExp
  status: number
  code?: string
  message?: string
  headers?: Record<string, string>
  /** default 1 */
  times?: number
  /** raw body; overrides the ARM envelope */
  body?: unknown
}

/** An access token the Entra endpoint handed out (extra, for assertions in tests). */
export interface IssuedToken {
  clientId: string
  scope: string
  audience: string
  grant: 'client_secret' | 'client_assertion'
  at: number
}

export interface ResolvedClient extends EmulatorClient {
  objectId: string
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
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange'

export function entraIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`
}

export function findClient(ctx: EmulatorContext, clientId: string): ResolvedClient | undefined {
  return ctx.clients.find((c) => c.clientId.toLowerCase() === clientId.toLowerCase())
}
