// The action's inputs in one table: which operation each belongs to and whether its value is
// a secret. action.yml documents the same names; a unit test keeps the two in step.

export const OPERATIONS = ['create', 'reset', 'get', 'update', 'delete', 'list'] as const
export type Operation = (typeof OPERATIONS)[number]

type Scope = 'all' | Operation[]

export interface InputSpec {
  /** The operations the input applies to; 'all' for target and sign-in inputs. */
  scope: Scope
}

const ONE_BACKEND: Operation[] = ['create', 'reset', 'get', 'update', 'delete']
const WRITES_FIELDS: Operation[] = ['create', 'update']
const CONNECTION: Operation[] = ['create', 'reset', 'update']

export const INPUTS = {
  operation: { scope: 'all' },
  'subscription-id': { scope: 'all' },
  'resource-group': { scope: 'all' },
  'service-name': { scope: 'all' },
  'backend-id': { scope: ONE_BACKEND },
  url: { scope: CONNECTION },
  protocol: { scope: CONNECTION },
  title: { scope: WRITES_FIELDS },
  description: { scope: WRITES_FIELDS },
  'resource-id': { scope: WRITES_FIELDS },
  'skip-certificate-chain-validation': { scope: WRITES_FIELDS },
  'skip-certificate-name-validation': { scope: WRITES_FIELDS },
  'backend-credentials': { scope: CONNECTION },
  proxy: { scope: CONNECTION },
  'service-fabric-cluster': { scope: WRITES_FIELDS },
  'circuit-breaker': { scope: WRITES_FIELDS },
  pool: { scope: WRITES_FIELDS },
  'if-exists': { scope: ['create'] },
  'if-missing': { scope: ['get', 'delete'] },
  'time-until-reset': { scope: ['reset'] },
  wait: { scope: ['reset'] },
  'what-if': { scope: ['create', 'update', 'delete', 'reset'] },
  filter: { scope: ['list'] },
  backend: { scope: ['reset', 'get', 'update', 'delete'] },
  backends: { scope: ['create', 'reset'] },
  'max-parallel': { scope: ['create', 'reset'] },
  'auth-type': { scope: 'all' },
  'client-id': { scope: 'all' },
  'tenant-id': { scope: 'all' },
  'client-secret': { scope: 'all' },
  creds: { scope: 'all' },
  audience: { scope: 'all' },
  'arm-endpoint': { scope: 'all' },
  'authority-host': { scope: 'all' },
  environment: { scope: 'all' },
  'timeout-seconds': { scope: 'all' },
  'max-wait-seconds': { scope: 'all' },
  'request-timeout-seconds': { scope: 'all' }
} as const satisfies Record<string, InputSpec>

export type InputName = keyof typeof INPUTS

export const OUTPUTS = [
  'backend',
  'backend-id',
  'etag',
  'result',
  'reset-at',
  'results',
  'backends',
  'changes'
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

export const PROTOCOLS = ['http', 'soap'] as const

/** The service's reconnect delay when no `after` is sent. */
export const DEFAULT_RESET_SECONDS = 120

/** Time limits: the whole step, one wait that Azure asks for, one request attempt. */
export const DEFAULT_TIMEOUT_SECONDS = 300
export const DEFAULT_MAX_WAIT_SECONDS = 120
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30
/** Retries after the first attempt, as the SDK's default. */
export const MAX_RETRIES = 3

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
  'if-exists',
  'time-until-reset'
] as const satisfies readonly InputName[]

export const DEFAULT_MAX_PARALLEL = 8
export const MAX_BACKENDS = 1000
