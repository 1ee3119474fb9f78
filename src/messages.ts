// The texts that several modules share (input problems, value quoting, the messages tests match),
// so their wording stays consistent; a text used in one place is written there. Values are
// shown only for inputs that are not secret.
import { redact } from './workflow.js'

/** A problem with one input, found before any request is sent. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly detail: string
  ) {
    super(`Input '${input}': ${detail}`)
    this.name = 'InputError'
  }
}

/** A problem found while talking to Azure, already worded for the user. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ActionError'
  }
}

/** One UTF-16 code unit as a \uXXXX escape, the way JSON and JavaScript write it. */
export function unicodeEscape(c: string, upper = false): string {
  const hex = c.charCodeAt(0).toString(16).padStart(4, '0')
  return `\\u${upper ? hex.toUpperCase() : hex}`
}

/** A value on one line: control characters (CR and LF among them) as \uXXXX escapes. */
export function escapeControl(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (c) => unicodeEscape(c))
}

/**
 * Quote a value for a message, shortened so a 10 kB input does not flood the log. Secrets are
 * redacted first: once cut or escaped, a part of one would no longer match its mask.
 */
export function shown(value: string): string {
  const printable = escapeControl(redact(value))
  return printable.length > 80
    ? `'${printable.slice(0, 77)}...' (${value.length} characters)`
    : `'${printable}'`
}

