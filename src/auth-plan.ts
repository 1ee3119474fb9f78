// Which way to sign in, decided from the inputs alone (before any request). Later sign-in
// kinds (managed identity, an azure/login session) add a case here and in credential.ts.
import { AUTH_TYPES, DEFAULT_OIDC_AUDIENCE, type AuthType } from './catalog.js'
import { InputError, msg } from './messages.js'
import type { RawInputs } from './inputs.js'
import * as check from './validators.js'

export interface ClientSecretPlan {
  kind: 'client-secret'
  clientId: string
  tenantId: string
  clientSecret: string
  reason: string
}
export interface OidcPlan {
  kind: 'oidc'
  clientId: string
  tenantId: string
  audience: string
  reason: string
}
export type AuthPlan = ClientSecretPlan | OidcPlan

export interface CredsJson {
  clientId?: string
  clientSecret?: string
  tenantId?: string
  subscriptionId?: string
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

export function planAuth(raw: RawInputs, creds: CredsJson, env: NodeJS.ProcessEnv): AuthPlan {
  const type: AuthType = raw['auth-type']
    ? check.oneOf('auth-type', raw['auth-type'], AUTH_TYPES)
    : 'auto'
  const clientIdRaw = pick(raw, 'client-id', creds.clientId)
  const tenantRaw = pick(raw, 'tenant-id', creds.tenantId)
  const secret = pick(raw, 'client-secret', creds.clientSecret)
  const clientId =
    clientIdRaw === undefined
      ? undefined
      : check.uuid(raw['client-id'] ? 'client-id' : 'creds', clientIdRaw)
  const tenantId =
    tenantRaw === undefined
      ? undefined
      : check.tenant(raw['tenant-id'] ? 'tenant-id' : 'creds', tenantRaw)

  let kind: AuthPlan['kind']
  let reason: string
  if (type === 'auto') {
    if (secret !== undefined) {
      kind = 'client-secret'
      reason = 'auth-type auto: a client secret was given'
    } else if (clientId !== undefined && tenantId !== undefined) {
      kind = 'oidc'
      reason = 'auth-type auto: client-id and tenant-id were given without a secret'
    } else {
      throw new InputError('auth-type', msg.noCredentials)
    }
  } else {
    kind = type
    reason = `auth-type ${type}`
  }

  const need = (value: string | undefined, input: string, why: string): string => {
    if (value === undefined) throw new InputError(input, msg.required(` for ${why}`))
    return value
  }
  if (kind === 'client-secret') {
    if (raw.audience !== undefined)
      throw new InputError(
        'audience',
        'applies only to OIDC sign-in (auth-type oidc); remove it for a client-secret sign-in.'
      )
    return {
      kind,
      reason,
      clientId: need(clientId, 'client-id', 'a client-secret sign-in (or creds.clientId)'),
      tenantId: need(tenantId, 'tenant-id', 'a client-secret sign-in (or creds.tenantId)'),
      clientSecret: need(secret, 'client-secret', 'auth-type client-secret (or creds.clientSecret)')
    }
  }
  if (secret !== undefined) {
    throw new InputError(
      'client-secret',
      'does not apply to auth-type oidc; remove it (and creds.clientSecret) or use auth-type client-secret.'
    )
  }
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new InputError('auth-type', msg.oidcUnavailable)
  }
  const audience =
    raw.audience === undefined ? DEFAULT_OIDC_AUDIENCE : check.text('audience', raw.audience, 1000)
  return {
    kind,
    reason,
    clientId: need(clientId, 'client-id', 'OIDC sign-in'),
    tenantId: need(tenantId, 'tenant-id', 'OIDC sign-in'),
    audience
  }
}
