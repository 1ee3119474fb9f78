// operation: export — a backend as the service lists it (the ARM body) turned into an item of a
// backends file: the inverse of how the `backends` input's item keys become a PUT body
// (input-rules/backend-fields.ts, structured/schemas.ts), so that `plan` reads the item back as
// the backend it came from. What plan treats as absent (an explicit null, an empty list or map,
// `type: Single`, a TLS flag at true) is left out (diff.ts `meaning`), and each secret — by place,
// as secret-fields.ts says — becomes a `${NAME}` reference; every other `${` is written `$${`.
import { backendIdOf, type ArmBackend } from '../../azure/backend-json.js'
import { mapUrlParts, type UrlSecretPart } from '../../secret-fields.js'
import { asInputs, meaning } from '../shared/diff.js'
import type { SecretNames } from './secret-names.js'
import type { SecretReference } from './types.js'

export interface ExportedItem {
  backendId: string
  /** The item, its keys in BACKEND_ITEM_KEYS order. */
  item: Record<string, unknown>
  /** The references it holds, in the order they appear. */
  secrets: SecretReference[]
  /** Fields of the backend no item key can hold (a newer api-version's), left out of the item. */
  leftOut: string[]
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A literal string of the file: `${` written as the file's escape, `$${`. */
// (A function, not the string '$${': in a replacement string `$$` is one `$`.)
export const literal = (text: string): string => text.replaceAll('${', () => '$${')

/** Each value of a list, or a single value as a one-item list. */
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])

/**
 * The item for one listed backend. `serviceId` is the ARM id of the service as the step names
 * it: a pool member under it is written as its backend id. `names` gives the variable names,
 * unique across the file.
 */
