// Checks for single-value inputs. Each returns the accepted value or throws an InputError that
// names the input, shows the value and says what is accepted. Limits follow the service
// contract (docs/backend-contract.md).
//
// Every pattern here runs in time linear in the value (no nested or overlapping quantifiers that
// can backtrack, or a length check before the match); __tests__/unit/limits.test.ts feeds each
// check 200 000-character adversarial values.
import type { NumberRange } from './catalog.js'
import { InputError, msg } from './messages.js'
import { hasUserinfo, redactUrl } from './secret-fields.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const RESOURCE_GROUP = /^[\p{L}\p{N}_\-.()]{1,90}$/u
const SERVICE_NAME = /^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/
// ARM refuses these in resource names; control characters never belong in an id.
const FORBIDDEN_IN_ID = /[/\\?#%&<>*:\u0000-\u001f\u007f-\u009f]/
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f]/
const TENANT_DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i

export function uuid(input: string, value: string): string {
  if (!UUID.test(value)) throw new InputError(input, msg.uuid(value))
  return value.toLowerCase()
}

export function tenant(input: string, value: string): string {
  if (UUID.test(value)) return value.toLowerCase()
  if (TENANT_DOMAIN.test(value)) return value
  throw new InputError(
    input,
    `${msg.uuid(value).replace(/\.$/, '')}, or a tenant domain such as contoso.onmicrosoft.com.`
  )
}

export function resourceGroup(input: string, value: string): string {
  if (!RESOURCE_GROUP.test(value) || value.endsWith('.')) {
    throw new InputError(input, msg.resourceGroup(value))
  }
  return value
}

export function serviceName(input: string, value: string): string {
  if (!SERVICE_NAME.test(value)) throw new InputError(input, msg.serviceName(value))
  return value
}

/**
 * An APIM workspace id: 1 to 80 characters without * # & + : < > ? (the workspaceId parameter's
 * pattern in @azure/arm-apimanagement 10, models/parameters.js), nor / \\ % or control characters
 * (a path segment), and not '.' or '..'.
 */
export function workspaceId(input: string, value: string): string {
  if (
    value.length < 1 ||
    value.length > 80 ||
    /[*#&+:<>?/\\%\u0000-\u001f\u007f]/.test(value) ||
    value.trim() !== value ||
    value === '.' ||
    value === '..'
  )
    throw new InputError(input, msg.workspaceId(value))
  return value
}

export function backendId(input: string, value: string): string {
  if (
    value.length < 1 ||
    value.length > 80 ||
    FORBIDDEN_IN_ID.test(value) ||
    value.trim() !== value ||
    // A URL path segment of '.' or '..' is resolved away (RFC 3986 §5.2.4): the request would
    // reach /backends itself, not the backend.
    value === '.' ||
    value === '..'
  ) {
    throw new InputError(input, msg.backendId(value))
  }
  return value
}

/** A backend runtime URL: absolute http(s), or a Service Fabric `fabric:/app/service` name. */
export function backendUrl(input: string, value: string): string {
  // A URL is quoted without its userinfo, whatever its length (a short one is not searched for).
  const quoted = redactUrl(value)
  if (value.length > 2000 || CONTROL_OR_NEWLINE.test(value) || /\s/.test(value)) {
    throw new InputError(
      input,
      value.length > 2000 ? msg.tooLong(value, 2000, quoted) : msg.url(quoted)
    )
  }
  if (/^fabric:\/[^/]/i.test(value)) return value
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    throw new InputError(input, msg.url(quoted))
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new InputError(input, msg.url(quoted))
  }
  // Only the exact scheme prefix counts: 'https:foo' parses but is not absolute.
  if (!/^https?:\/\//i.test(value)) throw new InputError(input, msg.url(quoted))
  return value
}

/** The longest endpoint URL accepted, as for a backend URL. */
const MAX_URL = 2000

// /subscriptions/{id}/resourceGroups/{group}/providers/{namespace}/{type}/{name}[/{type}/{name}…]
const ARM_RESOURCE_ID =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+(?:\/[^/]+\/[^/]+)+$/i

/**
 * resource-id: the service stores `resourceId` only as an absolute http(s) URL and refuses an ARM
 * id with "Value should represent absolute http URL" (Azure/azure-rest-api-specs#29531,
 * hashicorp/terraform-provider-azurerm#26342). An ARM id is accepted here and sent as the
 * Resource Manager endpoint + the id, the form the portal and Terraform's fix write.
 */
export function resourceId(input: string, value: string, armEndpoint: string): string {
  const quoted = redactUrl(value)
  if (value.length > MAX_URL) throw new InputError(input, msg.tooLong(value, MAX_URL, quoted))
  if (CONTROL_OR_NEWLINE.test(value) || /\s/.test(value))
    throw new InputError(input, msg.resourceId(quoted))
  if (value.startsWith('/')) {
    if (!ARM_RESOURCE_ID.test(value)) throw new InputError(input, msg.resourceId(value))
    const url = `${armEndpoint}${value}`
    if (url.length > MAX_URL) throw new InputError(input, msg.tooLong(url, MAX_URL))
    return url
  }
  try {
    if (backendUrl(input, value) === value && !value.toLowerCase().startsWith('fabric:'))
      return value
  } catch {
    // worded below
  }
  throw new InputError(input, msg.resourceId(quoted))
}

/**
 * An endpoint override (arm-endpoint, authority-host): https only, no trailing slash, and no
 * userinfo (user@, user:password@): the step signs in with its own credentials, and a refusal
 * that quoted the value would show the ones written there.
 */
export function httpsEndpoint(input: string, value: string): string {
  const quoted = redactUrl(value)
  if (value.length > MAX_URL) throw new InputError(input, msg.tooLong(value, MAX_URL, quoted))
  if (hasUserinfo(value)) throw new InputError(input, msg.endpointUserinfo)
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    throw new InputError(input, msg.httpsUrl(quoted))
  }
  if (parsed.username || parsed.password) throw new InputError(input, msg.endpointUserinfo)
  if (parsed.protocol !== 'https:' || parsed.search || parsed.hash) {
    throw new InputError(input, msg.httpsUrl(quoted))
  }
  return withoutTrailingSlashes(value)
}

