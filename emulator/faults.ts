// Injected faults: checking them when they are injected, and the answer a 'status' fault gives,
// in the error shape of the service its path belongs to (ARM, Entra, App Service managed
// identity, GitHub OIDC).
import { armCorrelationHeaders } from './arm.js'
import { armError, defaultFaultError } from './arm-errors.js'
import { entraError } from './entra.js'
import { isGithubOidcPath } from './github-oidc.js'
import { EmuRequest, EmuResponse, JSON_CONTENT_TYPE, jsonResponse } from './http.js'
import { isManagedIdentityPath, msiError } from './managed-identity.js'
import { Fault, FaultKind } from './types.js'

export const FAULT_KINDS: readonly FaultKind[] = [
  'status',
  'drop',
  'drop-after-apply',
  'slow',
  'ignore-if-none-match',
  'concurrent-write',
  'patch-no-content',
  'patch-replaces-nested'
]

const PATCH_KINDS: readonly FaultKind[] = ['patch-no-content', 'patch-replaces-nested']

/** Throws when a fault cannot be served; `where` names its origin in the message. */
export function checkFault(fault: Fault, where = 'fault'): void {
  const kind = fault.kind ?? 'status'
  if (!FAULT_KINDS.includes(kind)) {
    throw new Error(`${where}: kind must be one of ${FAULT_KINDS.join(', ')}, not '${kind}'`)
  }
  if (
    kind === 'status' &&
    (!Number.isInteger(fault.status) || fault.status! < 100 || fault.status! > 599)
  ) {
    throw new Error(`${where}: a 'status' fault needs an HTTP status (100..599)`)
  }
  if (kind === 'slow' && !(typeof fault.delayMs === 'number' && fault.delayMs >= 0)) {
    throw new Error(`${where}: a 'slow' fault needs delayMs (a number of milliseconds, >= 0)`)
  }
  if (
    kind === 'concurrent-write' &&
    fault.properties !== undefined &&
    (typeof fault.properties !== 'object' ||
      fault.properties === null ||
      Array.isArray(fault.properties))
  ) {
    throw new Error(`${where}: a 'concurrent-write' fault's properties must be an object`)
  }
  // A fault is spent on the first request it matches: tied to PATCH, a GET before it cannot
  // use it up.
  if (PATCH_KINDS.includes(kind) && fault.method?.toUpperCase() !== 'PATCH') {
    throw new Error(`${where}: a '${kind}' fault needs method: 'PATCH'`)
  }
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) {
    throw new Error(`${where}: times must be a whole number of at least 1`)
  }
  if (fault.path !== undefined && !(fault.path instanceof RegExp)) {
    throw new Error(`${where}: path must be a RegExp`)
  }
}

/** The request as the service sees it under a fault that changes how it is processed. */
export function requestUnderFault(fault: Fault | undefined, req: EmuRequest): EmuRequest {
  const kind = fault?.kind
  if (kind === 'ignore-if-none-match') {
    const { 'if-none-match': _ignored, ...headers } = req.headers
    return { ...req, headers }
  }
  if (kind === 'patch-no-content' || kind === 'patch-replaces-nested') {
    return { ...req, patchVariant: kind }
  }
  return req
}

/** The answer of a 'status' fault. */
export function statusFaultAnswer(fault: Fault, req: EmuRequest): EmuResponse {
  const status = fault.status!
  const headers = { ...armCorrelationHeaders(req), ...fault.headers }
  if (fault.body !== undefined) {
    const contentType =
      typeof fault.body === 'string' ? 'text/plain; charset=utf-8' : JSON_CONTENT_TYPE
    return { status, body: fault.body, headers: { 'content-type': contentType, ...headers } }
  }
  if (status < 400 && fault.code === undefined && fault.message === undefined) {
    return { status, headers }
  }
  const withHeaders = (answer: EmuResponse): EmuResponse => ({
    ...answer,
    headers: { ...answer.headers, ...headers }
  })
  const path = req.path.toLowerCase()
  if (isManagedIdentityPath(path)) {
    return withHeaders(msiError(status, fault.message ?? defaultFaultError(status).message))
  }
  if (isGithubOidcPath(path)) {
    return withHeaders(
      jsonResponse(status, { message: fault.message ?? defaultFaultError(status).message })
    )
  }
  if (!path.startsWith('/subscriptions/')) {
    const fallback = entraFaultError(status)
    const answer = entraError(
      req,
      status,
      fault.code ?? fallback.error,
      fallback.code,
      fault.message ?? fallback.text
    )
    return withHeaders(answer)
  }
  const fallback = defaultFaultError(status)
  return armError(
    status,
    fault.code ?? fallback.code,
    fault.message ?? fallback.message,
    undefined,
    headers
  )
}

/**
 * Default `error`, AADSTS code and text of an injected Entra fault. 50000 and the OAuth error
 * names are Entra's; which AADSTS code Entra pairs with which status here is an assumption.
 */
function entraFaultError(status: number): { error: string; code: number; text: string } {
  if (status === 429) {
    return {
      error: 'temporarily_unavailable',
      code: 90055,
      text: 'There are too many incoming requests. Please try again later.'
    }
  }
  if (status === 503 || status === 504 || status === 502) {
    return {
      error: 'temporarily_unavailable',
      code: 50000,
      text: 'There was an error issuing a token or an issue with our sign-in service. The service is temporarily unavailable.'
    }
  }
  if (status >= 500) {
    return {
      error: 'server_error',
      code: 50000,
      text: 'There was an error issuing a token or an issue with our sign-in service.'
    }
  }
  if (status === 401) {
    return { error: 'invalid_client', code: 7000215, text: 'Invalid client secret provided.' }
  }
  return { error: 'invalid_request', code: 90014, text: `Injected fault ${status}.` }
}
