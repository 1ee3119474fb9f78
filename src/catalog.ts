// The action's inputs in one table: which operation each belongs to, the longest value it takes
// and, for a number, the accepted range. action.yml documents the same names and maxima; unit
// tests keep the two in step.

export const OPERATIONS = [
  'create',
  'reset',
  'get',
  'update',
  'delete',
  'list',
  'switch',
  'plan',
  'apply',
  'export'
] as const
export type Operation = (typeof OPERATIONS)[number]

type Scope = 'all' | Operation[]

/** A whole-number input's accepted values, and what a value means. */
export interface NumberRange {
  min: number
  max: number
  /** Plural, as in '0 to 604800 seconds'. */
  unit: string
  /** The maximum in words, and why it is the maximum. */
  note: string
}

export interface InputSpec {
  /** The operations the input applies to; 'all' for target and sign-in inputs. */
  scope: Scope
  /**
   * The longest value read, in characters (for `backends` also the size of its file, in bytes).
   * Checked before anything parses or matches the value; a longer one is refused unread.
   */
  maxLength: number
  /** Whole-number inputs: the accepted range. */
  range?: NumberRange
  /** The value used when the input is not given, as action.yml states it. */
  default?: string
  /**
   * The default is action.yml's `default:` too, which the runner passes as if it were given: only
   * for an input of every operation whose absence the code never asks about.
   */
  declared?: true
}

/**
 * A single-value input: 64 KiB, 30 times the longest value any of them accepts (2000-character
 * URLs, ids and descriptions), so a real value never meets it and a hostile one is refused before
 * any pattern is matched against it.
 */
const SCALAR = 64 * 1024
/**
 * A YAML/JSON input and the `backends` list or file: 1 MiB, room for MAX_BACKENDS items of
 * 1 KiB each. The parser is linear but not fast (about 1.5 s for 1 MiB), so this bounds its time.
 */
const DOCUMENT = 1024 * 1024

/** The longest time any limit may name: the 6-hour job limit of GitHub-hosted runners. */
const JOB_SECONDS = 6 * 60 * 60
const JOB = `${JOB_SECONDS / 3600} hours, the longest a job runs on a GitHub-hosted runner`
const seconds = (min: number, max = JOB_SECONDS, note = JOB): NumberRange => ({
  min,
  max,
  unit: 'seconds',
  note
})

/** switch: the health gate's defaults. */
export const DEFAULT_HEALTH_STATUS = '200-299'
export const DEFAULT_HEALTH_SUCCESSES = 3
export const DEFAULT_HEALTH_INTERVAL_SECONDS = 5
export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 300
/** switch: time kept back, within timeout-seconds, to roll back (a PATCH and a reconnect). */
export const ROLLBACK_RESERVE_SECONDS = 60

/** The service's reconnect delay when no `after` is sent. */
export const DEFAULT_RESET_SECONDS = 120

/** Time limits: the whole step, one wait that Azure asks for, one request attempt. */
export const DEFAULT_TIMEOUT_SECONDS = 300
export const DEFAULT_MAX_WAIT_SECONDS = 120
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30
/** Retries after the first attempt, as the SDK's default. */
export const MAX_RETRIES = 3

export const DEFAULT_MAX_PARALLEL = 8
export const DEFAULT_IF_EXISTS = 'fail'
export const DEFAULT_IF_MISSING = 'fail'
export const DEFAULT_ROLLBACK = true
export const DEFAULT_AUTH_TYPE = 'auto'
export const DEFAULT_ENVIRONMENT = 'AzureCloud'

const ONE_BACKEND: Operation[] = ['create', 'reset', 'get', 'update', 'delete', 'switch']
// plan, apply: the step's backend inputs are the defaults of every item of its backends file.
const WRITES_FIELDS: Operation[] = ['create', 'update', 'plan', 'apply']
const CONNECTION: Operation[] = ['create', 'reset', 'update', 'switch', 'plan', 'apply']

