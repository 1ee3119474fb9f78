// What the service assumes for a field left out, and the one object it wants whole because of
// it. Both the comparisons (diff.ts: a field at its default is a field left out) and the bodies a
// write sends (create's PUT, planPatch's PATCH) read this module.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The TLS flags and the value the service gives a flag left out (apim-spec 2024-05-01: "default": true). */
export const TLS_DEFAULTS = { validateCertificateChain: true, validateCertificateName: true }

/**
 * Is `value` the spec's default at `path` (inside a backend's properties)? `type: Single`
 * (a backend without `type` is Single) and the TLS flags at true.
 */
export function isServiceDefault(path: readonly string[], value: unknown): boolean {
  const at = path.join('.')
  if (at === 'type') return typeof value === 'string' && value.toLowerCase() === 'single'
  if (at === 'tls.validateCertificateChain' || at === 'tls.validateCertificateName')
    return value === true
  return false
}

/**
 * `properties` with a `tls` object that carries both flags: the live service refuses a `tls` with
 * one flag since February 2026 (400 ValidationError, target `tls.validateCertificateName`,
 * "Default backend property required": Azure/azure-powershell#29209, where the cmdlet sent only
 * the flag it was given). A flag not given takes the service's default, which is also what a
 * backend without that flag holds: so on a create it is the default, and on an update built from
 * the backend as read (planPatch) it is the backend's current value. Other nested objects need no
 * such filling: those the service wants whole have spec-required fields (authorization's scheme
 * and parameter, proxy's url, the Service Fabric cluster's managementEndpoints, a pool member's
 * id), which the input schemas require, and a PATCH sends each object it touches whole.
 */
export function withWholeTls<T extends object>(properties: T): T {
  const tls = (properties as { tls?: unknown }).tls
  if (!isObject(tls)) return properties
  const whole: Record<string, unknown> = { ...tls }
  for (const [flag, fallback] of Object.entries(TLS_DEFAULTS))
    if (whole[flag] === undefined || whole[flag] === null) whole[flag] = fallback
  return { ...properties, tls: whole }
}

/**
 * A `tls` holding one flag only: stored before the service began refusing it, it must be sent
 * whole with any later write, so what the write leaves behind is a backend the service accepts.
 */
export function isPartialTls(tls: unknown): boolean {
  if (!isObject(tls)) return false
  return Object.keys(TLS_DEFAULTS).filter((flag) => tls[flag] != null).length === 1
}