export function toItem(backend: ArmBackend, serviceId: string, names: SecretNames): ExportedItem {
  const backendId = backendIdOf(backend)
  const props = meaning(asInputs(backend.properties ?? {})) as Record<string, unknown>
  const secrets: SecretReference[] = []
  const leftOut: string[] = []

  const reference = (place: string[], field: string): string => {
    const name = names.take(backendId, place)
    secrets.push({ name, backendId, field })
    return `\${${name}}`
  }
  /** A URL with its userinfo and key parameters as references, the rest literal. */
  const url = (value: string, place: string[], field: string): string =>
    mapUrlParts(value, literal, (part: UrlSecretPart) =>
      part.kind === 'userinfo'
        ? reference([...place, 'userinfo'], `${field} (userinfo)`)
        : reference([...place, part.parameter], `${field} (parameter ${part.parameter})`)
    )
  /** The keys of `from` that `known` names, each made by its function; the others left out. */
  const pick = (
    from: Record<string, unknown>,
    at: string,
    known: Record<string, (v: unknown) => unknown>
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(from)) {
      if (k in known) out[k] = known[k](v)
      else leftOut.push(`${at}.${k}`)
    }
    return out
  }
  const text = (v: unknown) => (typeof v === 'string' ? literal(v) : v)
  const texts = (v: unknown) => listOf(v).map(text)
  const same = (v: unknown) => v

  const item: Record<string, unknown> = { 'backend-id': literal(backendId) }
  const handled = new Set<string>()
  const take = (key: string) => {
    handled.add(key)
    return props[key]
  }

  const runtimeUrl = take('url')
  if (typeof runtimeUrl === 'string') item.url = url(runtimeUrl, ['url'], 'url')
  for (const [key, field] of [
    ['protocol', 'protocol'],
    ['title', 'title'],
    ['description', 'description']
  ] as const) {
    const v = take(key)
    if (typeof v === 'string') item[field] = literal(v)
  }
  const resourceId = take('resourceId')
  if (typeof resourceId === 'string')
    item['resource-id'] = url(resourceId, ['resource-id'], 'resource-id')

  const tls = take('tls')
  if (isObject(tls)) {
    // Only a flag at false is left by `meaning`: true is the service's default.
    const flags = pick(tls, 'tls', {
      validateCertificateChain: same,
      validateCertificateName: same
    })
    if (flags.validateCertificateChain === false) item['skip-certificate-chain-validation'] = 'true'
    if (flags.validateCertificateName === false) item['skip-certificate-name-validation'] = 'true'
  }

  const credentials = take('credentials')
  if (isObject(credentials)) {
    const values = (kind: 'header' | 'query') => (map: unknown) =>
      isObject(map)
        ? Object.fromEntries(
            Object.entries(map).map(([name, v]) => {
              const list = listOf(v)
              const refs = list.map((_, i) =>
                reference(
                  list.length === 1 ? [kind, name] : [kind, name, String(i + 1)],
                  `backend-credentials.${kind}.${name}${list.length === 1 ? '' : `[${i}]`}`
                )
              )
              return [name, refs.length === 1 ? refs[0] : refs]
            })
          )
        : map
    item['backend-credentials'] = pick(credentials, 'credentials', {
      header: values('header'),
      query: values('query'),
      authorization: (v) =>
        isObject(v)
          ? pick(v, 'credentials.authorization', {
              scheme: text,
              parameter: () =>
                reference(['authorization'], 'backend-credentials.authorization.parameter')
            })
          : v,
      certificate: texts,
      certificateIds: texts,
      managedIdentity: (v) =>
        isObject(v) ? pick(v, 'credentials.managedIdentity', { resource: text, clientId: text }) : v
    })
  }

  const proxy = take('proxy')
  if (isObject(proxy))
    item.proxy = pick(proxy, 'proxy', {
      url: (v) => (typeof v === 'string' ? url(v, ['proxy', 'url'], 'proxy.url') : v),
      username: text,
      password: () => reference(['proxy', 'password'], 'proxy.password')
    })

  const nested = take('properties')
  if (isObject(nested)) {
    const { serviceFabricCluster: cluster, ...others } = nested
    for (const k of Object.keys(others)) leftOut.push(`properties.${k}`)
    if (isObject(cluster))
      item['service-fabric-cluster'] = pick(cluster, 'properties.serviceFabricCluster', {
        managementEndpoints: (v) => {
          const list = listOf(v)
          return list.map((e, i) =>
            typeof e === 'string'
              ? url(
                  e,
                  list.length === 1
                    ? ['management-endpoint']
                    : ['management-endpoint', String(i + 1)],
                  `service-fabric-cluster.managementEndpoints[${i}]`
                )
              : e
          )
        },
        clientCertificateId: text,
        clientCertificatethumbprint: text,
        maxPartitionResolutionRetries: same,
        serverCertificateThumbprints: texts,
        serverX509Names: (v) =>
          listOf(v).map((x) =>
            isObject(x)
              ? pick(x, 'properties.serviceFabricCluster.serverX509Names', {
                  name: text,
                  issuerCertificateThumbprint: text
                })
              : x
          )
      })
  }

  const breaker = take('circuitBreaker')
  if (isObject(breaker))
    item['circuit-breaker'] = pick(breaker, 'circuitBreaker', {
      rules: (rules) =>
        listOf(rules).map((rule) =>
          isObject(rule)
            ? pick(rule, 'circuitBreaker.rules', {
                name: text,
                failureCondition: (c) =>
                  isObject(c)
                    ? pick(c, 'circuitBreaker.rules.failureCondition', {
                        count: same,
                        percentage: same,
                        interval: text,
                        statusCodeRanges: (ranges) =>
                          listOf(ranges).map((r) =>
                            isObject(r)
                              ? pick(r, 'circuitBreaker.rules.failureCondition.statusCodeRanges', {
                                  min: same,
                                  max: same
                                })
                              : r
                          ),
                        errorReasons: texts
                      })
                    : c,
                tripDuration: text,
                acceptRetryAfter: same
              })
            : rule
        )
    })

  const pool = take('pool')
  const type = take('type')
  if (isObject(pool)) {
    const members = pick(pool, 'pool', { services: same }).services
    if (members !== undefined)
      item.pool = listOf(members).map((m) => {
        if (!isObject(m)) return m
        const member = pick(m, 'pool.services', { id: same, weight: same, priority: same })
        const id =
          typeof member.id === 'string' ? literal(memberId(member.id, serviceId)) : member.id
        return Object.keys(member).length === 1 ? id : { ...member, id }
      })
  }
  // `pool` makes the item a Pool; any other type has no key.
  if (type !== undefined && !(type === 'Pool' && item.pool !== undefined)) leftOut.push('type')

  for (const k of Object.keys(props)) if (!handled.has(k)) leftOut.push(k)
  // A mapping whose every key was left out is no key at all.
  for (const [k, v] of Object.entries(item))
    if (isObject(v) && Object.keys(v).length === 0) delete item[k]
  return { backendId, item, secrets, leftOut }
}

/**
 * A pool member as the `pool` key takes it: the backend id when it is a backend of the service
 * spelt exactly as the step names it (plan makes the same ARM id of it again), else the ARM id
 * as the service holds it.
 */
export function memberId(armId: string, serviceId: string): string {
  const prefix = `${serviceId}/backends/`
  const rest = armId.startsWith(prefix) ? armId.slice(prefix.length) : ''
  return rest !== '' && !rest.includes('/') ? rest : armId
}