export const INPUTS = {
  operation: { scope: 'all', maxLength: SCALAR },
  'subscription-id': { scope: 'all', maxLength: SCALAR },
  'resource-group': { scope: 'all', maxLength: SCALAR },
  'service-name': { scope: 'all', maxLength: SCALAR },
  // The APIM workspace whose backends the step works on (absent: the service's own).
  workspace: { scope: 'all', maxLength: SCALAR },
  'backend-id': { scope: ONE_BACKEND, maxLength: SCALAR },
  url: { scope: CONNECTION, maxLength: SCALAR },
  protocol: { scope: CONNECTION, maxLength: SCALAR },
  title: { scope: WRITES_FIELDS, maxLength: SCALAR },
  description: { scope: WRITES_FIELDS, maxLength: SCALAR },
  'resource-id': { scope: WRITES_FIELDS, maxLength: SCALAR },
  'skip-certificate-chain-validation': { scope: WRITES_FIELDS, maxLength: SCALAR },
  'skip-certificate-name-validation': { scope: WRITES_FIELDS, maxLength: SCALAR },
  'backend-credentials': { scope: CONNECTION, maxLength: DOCUMENT },
  proxy: { scope: CONNECTION, maxLength: DOCUMENT },
  'service-fabric-cluster': { scope: WRITES_FIELDS, maxLength: DOCUMENT },
  'circuit-breaker': { scope: WRITES_FIELDS, maxLength: DOCUMENT },
  pool: { scope: WRITES_FIELDS, maxLength: DOCUMENT },
  'if-exists': { scope: ['create', 'export'], maxLength: SCALAR, default: DEFAULT_IF_EXISTS },
  'if-missing': { scope: ['get', 'delete'], maxLength: SCALAR, default: DEFAULT_IF_MISSING },
  // A reconnect more than a week away is a unit mistake (milliseconds?) rather than a plan; the
  // bound also keeps `reset-at` (now + the delay) a date the step can always report.
  'time-until-reset': {
    scope: ['reset', 'switch'],
    maxLength: SCALAR,
    range: seconds(0, 7 * 24 * 60 * 60, '7 days')
  },
  wait: { scope: ['reset'], maxLength: SCALAR },
  'what-if': { scope: ['create', 'update', 'delete', 'reset', 'switch'], maxLength: SCALAR },
  filter: { scope: ['list'], maxLength: SCALAR },
  backend: { scope: ['reset', 'get', 'update', 'delete', 'switch'], maxLength: DOCUMENT },
  // switch: the health gate after the reconnect.
  'health-url': { scope: ['switch'], maxLength: SCALAR },
  'health-headers': { scope: ['switch'], maxLength: DOCUMENT },
  'health-status': { scope: ['switch'], maxLength: SCALAR, default: DEFAULT_HEALTH_STATUS },
  'health-successes': {
    scope: ['switch'],
    maxLength: SCALAR,
    range: { min: 1, max: 100, unit: 'answers', note: 'good answers in a row' },
    default: String(DEFAULT_HEALTH_SUCCESSES)
  },
  'health-interval-seconds': {
    scope: ['switch'],
    maxLength: SCALAR,
    range: seconds(1, 600, '10 minutes'),
    default: String(DEFAULT_HEALTH_INTERVAL_SECONDS)
  },
  'health-timeout-seconds': {
    scope: ['switch'],
    maxLength: SCALAR,
    range: seconds(1),
    default: String(DEFAULT_HEALTH_TIMEOUT_SECONDS)
  },
  rollback: { scope: ['switch'], maxLength: SCALAR, default: String(DEFAULT_ROLLBACK) },
  backends: { scope: ['create', 'reset', 'plan', 'apply'], maxLength: DOCUMENT },
  // plan, apply: what becomes of the backends of the service that the file does not name.
  prune: { scope: ['plan', 'apply'], maxLength: SCALAR, default: 'false' },
  'fail-on-changes': { scope: ['plan'], maxLength: SCALAR, default: 'false' },
  // A saved plan: written by plan, applied as it is by apply.
  'plan-file': { scope: ['plan', 'apply'], maxLength: SCALAR },
  // export: the backends file it writes, inside the workspace.
  'export-file': { scope: ['export'], maxLength: SCALAR },
  // ARM's write budget (10 writes/s) makes more pointless, and each one is an open connection.
  'max-parallel': {
    scope: ['create', 'reset', 'apply'],
    maxLength: SCALAR,
    range: { min: 1, max: 64, unit: 'parallel requests', note: 'ARM takes 10 writes a second' },
    default: String(DEFAULT_MAX_PARALLEL)
  },
  // A preview's comment on the pull request (src/pr-comment/). The token is the runner's default
  // (action.yml's `default:`), so it reaches every step: an input of every operation.
  comment: {
    scope: ['plan', 'create', 'update', 'delete', 'reset', 'switch'],
    maxLength: SCALAR,
    default: 'false'
  },
  'github-token': {
    scope: 'all',
    maxLength: SCALAR,
    default: '${{ github.token }}',
    declared: true
  },
  'auth-type': { scope: 'all', maxLength: SCALAR, default: DEFAULT_AUTH_TYPE, declared: true },
  'client-id': { scope: 'all', maxLength: SCALAR },
  'tenant-id': { scope: 'all', maxLength: SCALAR },
  'client-secret': { scope: 'all', maxLength: SCALAR },
  creds: { scope: 'all', maxLength: DOCUMENT },
  audience: { scope: 'all', maxLength: SCALAR },
  'arm-endpoint': { scope: 'all', maxLength: SCALAR },
  'authority-host': { scope: 'all', maxLength: SCALAR },
  environment: { scope: 'all', maxLength: SCALAR, default: DEFAULT_ENVIRONMENT, declared: true },
  // No time limit can outlast the job; all three stay far inside Node's timer range (2^31-1 ms,
  // 24.8 days), beyond which a timer fires at once. timeout-seconds is not declared: a switch
  // without it gets the time it needs (operations/switch/rules.ts).
  'timeout-seconds': {
    scope: 'all',
    maxLength: SCALAR,
    range: seconds(1),
    default: String(DEFAULT_TIMEOUT_SECONDS)
  },
  'max-wait-seconds': {
    scope: 'all',
    maxLength: SCALAR,
    range: seconds(0),
    default: String(DEFAULT_MAX_WAIT_SECONDS),
    declared: true
  },
  'request-timeout-seconds': {
    scope: 'all',
    maxLength: SCALAR,
    range: seconds(1),
    default: String(DEFAULT_REQUEST_TIMEOUT_SECONDS),
    declared: true
  }
} as const satisfies Record<string, InputSpec>

