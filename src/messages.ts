// Every text the action shows a user, in one place, so wording stays consistent and tests can
// match it. Values are shown only for inputs that are not secret.

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

/** A value on one line: control characters (CR and LF among them) as \uXXXX escapes. */
export function escapeControl(value: string): string {
  return value.replace(
    /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** Quote a value for a message, shortened so a 10 kB input does not flood the log. */
export function shown(value: string): string {
  const printable = escapeControl(value)
  return printable.length > 80
    ? `'${printable.slice(0, 77)}...' (${value.length} characters)`
    : `'${printable}'`
}

export const msg = {
  required: (why: string) => `is required${why}.`,
  notOneOf: (value: string, allowed: readonly string[]) =>
    `${shown(value)} is not supported. Supported values: ${allowed.join(', ')}.`,
  notForOperation: (operation: string, scope: readonly string[]) =>
    `does not apply to operation '${operation}'; it belongs to ${listOf(scope.map((s) => `'${s}'`))}. Remove it from this step.`,
  tooLong: (value: string, max: number) =>
    `${shown(value)} is ${value.length} characters long; at most ${max} are accepted.`,
  uuid: (value: string) =>
    `${shown(value)} is not a UUID; expected the form 00000000-0000-0000-0000-000000000000.`,
  resourceGroup: (value: string) =>
    `${shown(value)} is not a resource group name; expected 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.`,
  serviceName: (value: string) =>
    `${shown(value)} is not an API Management service name; expected 1 to 50 letters, digits and hyphens, starting with a letter and not ending with a hyphen.`,
  backendId: (value: string) =>
    `${shown(value)} is not a backend id; expected 1 to 80 characters without / \\ ? # % & < > * : or control characters.`,
  url: (value: string) =>
    `${shown(value)} is not a backend URL; expected an absolute http:// or https:// URL (or fabric:/app/service for Service Fabric) of at most 2000 characters.`,
  httpsUrl: (value: string) => `${shown(value)} is not an absolute https:// URL.`,
  boolean: (value: string) => `${shown(value)} is not a boolean; expected true or false.`,
  seconds: (value: string, min = 0) =>
    `${shown(value)} is not a whole number of seconds; expected an integer of ${min} or more, such as 30.`,
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
    "no way to sign in: give 'client-id' and 'tenant-id' (OIDC, with 'permissions: id-token: write'), add 'client-secret', or pass the azure/login JSON in 'creds'."
}

/** 'a', 'a and b', 'a, b and c' */
export function listOf(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}
