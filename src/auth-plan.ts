// Which way to sign in, decided from the inputs and the runner's environment alone (before any
// request). auth-type auto lists every way that is available, in order; sign-in tries them in
// that order and a failure says what it tried.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { AUTH_TYPES, AZURE_LOGIN_AUTH_TYPES, DEFAULT_AUTH_TYPE, type AuthType } from './catalog.js'
import type { Cloud } from './clouds.js'
import { InputError, msg } from './messages.js'
import type { RawInputs } from './inputs.js'
import * as check from './validators.js'

export interface ClientSecretPlan {
  kind: 'client-secret'
  clientId: string
  tenantId: string
  clientSecret: string
}
export interface OidcPlan {
  kind: 'oidc'
  clientId: string
  tenantId: string
  audience: string
}
export interface ManagedIdentityPlan {
  kind: 'managed-identity'
  /** A user-assigned identity's client id; undefined for the system-assigned one. */
  clientId?: string
}
export interface AzureCliPlan {
  kind: 'azure-cli'
  tenantId?: string
}
export type Candidate = ClientSecretPlan | OidcPlan | ManagedIdentityPlan | AzureCliPlan

export interface AuthPlan {
  /** Tried in order until one signs in. */
  candidates: Candidate[]
  /** Why these, for the log. */
  reason: string
  /** auto: the ways that were not available, and why. */
  skipped: string[]
  /** auth-type auto: an Azure CLI without a session counts as absent, not as a failure. */
  auto?: boolean
  /** auto, client-id and tenant-id without a secret, and no ID token: what is missing is the token. */
  noIdToken?: boolean
}

export interface CredsJson {
  clientId?: string
  clientSecret?: string
  tenantId?: string
  subscriptionId?: string
}

/** Who signs in, for messages about role assignments. */
export function principalOf(c: Candidate): string {
  if (c.kind === 'managed-identity')
    return c.clientId
      ? `the managed identity ${c.clientId}`
      : 'the system-assigned managed identity'
  if (c.kind === 'azure-cli') return 'the account of the Azure CLI session'
  return `the principal ${c.clientId}`
}

/** An input wins over the same value in `creds`; when both are given they must agree. */
function pick(
  raw: RawInputs,
  input: 'client-id' | 'tenant-id' | 'client-secret',
  fromCreds: string | undefined
): string | undefined {
  const given = raw[input]
  if (given !== undefined && fromCreds !== undefined && given !== fromCreds) {
    const credsKey = {
      'client-id': 'clientId',
      'tenant-id': 'tenantId',
      'client-secret': 'clientSecret'
    }[input]
    // The secret is never shown, the ids are.
    const values = input === 'client-secret' ? '' : ` ('${given}' and '${fromCreds}')`
    throw new InputError(
      input,
      `differs from creds.${credsKey}${values}. Give one, or make them agree.`
    )
  }
  return given ?? fromCreds
}

/**
 * What the runner offers: an ID token (id-token: write), a managed identity, an az on PATH. An az
 * on PATH is only worth a try: hosted runners have it installed and logged out
 * (docs/runner.md), so sign-in finds out whether it has a session.
 */
export function ambient(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform) {
  return {
    idToken: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN),
    // App Service / Container Apps, Azure Arc (msal-node AzureArc.ts), older App Service.
    managedIdentity: Boolean(
      (env.IDENTITY_ENDPOINT && (env.IDENTITY_HEADER || env.IMDS_ENDPOINT)) || env.MSI_ENDPOINT
    ),
    azureCli: onPath('az', env, platform)
  }
}

/**
 * Whether a command is on PATH as the platform's shell finds it. On Windows the Azure CLI is
 * `az.cmd` (any extension in PATHEXT), PATH is `;`-separated, its entries may be quoted, and the
 * variable's name has any case (`Path`): process.env ignores case there, a copy of it does not.
 */