/** `value` without the slashes it ends with; a loop, as /\/+$/ is quadratic on a run of slashes. */
export function withoutTrailingSlashes(value: string): string {
  let end = value.length
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end--
  return value.slice(0, end)
}

export function oneOf<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase()
  const hit = allowed.find((a) => a === lower)
  if (hit === undefined) throw new InputError(input, msg.notOneOf(value, allowed))
  return hit
}

/** protocol (http or soap): 'https' gets a message saying that an https:// url uses http. */
export function protocol<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  if (value.toLowerCase() === 'https')
    throw new InputError(input, msg.protocolIsNotScheme(value, allowed))
  return oneOf(input, value, allowed)
}

/** An enum whose values are names (AzureCloud): matched case-insensitively, returned as listed. */
export function oneOfExact<T extends string>(
  input: string,
  value: string,
  allowed: readonly T[]
): T {
  const hit = allowed.find((a) => a.toLowerCase() === value.toLowerCase())
  if (hit === undefined) throw new InputError(input, msg.notOneOf(value, allowed))
  return hit
}

/** Text such as a title: a length range and no control characters (newlines only if allowed). */
export function text(
  input: string,
  value: string,
  max: number,
  opts: { multiline?: boolean } = {}
): string {
  if (value.length > max) throw new InputError(input, msg.tooLong(value, max))
  const bad = opts.multiline ? CONTROL : CONTROL_OR_NEWLINE
  if (bad.test(value)) throw new InputError(input, msg.controlCharacters(value))
  return value
}

/** The YAML 1.2 core booleans, as core.getBooleanInput accepts them. */
export function boolean(input: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(input, msg.boolean(value))
}

/** A whole number within the input's documented range (catalog.ts). */
export function wholeNumber(input: string, value: string, range: NumberRange): number {
  if (!/^\d+$/.test(value)) throw new InputError(input, msg.notWholeNumber(value, range))
  // A long run of digits is Infinity here, and out of range like any other large number.
  const n = Number(value)
  if (n < range.min || n > range.max) throw new InputError(input, msg.outOfRange(value, range))
  return n
}
