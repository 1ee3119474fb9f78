// Failures that are not a server's answer (the connection or its certificate), named as such
// with the origin they were for. Shared by ARM requests and sign-in: nothing here is Azure's.
// The origin only, never the path or query: those can carry ids and tokens.
import { redactUrl } from '../secret-fields.js'

type Kind =
  | 'refused'
  | 'not-resolved'
  | 'dns-retry'
  | 'timed-out'
  | 'reset'
  | 'unreachable'
  | 'untrusted'
  | 'expired'
  | 'wrong-name'
  | 'tls'

/** Node / OpenSSL error codes, by what they mean to someone configuring an endpoint. */
const CODES: Record<string, Kind> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'not-resolved',
  EAI_NONAME: 'not-resolved',
  EAI_NODATA: 'not-resolved',
  EAI_AGAIN: 'dns-retry',
  ETIMEDOUT: 'timed-out',
  ESOCKETTIMEDOUT: 'timed-out',
  UND_ERR_CONNECT_TIMEOUT: 'timed-out',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'untrusted',
  CERT_SIGNATURE_FAILURE: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_REJECTED: 'untrusted',
  INVALID_CA: 'untrusted',
  PATH_LENGTH_EXCEEDED: 'untrusted',
  INVALID_PURPOSE: 'untrusted',
  CERT_REVOKED: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-name',
  HOSTNAME_MISMATCH: 'wrong-name',
  EPROTO: 'tls',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'tls'
}

/**
 * Texts of the same failures, for wrappers (MSAL, @azure/identity) that keep only the message:
 * Node's own messages ("connect ECONNREFUSED 127.0.0.1:443", "getaddrinfo ENOTFOUND host",
 * "self-signed certificate in certificate chain", "socket hang up" …).
 */
const TEXTS: [RegExp, Kind][] = [
  [/self[- ]signed certificate/i, 'untrusted'],
  [/unable to (verify the first|get local issuer) certificate/i, 'untrusted'],
  [/certificate has expired|certificate is not yet valid/i, 'expired'],
  [/does not match certificate's altnames/i, 'wrong-name'],
  [/socket hang up/i, 'reset']
]

/** Every error in the chain: the error, its causes, and an AggregateError's errors. */
function chain(error: unknown): unknown[] {
  const seen = new Set<unknown>()
  const queue = [error]
  while (queue.length > 0 && seen.size < 20) {
    const e = queue.shift()
    if (e === null || e === undefined || seen.has(e)) continue
    seen.add(e)
    if (typeof e !== 'object') continue
    const o = e as { cause?: unknown; errors?: unknown; originalError?: unknown }
    queue.push(o.cause, o.originalError)
    if (Array.isArray(o.errors)) queue.push(...(o.errors as unknown[]))
  }
  return [...seen]
}

function classify(error: unknown): { kind: Kind; code?: string } | undefined {
  const errors = chain(error)
  for (const e of errors) {
    const code = (e as { code?: unknown })?.code
    if (typeof code === 'string' && CODES[code]) return { kind: CODES[code], code }
  }
  for (const e of errors) {
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : undefined
    if (!message) continue
    const code = Object.keys(CODES).find((c) => new RegExp(`\\b${c}\\b`).test(message))
    if (code) return { kind: CODES[code], code }
    const text = TEXTS.find(([re]) => re.test(message))
    if (text) return { kind: text[1] }
  }
  return undefined
}

/** The scheme, host and port of a URL, never its path or query. */
export function originOf(url: string): string {
  try {
    const origin = new URL(url).origin
    return origin === 'null' ? redactUrl(url) : origin
  } catch {
    return 'the endpoint'
  }
}

/**
 * What went wrong, as a phrase naming the origin, when the error is a connection or certificate
 * failure: "cannot reach https://login.example: connection refused (ECONNREFUSED)",
 * "the certificate of https://arm.example is not trusted (self-signed? set NODE_EXTRA_CA_CERTS):
 * SELF_SIGNED_CERT_IN_CHAIN". Undefined for anything else (an HTTP answer, an abort, a bug).
 */
export function describeNetworkFailure(error: unknown, url: string): string | undefined {
  const found = classify(error)
  if (!found) return undefined
  const origin = originOf(url)
  const code = found.code ? ` (${found.code})` : ''
  switch (found.kind) {
    case 'refused':
      return `cannot reach ${origin}: connection refused${code}`
    case 'not-resolved':
      return `cannot reach ${origin}: name not resolved${code}`
    case 'dns-retry':
      return `cannot reach ${origin}: name not resolved, DNS did not answer${code}`
    case 'timed-out':
      return `cannot reach ${origin}: timed out${code}`
    case 'reset':
      return `cannot reach ${origin}: connection reset${code}`
    case 'unreachable':
      return `cannot reach ${origin}: host or network unreachable${code}`
    case 'untrusted':
      return `the certificate of ${origin} is not trusted (self-signed? set NODE_EXTRA_CA_CERTS)${found.code ? `: ${found.code}` : ''}`
    case 'expired':
      return `the certificate of ${origin} has expired or is not yet valid${code}`
    case 'wrong-name':
      return `the certificate of ${origin} is for another host name${code}`
    case 'tls':
      return `cannot reach ${origin}: the TLS handshake failed${code}`
  }
}

/** Whether the failure is the certificate's (not worth retrying: it will fail the same way). */
export function isCertificateFailure(error: unknown): boolean {
  const kind = classify(error)?.kind
  return kind === 'untrusted' || kind === 'expired' || kind === 'wrong-name'
}

/**
 * Whether the request is known never to have reached the server: the connection was refused,
 * the name did not resolve, or TLS failed before a byte of the request was sent. A timeout or
 * a reset may come after the request arrived, so those are not.
 */
export function neverSent(error: unknown): boolean {
  const kind = classify(error)?.kind
  return kind !== undefined && kind !== 'timed-out' && kind !== 'reset'
}