export type InputName = keyof typeof INPUTS

export const OUTPUTS = [
  'backend',
  'previous',
  'health',
  'backend-id',
  'etag',
  'result',
  'reset-at',
  'results',
  'backends',
  'changes',
  'has-changes',
  'comment-url'
] as const

export const IF_EXISTS = ['fail', 'replace', 'skip'] as const
export const IF_MISSING = ['fail', 'ignore'] as const
export type IfMissing = (typeof IF_MISSING)[number]
export type IfExists = (typeof IF_EXISTS)[number]

export const AUTH_TYPES = [
  'auto',
  'oidc',
  'client-secret',
  'managed-identity',
  'azure-cli'
] as const
export type AuthType = (typeof AUTH_TYPES)[number]
/**
 * azure/login's auth-type values, accepted as it spells them (in any case, as it does):
 * SERVICE_PRINCIPAL signs in with the client secret when one is given and with OIDC otherwise,
 * IDENTITY with a managed identity.
 */
export const AZURE_LOGIN_AUTH_TYPES = ['SERVICE_PRINCIPAL', 'IDENTITY'] as const

export const PROTOCOLS = ['http', 'soap'] as const

/** The keys an item of `backends` may have: the step's backend inputs. */
export const BACKEND_ITEM_KEYS = [
  'backend-id',
  'url',
  'protocol',
  'title',
  'description',
  'resource-id',
  'skip-certificate-chain-validation',
  'skip-certificate-name-validation',
  'backend-credentials',
  'proxy',
  'service-fabric-cluster',
  'circuit-breaker',
  'pool',
  'if-exists',
  'time-until-reset'
] as const satisfies readonly InputName[]

export const MAX_BACKENDS = 1000

/**
 * Every bound on hostile sizes in one table, for the code and for evidence scripts that print
 * what was tried and what held. The per-input lengths and ranges are in INPUTS.
 */
