// Minimal RS256 JSON Web Tokens on node:crypto: the emulator signs the access tokens it issues
// (as Entra) and the ID tokens it issues (as GitHub), and checks both when they come back.
// Each emulator makes its own keys, so a token from another emulator fails the signature check
// exactly as a token "not issued here" would fail at Azure.
import { KeyObject, createHash, generateKeyPair, sign, verify } from 'node:crypto'
import { isObject } from './http.js'

export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
}

export type JwtPayload = Record<string, unknown>

export interface DecodedJwt {
  header: Record<string, unknown>
  payload: JwtPayload
}

export type VerifyResult =
  | ({ ok: true } & DecodedJwt)
  | { ok: false; reason: 'malformed' | 'signature'; decoded?: DecodedJwt }

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await new Promise<{
    privateKey: KeyObject
    publicKey: KeyObject
  }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ publicKey, privateKey })
    )
  )
  const der = publicKey.export({ type: 'spki', format: 'der' })
  const kid = createHash('sha256').update(der).digest('base64url').slice(0, 27)
  return { kid, privateKey, publicKey }
}

export function signJwt(payload: JwtPayload, key: SigningKey): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid }
  const input = `${b64json(header)}.${b64json(payload)}`
  const signature = sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')
  return `${input}.${signature}`
}

/** Decodes without checking the signature; undefined when it is not a JWS compact token. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'))
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    if (!isObject(header) || !isObject(payload)) return undefined
    return { header, payload }
  } catch {
    return undefined
  }
}

export function verifyJwt(token: string, key: SigningKey): VerifyResult {
  const decoded = decodeJwt(token)
  if (!decoded) return { ok: false, reason: 'malformed' }
  const [h, p, s] = token.split('.')
  const valid =
    decoded.header.alg === 'RS256' &&
    verify('sha256', Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url'))
  return valid ? { ok: true, ...decoded } : { ok: false, reason: 'signature', decoded }
}

/** The public half as a JSON Web Key, for the jwks_uri documents. */
export function publicJwk(key: SigningKey, issuer?: string): Record<string, unknown> {
  const jwk = key.publicKey.export({ format: 'jwk' })
  return {
    kty: jwk.kty,
    use: 'sig',
    alg: 'RS256',
    kid: key.kid,
    x5t: key.kid,
    n: jwk.n,
    e: jwk.e,
    issuer
  }
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