export const msg = {
  required: (why: string) => `is required${why}.`,
  notOneOf: (value: string, allowed: readonly string[]) =>
    `${shown(value)} is not supported. Supported values: ${allowed.join(', ')}.`,
  /** protocol names the kind of API, not the URL's scheme: https is the usual slip. */
  protocolIsNotScheme: (value: string, allowed: readonly string[]) =>
    `${shown(value)} is not supported. Supported values: ${allowed.join(', ')}. protocol is the kind of API, not the URL's scheme: a backend at an https:// url uses protocol: http.`,
  notForOperation: (operation: string, scope: readonly string[]) =>
    `does not apply to operation '${operation}'; it belongs to ${listOf(scope.map((s) => `'${s}'`))}. Remove it from this step.`,
  /** `shownAs`: the value as it may be quoted (a URL without its userinfo). */
  tooLong: (value: string, max: number, shownAs = value) =>
    `${shown(shownAs)} is ${value.length} characters long; at most ${max} are accepted.`,
  uuid: (value: string) =>
    `${shown(value)} is not a UUID; expected the form 00000000-0000-0000-0000-000000000000.`,
  resourceGroup: (value: string) =>
    `${shown(value)} is not a resource group name; expected 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.`,
  serviceName: (value: string) =>
    `${shown(value)} is not an API Management service name; expected 1 to 50 letters, digits and hyphens, starting with a letter and not ending with a hyphen.`,
  workspaceId: (value: string) =>
    `${shown(value)} is not a workspace id; expected the id of an API Management workspace: 1 to 80 characters without * # & + : < > ? / \\ % or control characters, and not '.' or '..'.`,
  backendId: (value: string) =>
    `${shown(value)} is not a backend id; expected 1 to 80 characters without / \\ ? # % & < > * : or control characters, and not '.' or '..'.`,
  url: (value: string) =>
    `${shown(value)} is not a backend URL; expected an absolute http:// or https:// URL (or fabric:/app/service for Service Fabric) of at most 2000 characters.`,
  resourceId: (value: string) =>
    `${shown(value)} is neither an absolute http(s) URL nor an ARM id; expected the management URL of a Logic App, Function App or API App (https://management.azure.com/subscriptions/…/providers/Microsoft.Web/sites/my-app), or its ARM id (/subscriptions/…), which is sent as the Resource Manager endpoint + the id. Azure refuses anything else ("Value should represent absolute http URL").`,
  httpsUrl: (value: string) => `${shown(value)} is not an absolute https:// URL.`,
  endpointUserinfo:
    'holds a user name or password (user@ or user:password@), which an endpoint does not take: the step signs in with its own credentials. The value is not shown because it holds them.',
  boolean: (value: string) => `${shown(value)} is not a boolean; expected true or false.`,
  notWholeNumber: (value: string, r: { min: number; max: number; unit: string }) =>
    `${shown(value)} is not a whole number of ${r.unit}; expected an integer from ${r.min} to ${r.max}.`,
  outOfRange: (value: string, r: { min: number; max: number; unit: string; note: string }) =>
    `${shown(value)} is out of range; expected ${r.min} to ${r.max} ${r.unit} (at most ${r.note}).`,
  /** The value is not shown: it is long, and the input may hold secrets. */
  inputTooLong: (length: number, max: number) =>
    `is ${length} characters long; at most ${max} (${sizeOf(max)}) are accepted, so it was not read further.`,
  fileTooLarge: (value: string, bytes: number, max: number) =>
    `${shown(value)} is a file of ${bytes} bytes; at most ${max} (${sizeOf(max)}) are read, so it was not read.`,
  /** A YAML/JSON value beyond a limit; where it is, never what it says. */
  yamlLimit: (problem: string, where?: { line: number; col: number }) =>
    `${problem}${where ? ` (line ${where.line}, column ${where.col})` : ''}. The value is not shown because it may hold secrets.`,
  tooDeep: (max: number) =>
    `nests lists and mappings deeper than ${max} levels; at most ${max} are accepted`,
  tooManyNodes: (max: number) =>
    `has more than ${max} keys, items and values (counting what aliases repeat); at most ${max} are accepted`,
  tooManyTokens: (max: number) =>
    `has more than ${max} YAML tokens (values, punctuation, line breaks, comments); at most ${max} are read`,
  expandsTooFar: (max: number) =>
    `expands to more than ${max} characters once its aliases (*name) are repeated; at most ${max} are accepted`,
  tooManyProperties: (max: number) =>
    `has more than ${max} anchors (&name) and tags (!tag); at most ${max} are accepted`,
  tooManyAliases: (max: number) =>
    `has more than ${max} aliases (*name); at most ${max} are accepted`,
  aliasCycle: 'an alias (*name) refers to a node that contains it, which would repeat forever',
  aliasUnresolved: 'an alias (*name) refers to no anchor (&name) before it',
  manyProperties: 'a value has more than one anchor (&name) or more than one tag (!tag)',
  aliasBomb: 'its aliases (*name) repeat more than can be expanded',
  resetAtUnreportable: (seconds: number) =>
    `time-until-reset ${seconds} s is beyond any date the step can report as reset-at; no reconnect was requested.`,
  badPercentEscape: (segment: string) =>
    `its id holds ${shown(segment)}, which has a malformed %-escape (a '%' not followed by two hex digits of UTF-8).`,
  controlCharacters: (value: string) =>
    `${shown(value)} contains control characters, which are not accepted.`,
  notYamlOrJson: (problem: string, line: number, col: number) =>
    `is not valid YAML or JSON (line ${line}, column ${col}: ${problem}). The value is not shown because it may hold secrets.`,
  badShape: (path: string, problem: string) => `${path ? `${path}: ` : ''}${problem}`,
  backendJson: (problem: string) =>
    `${problem} Pass the 'backend' output of an earlier step of this action, for example backend: \${{ steps.create.outputs.backend }}.`,
  alreadyExists: (id: string) => `Backend '${id}' already exists; set if-exists: replace or skip.`,
  createdMeanwhile: (id: string) =>
    `Backend '${id}' was created by someone else while this step ran; re-run to see it.`,
  replacedNotCreated: (id: string) =>
    `Backend '${id}' appeared between the read and the write: it was replaced, not created. Azure did not honour If-None-Match: *, so a version someone else wrote in between may have been overwritten.`,
  oidcUnavailable:
    "OIDC sign-in needs an ID token from GitHub, but ACTIONS_ID_TOKEN_REQUEST_URL is not set. Grant the job 'permissions: id-token: write' (and run on GitHub Actions), or sign in with a client secret.",
  noCredentials:
    "no way to sign in: give 'client-id' and 'tenant-id' (OIDC, with 'permissions: id-token: write'), add 'client-secret', or pass the azure/login JSON in 'creds'.",
  /** auto, client-id and tenant-id without a secret: the one missing piece is the ID token. */
  noIdToken:
    "no way to sign in: client-id and tenant-id were given without a secret, which means OIDC, but the job has no GitHub ID token. Grant the job 'permissions: id-token: write' (or add 'client-secret').",
  /** The Azure CLI on PATH, tried by auto, had no session: auto goes on as if it were absent. */
  cliNoSession: (detail: string) => `'az' is on PATH but has no session (${detail})`,
  cliNotRunnable: (detail: string) => `'az' could not be run (${detail})`,
  /** A sign-in request that got no answer: the network or the certificate, not the credentials. */
  signInNoAnswer: (described: string, fix: string) =>
    `${described}. Hint: ${fix}; the credentials were not checked.`,
  reachAuthority: (custom: boolean) =>
    custom
      ? "check the 'authority-host' input and that the runner can reach it (network, firewall, HTTPS_PROXY/NO_PROXY)"
      : 'check that the runner can reach Microsoft Entra ID (network, firewall, HTTPS_PROXY/NO_PROXY)',
  reachIdentityEndpoint:
    "check that the machine's managed identity endpoint (IDENTITY_ENDPOINT, or IMDS at 169.254.169.254) is up and reachable from the runner",
  trustCertificate:
    'when a TLS-inspecting proxy or a private CA signs it, give that CA to the step in NODE_EXTRA_CA_CERTS (a job-level env variable)'
}

/** 'a', 'a and b', 'a, b and c' */
export function listOf(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** 65536 -> '64 KiB', 1048576 -> '1 MiB' */
function sizeOf(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}
