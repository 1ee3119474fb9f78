// Where a backend holds secrets, by place: one table that registration (every value handed to
// the runner's mask), the outputs' redaction and the diff all read. Outputs are redacted by place
// rather than by searching for the secret's text, so a one-character header value cannot turn an
// id into 'pro***iders' or a value of '":"' break the JSON.
import { REDACTED, tooShort } from './secrets.js'

/** How a place holds a secret: the whole value, or parts of a URL (userinfo, key parameters). */
export type SecretKind = 'whole' | 'url'

/**
 * The kind of secret at a path inside a backend's `properties` (keys as in the ARM body; list
 * indexes do not count), or undefined for a field that holds none.
 */
export function secretKindAt(path: readonly string[]): SecretKind | undefined {
  const [a, b, c] = path
  if (a === 'credentials') {
    // Every header and query value is a secret, whatever its name (dots included).
    if ((b === 'header' || b === 'query') && path.length >= 3) return 'whole'
    if (b === 'authorization' && c === 'parameter' && path.length === 3) return 'whole'
    return undefined
  }
  if (a === 'proxy' && path.length === 2) {
    if (b === 'password') return 'whole'
    if (b === 'url') return 'url'
  }
  // Every field that holds URLs: a userinfo or a key parameter can be in any of them.
  if ((a === 'url' || a === 'resourceId') && path.length === 1) return 'url'
  if (a === 'properties' && b === 'serviceFabricCluster' && c === 'managementEndpoints')
    return path.length === 3 ? 'url' : undefined
  return undefined
}

// Query parameters that carry keys by convention: Azure Functions' `code` (and its header name,
// which Functions also reads from the query), SAS `sig`, API keys, tokens, passwords.
const SECRET_QUERY_NAMES = new Set([
  'code',
  'x-functions-key',
  'sig',
  'key',
  'api-key',
  'api_key',
  'apikey',
  'subscription-key',
  'token',
  'access_token',
  'access-token',
  'secret',
  'client_secret',
  'password',
  'pwd'
])

interface Span {
  start: number
  end: number
  /** the userinfo (user@, user:password@) or the value of a key parameter */
  kind: 'userinfo' | 'query'
}

// Schemes whose URLs WHATWG's URL parser reads the authority of after any run of slashes and
// backslashes, none included: new URL('https:TOKEN@host') has the user name TOKEN.
const SPECIAL_SCHEME = /^(?:https?|wss?|ftp):$/i

/**
 * Where the authority's userinfo is, if the URL has one: from the authority's start to the last
 * '@' before its end ('/', '?', '#', and for http(s) '\\'). The whole userinfo is secret:
 * `https://TOKEN@host` puts a token in the user part, and so does GitHub's
 * `https://TOKEN:x-oauth-basic@github.com`.
 */
function userinfoSpan(url: string, end: number): { start: number; end: number } | undefined {
  const colon = url.indexOf(':')
  if (colon <= 0 || colon >= end || !/^[a-z][a-z0-9+.-]*$/i.test(url.slice(0, colon)))
    return undefined
  const special = SPECIAL_SCHEME.test(url.slice(0, colon + 1))
  let start = colon + 1
  if (special) while (start < end && (url[start] === '/' || url[start] === '\\')) start++
  else if (url.startsWith('//', start)) start += 2
  else return undefined
  let authorityEnd = end
  for (const c of special ? ['/', '?', '\\'] : ['/', '?']) {
    const i = url.indexOf(c, start)
    if (i >= 0 && i < authorityEnd) authorityEnd = i
  }
  const at = url.lastIndexOf('@', authorityEnd - 1)
  return at >= start ? { start, end: at } : undefined
}

/** Whether a URL has a userinfo, even an empty one (`https://@host`). */
export function hasUserinfo(url: string): boolean {
  const hash = url.indexOf('#')
  return userinfoSpan(url, hash < 0 ? url.length : hash) !== undefined
}

