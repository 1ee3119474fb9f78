// The shapes of the YAML/JSON inputs, as zod schemas of the REST shapes (apim-spec 2024-05-01),
// the check that names the paths of what does not fit, and where each input holds secrets.
import { z } from 'zod'
import { InputError, msg } from '../messages.js'
import { secretValues } from '../secret-fields.js'

/** Validate a parsed value; the first problems become one InputError naming their paths. */
export function checkShape<T extends z.ZodType>(
  input: string,
  schema: T,
  value: unknown
): z.output<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) =>
      msg.badShape(issue.path.join('.'), describeIssue(issue, valueAt(value, issue.path)))
    )
  throw new InputError(input, problems.join('; '))
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value
  for (const key of path)
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined
  return v
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))
    return 'is required'
  // A message the schema set itself says more than the generic one.
  if (!/^(Too (big|small)|Invalid)/.test(issue.message)) return issue.message
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(issue.expected)}`
    case 'invalid_union':
      return 'expected a string or a list of strings'
    case 'invalid_key':
      return issue.issues[0]?.message ?? issue.message
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} items are accepted`
        : `at most ${issue.maximum} characters are accepted`
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} item is required`
        : 'must not be empty'
    default:
      return issue.message
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    record: 'a mapping',
    array: 'a list',
    string: 'a string'
  }
  return names[expected] ?? expected
}

/** A strict mapping: unknown keys are named, with the accepted ones. */
export function strict<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}; accepted: ${Object.keys(shape).join(', ')}`
        : undefined
  })
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const NO_LINE_BREAKS = /^[^\r\n\u0000]*$/

const text = (min: number, max: number) => z.string().min(min).max(max)
/** A single string where a list is expected is a one-item list. */
const oneOrMany = (item: z.ZodType<string>, max = Infinity) =>
  z
    .union([item, z.array(item)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string()).max(max))
const headerValue = z.string().regex(NO_LINE_BREAKS, 'line breaks are not accepted in a value')
const valueMap = (what: string) =>
  z.record(z.string().regex(HEADER_NAME, `is not a valid ${what} name`), oneOrMany(headerValue))
const absoluteUrl = z
  .string()
  .max(2000)
  .refine(
    (v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v),
    'expected an absolute http:// or https:// URL'
  )
const integer = z
  .string()
  .regex(/^\d{1,9}$/, 'expected a whole number')
  .transform(Number)

/** ISO 8601 durations such as PT30S, PT1M, P1DT2H. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/
const duration = z
  .string()
  .regex(ISO_DURATION, 'expected an ISO 8601 duration such as PT30S or PT1M')
const boolText = z
  .string()
  .regex(/^(true|false)$/i, 'expected true or false')
  .transform((v) => v.toLowerCase() === 'true')
const ranged = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a number from ${min} to ${max}`)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const credentialsSchema = strict({
  authorization: strict({ scheme: text(1, 100), parameter: text(1, 300) }).optional(),
  header: valueMap('header').optional(),
  query: valueMap('query parameter').optional(),
  certificate: oneOrMany(text(1, 2000), 32).optional(),
  certificateIds: oneOrMany(text(1, 2000), 32).optional(),
  // Accepted by the service, missing from the stable spec (and so dropped by the SDK: see
  // azure/managed-identity-policy.ts): the backend signs in to the target with APIM's identity.
  managedIdentity: strict({
    resource: text(1, 2000),
    clientId: z
      .string()
      .regex(UUID, 'expected a UUID (a user-assigned identity of the service)')
      .optional()
  }).optional()
})

/** circuit-breaker: the REST shape; the service accepts exactly one rule. */
export const circuitBreakerSchema = strict({
  rules: z
    .array(
      strict({
        name: text(1, 200),
        failureCondition: strict({
          count: ranged(1, 1_000_000).optional(),
          percentage: ranged(1, 100).optional(),
          interval: duration,
          statusCodeRanges: z
            .array(
              strict({ min: ranged(200, 599), max: ranged(200, 599) }).refine(
                (r) => r.min <= r.max,
                'min must not be above max'
              )
            )
            .max(10)
            .optional(),
          errorReasons: oneOrMany(text(1, 200), 10).optional()
        }).refine(
          (f) => f.count !== undefined || f.percentage !== undefined,
          'give count or percentage'
        ),
        tripDuration: duration,
        acceptRetryAfter: boolText.optional()
      })
    )
    .min(1)
    .max(1, 'the service accepts exactly one rule')
})

/** pool: backend ids (or ARM ids of backends of the same service), with weight and priority. */
export const poolSchema = z
  .array(
    z.union([
      text(1, 2000).transform((id) => ({ id })),
      strict({
        id: text(1, 2000),
        weight: ranged(0, 100).optional(),
        priority: ranged(0, 100).optional()
      })
    ])
  )
  .min(1)
  .max(30, 'at most 30 backends are accepted in a pool')

export const proxySchema = strict({
  url: absoluteUrl,
  username: text(1, 2000).optional(),
  password: text(1, 2000).optional()
})

export const serviceFabricSchema = strict({
  managementEndpoints: oneOrMany(absoluteUrl).pipe(z.array(z.string()).min(1)),
  clientCertificateId: text(1, 2000).optional(),
  clientCertificatethumbprint: text(1, 2000).optional(),
  maxPartitionResolutionRetries: integer.optional(),
  serverCertificateThumbprints: oneOrMany(text(1, 2000)).optional(),
  serverX509Names: z
    .array(strict({ name: text(1, 2000), issuerCertificateThumbprint: text(1, 2000).optional() }))
    .optional()
})

/** Keys `az ad sp create-for-rbac --sdk-auth` writes that this action does not need. */
const SDK_AUTH_EXTRAS = [
  'activeDirectoryEndpointUrl',
  'resourceManagerEndpointUrl',
  'activeDirectoryGraphResourceId',
  'sqlManagementEndpointUrl',
  'galleryEndpointUrl',
  'managementEndpointUrl'
] as const

export const credsSchema = strict({
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  tenantId: z.string().optional(),
  subscriptionId: z.string().optional(),
  ...Object.fromEntries(SDK_AUTH_EXTRAS.map((k) => [k, z.string().optional()]))
})

/** Of an earlier `backend` output only the ARM id is read. */
/** switch's health-headers: header name → one value (each value is a secret). */
export const healthHeadersSchema = z.record(
  z.string().regex(HEADER_NAME, 'is not a valid header name'),
  headerValue
)

export const backendOutputSchema = z.looseObject({ id: z.string() })

/** The secret-bearing leaves of backend-credentials, proxy and creds, read before validation. */
export function secretLeaves(value: unknown, kind: 'credentials' | 'proxy' | 'creds'): string[] {
  if (!value || typeof value !== 'object') return []
  if (kind !== 'creds') return secretValues(value, [kind])
  const secret = (value as Record<string, unknown>).clientSecret
  return typeof secret === 'string' ? [secret] : []
}