export const LIMITS = {
  /** Characters of a single-value input. */
  scalarLength: SCALAR,
  /** Characters of a YAML/JSON input; bytes of the `backends` file. */
  documentLength: DOCUMENT,
  /** Nested lists and mappings in a YAML/JSON value; checked on the text before it is parsed. */
  depth: 64,
  /** Keys, items and scalars of a YAML/JSON value, counting what aliases repeat. */
  nodes: 100_000,
  /** Characters of a YAML/JSON value once its aliases are expanded. */
  expandedLength: 4 * DOCUMENT,
  /** Aliases (*name) in one YAML value: two for each of MAX_BACKENDS items. */
  aliases: 2 * MAX_BACKENDS,
  /**
   * Anchors (&name) and tags (!tag) in one YAML value, as many as aliases. The parser reports a
   * second tag of a value as an error, 13 µs apiece; 200 000 of them took 2.6 s.
   */
  properties: 2 * MAX_BACKENDS,
  /**
   * YAML tokens (values, punctuation, line breaks, comments) read before parsing: a 1 MiB list of
   * backends has about 370 000. The parser's time is proportional to them.
   */
  tokens: 500_000,
  /** The yaml package's own alias-bomb guard (uses of an anchor times the aliases inside it). */
  maxAliasCount: 100_000,
  /** Items of `backends`. */
  backends: MAX_BACKENDS,
  /**
   * Pages of one listing. A guess at "more than any service holds": no tier publishes a limit on
   * backends, but at the service's 100 backends a page this is a million backends, and even at
   * one a page, 10 000 reads take ARM's read budget (25 a second) over 6 minutes. A listing that
   * still has a nextLink here is following a broken or hostile service, and stops.
   */
  listPages: 10_000,
  /** Node's longest timer (2^31-1 ms); a longer one fires at once. */
  timerMs: 2 ** 31 - 1
} as const

/** The numeric inputs and their ranges. */
export const RANGED_INPUTS = (Object.keys(INPUTS) as InputName[]).filter(
  (name): name is RangedInput => 'range' in INPUTS[name]
)
export type RangedInput = {
  [K in InputName]: (typeof INPUTS)[K] extends { range: NumberRange } ? K : never
}[InputName]

/** One line per limit, for a report of what the action refuses: the limit, its value, why. */
export function limitTable(): { limit: string; value: string; why: string }[] {
  const size = (n: number) => (n % DOCUMENT === 0 ? `${n / DOCUMENT} MiB` : `${n / 1024} KiB`)
  return [
    { limit: 'single-value input', value: `${size(SCALAR)} (characters)`, why: 'refused unread' },
    {
      limit: 'YAML/JSON input, backends list or file',
      value: `${size(DOCUMENT)}`,
      why: 'refused before parsing (a file by its size, before it is read)'
    },
    {
      limit: 'YAML/JSON nesting',
      value: `${LIMITS.depth} levels`,
      why: 'counted on the text before parsing'
    },
    {
      limit: 'YAML/JSON values',
      value: `${LIMITS.nodes} (aliases expanded)`,
      why: 'counted on the text, then exactly'
    },
    {
      limit: 'YAML/JSON expanded size',
      value: `${size(LIMITS.expandedLength)} (characters)`,
      why: 'alias bombs'
    },
    { limit: 'YAML aliases', value: `${LIMITS.aliases}`, why: 'alias resolution time' },
    {
      limit: 'YAML anchors and tags',
      value: `${LIMITS.properties}`,
      why: 'parser time on repeated tags'
    },
    { limit: 'YAML tokens', value: `${LIMITS.tokens}`, why: 'parser time' },
    { limit: 'backends items', value: `${LIMITS.backends}`, why: 'one step, one write budget' },
    {
      limit: 'pages of a listing',
      value: `${LIMITS.listPages}`,
      why: 'a service that keeps linking to new pages (a page link seen before ends it at once)'
    },
    ...RANGED_INPUTS.map((name) => {
      const r: NumberRange = INPUTS[name].range
      return { limit: name, value: `${r.min} to ${r.max} ${r.unit}`, why: r.note }
    })
  ]
}