/** Where a URL holds secrets: its userinfo, the values of key parameters. */
function urlSecretSpans(url: string): Span[] {
  const spans: Span[] = []
  const hash = url.indexOf('#')
  const end = hash < 0 ? url.length : hash
  const userinfo = userinfoSpan(url, end)
  if (userinfo && userinfo.end > userinfo.start) spans.push({ ...userinfo, kind: 'userinfo' })
  const query = url.indexOf('?')
  if (query >= 0 && query < end) {
    let i = query + 1
    while (i < end) {
      let amp = url.indexOf('&', i)
      if (amp < 0 || amp > end) amp = end
      // Each pair is searched on its own, so the whole scan stays linear in the URL's length.
      const pair = url.slice(i, amp)
      const eq = pair.indexOf('=')
      if (
        eq >= 0 &&
        eq < pair.length - 1 &&
        SECRET_QUERY_NAMES.has(decoded(pair.slice(0, eq)).toLowerCase())
      )
        spans.push({ start: i + eq + 1, end: amp, kind: 'query' })
      i = amp + 1
    }
  }
  return spans
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/**
 * The secret parts of a URL, as written and decoded (the runner must mask both): the userinfo
 * whole and each of its parts (an error may quote the user or the password alone), the values of
 * key parameters.
 */
export function urlSecrets(url: string): string[] {
  const parts = urlSecretSpans(url).flatMap(({ start, end, kind }) => {
    const raw = url.slice(start, end)
    if (kind === 'query') return [raw]
    const colon = raw.indexOf(':')
    return colon < 0 ? [raw] : [raw, raw.slice(0, colon), raw.slice(colon + 1)]
  })
  return [...new Set(parts.flatMap((raw) => [raw, decoded(raw)]))]
}

/** The URL with its secret parts replaced by ***, every other character as it was. */
export function redactUrl(url: string): string {
  let out = ''
  let from = 0
  for (const { start, end } of urlSecretSpans(url)) {
    out += url.slice(from, start) + REDACTED
    from = end
  }
  return out + url.slice(from)
}

/** Replace the secret at one place; anything else passes unchanged. */
function redactAt(path: readonly string[], value: unknown): unknown {
  const kind = secretKindAt(path)
  if (kind === undefined) return value
  if (kind === 'url') return mapStrings(value, redactUrl)
  if (Array.isArray(value)) return value.map(() => REDACTED)
  return value === null || value === undefined ? value : REDACTED
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A copy of a backend's `properties` with every secret replaced by place. */
export function redactProperties(properties: unknown, path: string[] = []): unknown {
  if (path.length > 0 && secretKindAt(path) !== undefined) return redactAt(path, properties)
  if (Array.isArray(properties)) return properties.map((v) => redactProperties(v, path))
  if (!isObject(properties)) return properties
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(properties)) out[k] = redactProperties(v, [...path, k])
  return out
}

/** Every secret value inside a backend's `properties` (for the runner's mask). */
export function secretValues(properties: unknown, path: string[] = []): string[] {
  const kind = path.length > 0 ? secretKindAt(path) : undefined
  if (kind === 'url') return strings(properties).flatMap(urlSecrets)
  if (kind === 'whole') return strings(properties)
  if (Array.isArray(properties)) return properties.flatMap((v) => secretValues(v, path))
  if (!isObject(properties)) return []
  const values = Object.entries(properties).flatMap(([k, v]) => secretValues(v, [...path, k]))
  return [...values, ...pairedSecrets(properties, path)]
}

/**
 * The user:password that two fields make together, as a client sends it: base64 of it is what
 * Basic credentials carry (RFC 7617), in the proxy's Proxy-Authorization and in a Basic
 * authorization parameter, whose decoded text and password are secrets too. A pair whose password
 * is too short to register is left out, as every form of a short secret is (secrets.ts): the
 * user is no secret, so the pair is as quickly guessed as its password.
 */
function pairedSecrets(o: Record<string, unknown>, path: readonly string[]): string[] {
  const at = path.join('.')
  if (at === 'proxy' && typeof o.username === 'string' && typeof o.password === 'string')
    return tooShort(o.password) ? [] : [`${o.username}:${o.password}`]
  if (
    at === 'credentials.authorization' &&
    typeof o.scheme === 'string' &&
    o.scheme.toLowerCase() === 'basic' &&
    typeof o.parameter === 'string'
  ) {
    const pair = basicPair(o.parameter.trim())
    return pair && !tooShort(pair.password) ? [pair.text, pair.password] : []
  }
  return []
}

/** The user:password a Basic parameter encodes, when it is base64 of text with a colon. */
function basicPair(parameter: string): { text: string; password: string } | undefined {
  if (parameter.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(parameter)) return undefined
  const text = Buffer.from(parameter, 'base64').toString('utf8')
  const colon = text.indexOf(':')
  // Not text (U+FFFD: bytes that are not UTF-8; control characters): not a user:password.
  if (colon < 0 || /[\u0000-\u001f\u007f\ufffd]/.test(text)) return undefined
  return { text, password: text.slice(colon + 1) }
}

function mapStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v)
  return Array.isArray(v) ? v.map((item) => mapStrings(item, fn)) : v
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.flatMap(strings)
  if (isObject(v)) return Object.values(v).flatMap(strings)
  return []
}

/** A secret part of a URL: its userinfo, or the value of the key parameter `parameter`. */
export type UrlSecretPart = { kind: 'userinfo' } | { kind: 'query'; parameter: string }

/**
 * The URL rebuilt piece by piece: each secret part (as redactUrl finds them) replaced by what
 * `secret` makes of it, the text between them by what `plain` makes of it (an export writes a
 * `${NAME}` reference for each secret, and escapes the rest).
 */
export function mapUrlParts(
  url: string,
  plain: (text: string) => string,
  secret: (part: UrlSecretPart) => string
): string {
  let out = ''
  let from = 0
  for (const { start, end, kind } of urlSecretSpans(url)) {
    // A key parameter's value starts after its '='; its name after the '?' or '&' before that.
    const pair = Math.max(url.lastIndexOf('&', start - 2), url.lastIndexOf('?', start - 2)) + 1
    const part: UrlSecretPart =
      kind === 'userinfo'
        ? { kind }
        : { kind, parameter: decoded(url.slice(pair, start - 1)).toLowerCase() }
    out += plain(url.slice(from, start)) + secret(part)
    from = end
  }
  return out + plain(url.slice(from))
}
