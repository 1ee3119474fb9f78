// The action's inputs in one table: which operation each belongs to and whether its value is
// a secret. action.yml documents the same names; a unit test keeps the two in step.

export const OPERATIONS = ['create', 'reset'] as const
export type Operation = (typeof OPERATIONS)[number]

type Scope = 'all' | Operation[]

export interface InputSpec {
  /** The operations the input applies to; 'all' for target and sign-in inputs. */
  scope: Scope
}

export const INPUTS = {
  operation: { scope: 'all' },
  'subscription-id': { scope: 'all' },
  'resource-group': { scope: 'all' },
  'service-name': { scope: 'all' },
  'backend-id': { scope: 'all' },
  url: { scope: ['create', 'reset'] },
  protocol: { scope: ['create', 'reset'] },
  title: { scope: ['create'] },
  description: { scope: ['create'] },
  'resource-id': { scope: ['create'] },
  'skip-certificate-chain-validation': { scope: ['create'] },
  'skip-certificate-name-validation': { scope: ['create'] },
  'backend-credentials': { scope: ['create', 'reset'] },
  proxy: { scope: ['create', 'reset'] },
  'service-fabric-cluster': { scope: ['create'] },
  'if-exists': { scope: ['create'] },
  'time-until-reset': { scope: ['reset'] },
  backend: { scope: ['reset'] },
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

export const OUTPUTS = ['backend', 'backend-id', 'etag', 'result', 'reset-at', 'results'] as const

export const IF_EXISTS = ['fail', 'replace', 'skip'] as const
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
