// The ARM error envelope as the live service sends it: `{error: {code, message, details[]}}`,
// where the reason of a 400 is only in `details` (docs/backend-contract.md "Real traffic"), and
// each detail's `target` names the body field — mapped here to the input that sets it.
/** One entry of an ARM error's `details` (nested entries flattened). */
export interface ArmErrorDetail {
  code?: string
  target?: string
  message?: string
}

export interface ArmErrorBody {
  code?: string
  message?: string
  details: ArmErrorDetail[]
}

/**
 * The ARM error envelope, when a body has one: `{"error":{code, message, details[]}}` (some
 * services leave out the `error` wrapper). The reason of a 400 is often only in `details`,
 * which may also be absent, `null`, or nested.
 */
export function parseArmError(text: string | null | undefined): ArmErrorBody | undefined {
  let body: unknown
  try {
    body = JSON.parse(text ?? '')
  } catch {
    return undefined
  }
  if (!body || typeof body !== 'object') return undefined
  const o = body as { error?: unknown; code?: unknown; message?: unknown }
  const error = o.error && typeof o.error === 'object' ? o.error : o.code ? o : undefined
  if (!error) return undefined
  const e = error as { code?: unknown; message?: unknown; details?: unknown }
  return { code: str(e.code), message: str(e.message), details: flattenDetails(e.details, 0) }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
}

function flattenDetails(details: unknown, depth: number): ArmErrorDetail[] {
  if (!Array.isArray(details) || depth > 4) return []
  return details.flatMap((d: unknown) => {
    if (!d || typeof d !== 'object') return []
    const o = d as { code?: unknown; target?: unknown; message?: unknown; details?: unknown }
    const own = { code: str(o.code), target: str(o.target), message: str(o.message) }
    const nested = flattenDetails(o.details, depth + 1)
    // A detail that only groups others adds nothing of its own.
    return own.message || own.target || nested.length === 0 ? [own, ...nested] : nested
  })
}

/** The body field an ARM target names, mapped to the input that sets it. */
const TARGET_INPUTS: Record<string, string> = {
  resourceid: 'resource-id',
  url: 'url',
  protocol: 'protocol',
  title: 'title',
  description: 'description',
  credentials: 'backend-credentials',
  proxy: 'proxy',
  pool: 'pool',
  circuitbreaker: 'circuit-breaker',
  servicefabriccluster: 'service-fabric-cluster',
  after: 'time-until-reset'
}

const TLS_INPUTS: Record<string, string> = {
  validatecertificatechain: 'skip-certificate-chain-validation',
  validatecertificatename: 'skip-certificate-name-validation'
}

/**
 * The action input that sets the field an ARM `target` names ("resourceId",
 * "properties.credentials.header", "Proxy.Url", "tls.validateCertificateName" …), case and a
 * leading `properties.` ignored; undefined when no input sets it.
 */
export function inputOfTarget(target: string | undefined): string | undefined {
  if (!target) return undefined
  const path = target
    .trim()
    .replace(/^[$#]?[./]*/, '')
    .split(/[./[\]]+/)
    .filter(Boolean)
    .map((s) => s.toLowerCase())
  while (path.length > 0 && ['properties', 'parameters', 'body'].includes(path[0])) path.shift()
  const [first, second] = path
  if (first === 'tls')
    return (
      TLS_INPUTS[second ?? ''] ??
      'skip-certificate-chain-validation / skip-certificate-name-validation'
    )
  return first === undefined ? undefined : TARGET_INPUTS[first]
}

/** An ARM error's details as one clause: "resourceId (input resource-id): Value should …". */
export function describeDetails(details: ArmErrorDetail[], topCode: string | undefined): string {
  return details
    .map((d) => {
      const input = inputOfTarget(d.target)
      const code = d.code && d.code !== topCode ? d.code : undefined
      const where = d.target ? `${d.target}${input ? ` (input ${input})` : ''}` : ''
      const head = [code, where].filter(Boolean).join(' at ')
      const message = (d.message ?? '').replace(/[.\s]+$/, '')
      return head ? `${head}${message ? `: ${message}` : ''}` : message
    })
    .filter(Boolean)
    .join('; ')
}

/** The inputs the details of an error name, each once. */
export function inputsOf(details: ArmErrorDetail[]): string[] {
  return [...new Set(details.map((d) => inputOfTarget(d.target)).filter((i) => i !== undefined))]
}
