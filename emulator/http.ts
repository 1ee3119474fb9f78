// The shapes every route handler shares. Handlers are plain functions from a parsed request
// to a response value, so they stay free of node:http plumbing and the server can record,
// fault and write every answer in one place.

export interface EmuRequest {
  method: string
  /** pathname only, not decoded */
  path: string
  query: Record<string, string>
  /** lower-case names */
  headers: Record<string, string>
  body: string
  /** set by a fault of that kind: how the service answers this one PATCH (see FaultKind) */
  patchVariant?: 'patch-no-content' | 'patch-replaces-nested'
}

export interface EmuResponse {
  status: number
  headers?: Record<string, string>
  /** object: sent as JSON; string: sent as is; undefined: no body */
  body?: unknown
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): EmuResponse {
  return { status, body, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers } }
}

/**
 * JSON as ARM's .NET serializer writes it: & < > ' + as \u0026 \u003c \u003e \u0027 \u002b
 * (System.Text.Json's default encoder; docs/backend-contract.md "Real traffic"). Those characters
 * occur in JSON only inside strings, so the result is the same JSON value.
 */
export function armJson(body: unknown): string {
  return JSON.stringify(body).replace(
    /[&<>'+]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** Path segments, decoded; undefined when a segment is not valid percent-encoding. */
export function pathSegments(path: string): string[] | undefined {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return undefined
  }
}

export function sameText(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase()
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