export function onPath(
  command: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  exists: (file: string) => boolean = existsSync
): boolean {
  const windows = platform === 'win32'
  const p = windows ? path.win32 : path.posix
  const read = (name: string) =>
    windows ? Object.entries(env).find(([key]) => key.toUpperCase() === name)?.[1] : env[name]
  const extensions = windows
    ? (read('PATHEXT') || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
    : ['']
  return (read('PATH') ?? '')
    .split(p.delimiter)
    .map((dir) => (windows ? dir.replace(/^"(.*)"$/, '$1') : dir))
    .some(
      (dir) =>
        dir !== '' && extensions.some((ext) => exists(p.join(dir, command + ext.toLowerCase())))
    )
}

export function planAuth(
  raw: RawInputs,
  creds: CredsJson,
  env: NodeJS.ProcessEnv,
  cloud: Cloud
): AuthPlan {
  const named = raw['auth-type']
    ? check.oneOfExact('auth-type', raw['auth-type'], [...AUTH_TYPES, ...AZURE_LOGIN_AUTH_TYPES])
    : DEFAULT_AUTH_TYPE
  const clientIdRaw = pick(raw, 'client-id', creds.clientId)
  const tenantRaw = pick(raw, 'tenant-id', creds.tenantId)
  const secret = pick(raw, 'client-secret', creds.clientSecret)
  const type: AuthType =
    named === 'IDENTITY'
      ? 'managed-identity'
      : named === 'SERVICE_PRINCIPAL'
        ? secret === undefined
          ? 'oidc'
          : 'client-secret'
        : named
  // How messages name it: azure/login's value says what it stood for.
  const label = named === type ? type : `${named} (${type})`
  const clientId =
    clientIdRaw === undefined
      ? undefined
      : check.uuid(raw['client-id'] ? 'client-id' : 'creds', clientIdRaw)
  const tenantId =
    tenantRaw === undefined
      ? undefined
      : check.tenant(raw['tenant-id'] ? 'tenant-id' : 'creds', tenantRaw)
  const audience =
    raw.audience === undefined ? cloud.oidcAudience : check.text('audience', raw.audience, 1000)
  const has = ambient(env)

  const need = (value: string | undefined, input: string, why: string): string => {
    if (value === undefined) throw new InputError(input, msg.required(` for ${why}`))
    return value
  }
  const notFor = (
    input: 'client-secret' | 'tenant-id' | 'client-id' | 'audience',
    kind: string,
    given: unknown
  ) => {
    if (given !== undefined)
      throw new InputError(input, `does not apply to auth-type ${kind}; remove it.`)
  }
  const oidc = (): OidcPlan => ({
    kind: 'oidc',
    clientId: need(clientId, 'client-id', 'OIDC sign-in'),
    tenantId: need(tenantId, 'tenant-id', 'OIDC sign-in'),
    audience
  })

  switch (type) {
    case 'client-secret':
      notFor('audience', label, raw.audience)
      return {
        reason: `auth-type ${label}`,
        skipped: [],
        candidates: [
          {
            kind: 'client-secret',
            clientId: need(clientId, 'client-id', 'a client-secret sign-in (or creds.clientId)'),
            tenantId: need(tenantId, 'tenant-id', 'a client-secret sign-in (or creds.tenantId)'),
            clientSecret: need(
              secret,
              'client-secret',
              'auth-type client-secret (or creds.clientSecret)'
            )
          }
        ]
      }
    case 'oidc':
      if (secret !== undefined) {
        throw new InputError(
          'client-secret',
          'does not apply to auth-type oidc; remove it (and creds.clientSecret) or use auth-type client-secret.'
        )
      }
      if (!has.idToken) throw new InputError('auth-type', msg.oidcUnavailable)
      return { reason: `auth-type ${label}`, skipped: [], candidates: [oidc()] }
    case 'managed-identity':
      notFor('client-secret', label, secret)
      notFor('tenant-id', label, tenantId)
      notFor('audience', label, raw.audience)
      return {
        reason: `auth-type ${label}`,
        skipped: [],
        candidates: [{ kind: 'managed-identity', clientId }]
      }
    case 'azure-cli':
      notFor('client-secret', label, secret)
      notFor('client-id', label, clientId)
      notFor('audience', label, raw.audience)
      return {
        reason: `auth-type ${label}`,
        skipped: [],
        candidates: [{ kind: 'azure-cli', tenantId }]
      }
  }

  // auto: an explicit secret wins; otherwise every ambient way the runner offers, in order.
  if (secret !== undefined) {
    notFor('audience', 'client-secret (chosen by auto because a secret was given)', raw.audience)
    return {
      reason: 'auth-type auto: a client secret was given',
      skipped: [],
      candidates: [
        {
          kind: 'client-secret',
          clientId: need(clientId, 'client-id', 'a client-secret sign-in (or creds.clientId)'),
          tenantId: need(tenantId, 'tenant-id', 'a client-secret sign-in (or creds.tenantId)'),
          clientSecret: secret
        }
      ]
    }
  }
  const candidates: Candidate[] = []
  const skipped: string[] = []
  if (clientId !== undefined && tenantId !== undefined && has.idToken) candidates.push(oidc())
  else
    skipped.push(
      `OIDC: ${clientId === undefined || tenantId === undefined ? 'needs client-id and tenant-id' : "no GitHub ID token (grant the job 'permissions: id-token: write')"}`
    )
  // client-id names a user-assigned identity only when it is not the OIDC app's id.
  if (has.managedIdentity)
    candidates.push({
      kind: 'managed-identity',
      clientId: candidates.length ? undefined : clientId
    })
  else
    skipped.push(
      'managed identity: no IDENTITY_ENDPOINT/IDENTITY_HEADER, IDENTITY_ENDPOINT/IMDS_ENDPOINT (Azure Arc) or MSI_ENDPOINT (on an Azure VM, set auth-type: managed-identity)'
    )
  if (has.azureCli) candidates.push({ kind: 'azure-cli', tenantId })
  else skipped.push("Azure CLI: 'az' is not on PATH")
  const noIdToken = clientId !== undefined && tenantId !== undefined && !has.idToken
  if (candidates.length === 0) throw noWayToSignIn({ noIdToken }, skipped)
  if (raw.audience !== undefined && candidates[0].kind !== 'oidc') {
    throw new InputError(
      'audience',
      'applies only to OIDC sign-in, and auto did not choose OIDC; remove it.'
    )
  }
  return {
    reason: `auth-type auto: ${describeChoice(candidates[0], has.idToken)}`,
    skipped,
    candidates,
    auto: true,
    noIdToken
  }
}

/**
 * auto found nothing that could sign in (before any request, or once an az on PATH turned out to
 * have no session): the same text either way, leading with the fix for what was given.
 */
export function noWayToSignIn(plan: { noIdToken?: boolean }, skipped: string[]): InputError {
  return new InputError(
    'auth-type',
    `${plan.noIdToken ? msg.noIdToken : msg.noCredentials} auto looked for: client secret: none given; ${skipped.join('; ')}.`
  )
}

function describeChoice(first: Candidate, idToken: boolean): string {
  switch (first.kind) {
    case 'oidc':
      return `client-id and tenant-id were given without a secret${idToken ? ', and the runner offers a GitHub ID token' : ''}`
    case 'managed-identity':
      return 'no secret or ID token, and the runner has a managed identity endpoint'
    case 'azure-cli':
      return "no secret, ID token or managed identity, and 'az' is on PATH (the session of an earlier azure/login step, if there is one)"
    default:
      return first.kind
  }
}
