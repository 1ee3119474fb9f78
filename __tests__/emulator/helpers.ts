// Shared by the emulator tests: plain-fetch access to the token endpoint and to ARM.
// fetch trusts the emulator because the test command sets NODE_EXTRA_CA_CERTS.
import type { ApimEmulator } from '../../emulator/server.js'

export const SUB = '00000000-0000-0000-0000-000000000000'
export const RG = 'rg1'
export const SERVICE = 'apimService1'
export const CLIENT_ID = '11111111-1111-1111-1111-111111111111'
export const CLIENT_SECRET = 'emulator-client-secret'
export const API_VERSION = '2024-05-01'

export const servicePath = (sub = SUB, rg = RG, service = SERVICE) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${service}`

export const backendPath = (id: string) => `${servicePath()}/backends/${encodeURIComponent(id)}`

export interface Answer {
  status: number
  headers: Headers
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init)
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

export function tokenRequest(
  emu: ApimEmulator,
  form: Record<string, string>,
  tenant = emu.tenantId
): Promise<Answer> {
  return send(`${emu.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form)
  })
}

export async function getToken(
  emu: ApimEmulator,
  scope = 'https://management.azure.com/.default',
  clientId = CLIENT_ID,
  clientSecret = CLIENT_SECRET
): Promise<string> {
  const answer = await tokenRequest(emu, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    scope
  })
  if (answer.status !== 200)
    throw new Error(`token request failed: ${answer.status} ${answer.text}`)
  return answer.json.access_token
}

export interface ArmInit {
  token?: string
  body?: unknown
  headers?: Record<string, string>
  apiVersion?: string | null
}

/** Calls ARM at `path` (plus api-version unless apiVersion is null). */
export function arm(
  emu: ApimEmulator,
  method: string,
  path: string,
  init: ArmInit = {}
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const version = init.apiVersion === undefined ? API_VERSION : init.apiVersion
  const sep = path.includes('?') ? '&' : '?'
  const url = `${emu.url}${path}${version === null ? '' : `${sep}api-version=${version}`}`
  const body =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body)
  return send(url, { method, headers, body })
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'))
}
