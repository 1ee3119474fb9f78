// Validates a backend's `properties` against the 2024-05-01 contract (see docs/backend-contract.md):
// a small declarative table walked by one function, so every field gets the same treatment.
// Each problem is one detail of APIM's ValidationError envelope, its target the body field.
// Texts quoted from the live service carry their source; guess: every other text reads like
// the .NET DataAnnotations messages APIM is built on, but none of them has been recorded.
import type { ErrorDetail } from './arm-errors.js'
import { isObject } from './http.js'

type Rule =
  | {
      kind: 'string'
      min?: number
      max?: number
      oneOf?: string[]
      /** the text when the value is not in oneOf */
      notOneOf?: string
      /** must be an absolute http(s) URL */
      httpUrl?: boolean
    }
  | { kind: 'boolean' }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'duration' }
  | { kind: 'array'; of: Rule; minItems?: number; maxItems?: number }
  | { kind: 'map'; of: Rule }
  | { kind: 'object'; fields: Record<string, Field>; open?: boolean }

type Field = Rule & { required?: boolean }

const str = (min?: number, max?: number): Rule => ({ kind: 'string', min, max })
const strings = (maxItems?: number): Rule => ({ kind: 'array', of: str(), maxItems })
const int = (min?: number, max?: number): Rule => ({ kind: 'integer', min, max })
const required = (rule: Rule): Field => ({ ...rule, required: true })

const properties: Rule = {
  kind: 'object',
  fields: {
    url: str(1, 2000),
    // Recorded: 'https' answers target protocol "Protocol is not supported" (Azure/bicep#14093).
    protocol: { kind: 'string', oneOf: ['http', 'soap'], notOneOf: 'Protocol is not supported' },
    type: { kind: 'string', oneOf: ['Single', 'Pool'] },
    title: str(1, 300),
    description: str(1, 2000),
    // Recorded: an ARM id (/subscriptions/…) answers target resourceId "Value should represent
    // absolute http URL" (Azure/azure-powershell#16868, hashicorp/terraform-provider-azurerm#21047);
    // https://management.azure.com + the id is accepted (Azure/azure-rest-api-specs#29531).
    resourceId: { kind: 'string', min: 1, max: 2000, httpUrl: true },
    properties: {
      kind: 'object',
      fields: {
        serviceFabricCluster: {
          kind: 'object',
          fields: {
            managementEndpoints: required(strings()),
            clientCertificateId: str(),
            clientCertificatethumbprint: str(),
            maxPartitionResolutionRetries: int(),
            serverCertificateThumbprints: strings(),
            serverX509Names: {
              kind: 'array',
              of: {
                kind: 'object',
                fields: { name: str(), issuerCertificateThumbprint: str() }
              }
            }
          }
        }
      }
    },
    credentials: {
      kind: 'object',
      fields: {
        certificateIds: strings(32),
        certificate: strings(32),
        query: { kind: 'map', of: strings() },
        header: { kind: 'map', of: strings() },
        authorization: {
          kind: 'object',
          fields: { scheme: required(str(1, 100)), parameter: required(str(1, 300)) }
        },
        // Accepted by the service though missing from the stable spec: kept as sent.
        managedIdentity: { kind: 'object', fields: {}, open: true }
      }
    },
    proxy: {
      kind: 'object',
      fields: { url: required(str(1, 2000)), username: str(), password: str() }
    },
    tls: {
      kind: 'object',
      fields: {
        validateCertificateChain: { kind: 'boolean' },
        validateCertificateName: { kind: 'boolean' }
      }
    },
    circuitBreaker: {
      kind: 'object',
      fields: {
        rules: {
          kind: 'array',
          maxItems: 15,
          of: {
            kind: 'object',
            fields: {
              name: str(),
              failureCondition: {
                kind: 'object',
                fields: {
                  count: int(),
                  percentage: int(),
                  interval: { kind: 'duration' },
                  statusCodeRanges: {
                    kind: 'array',
                    maxItems: 10,
                    of: {
                      kind: 'object',
                      fields: { min: int(200, 599), max: int(200, 599) }
                    }
                  },
                  errorReasons: { kind: 'array', maxItems: 10, of: str(undefined, 200) }
                }
              },
              tripDuration: { kind: 'duration' },
              acceptRetryAfter: { kind: 'boolean' }
            }
          }
        }
      }
    },
    pool: {
      kind: 'object',
      fields: {
        services: {
          kind: 'array',
          minItems: 1,
          of: {
            kind: 'object',
            fields: { id: required(str(1)), weight: int(0, 100), priority: int(0, 100) }
          }
        }
      }
    }
  }
}

export interface ValidationResult {
  errors: ErrorDetail[]
  /** dotted paths of keys the contract does not know; accepted and stored as sent */
  unknownKeys: string[]
}

// ISO 8601 duration as .NET's XmlConvert.ToTimeSpan reads it (no years/months mixed with weeks).
const DURATION =
  /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/

export function isIsoDuration(value: string): boolean {
  return DURATION.test(value)
}

export interface ValidationScope {
  /** whether a pool member's ARM id names an existing backend of the same service or workspace */
  backendExists: (armId: string) => boolean
  /**
   * A workspace backend's ARM id prefix (`…/service/{s}/workspaces/{w}`): its certificate ids
   * must name certificates under it (`…/workspaces/{w}/certificates/{id}`). Undefined for a
   * service backend, whose certificate ids are not checked.
   */
  workspaceId?: string
}

/** Checks a backend's full `properties` (after a PATCH has been merged in). */
export function validateBackendProperties(
  props: unknown,
  scope: ValidationScope
): ValidationResult {
  const result: ValidationResult = { errors: [], unknownKeys: [] }
  if (!isObject(props)) {
    result.errors.push(detail('properties', 'The properties field is required.'))
    return result
  }
  check(props, properties, '', result)

  const type = props.type ?? 'Single'
  if (type === 'Pool') {
    // Recorded: one detail per field, "Url is not supported for backend pool." and "Protocol is
    // not supported for backend pool." (MicrosoftDocs/azure-docs#122455).
    if (present(props.url))
      result.errors.push(detail('url', 'Url is not supported for backend pool.'))
    if (present(props.protocol)) {
      result.errors.push(detail('protocol', 'Protocol is not supported for backend pool.'))
    }
    // guess: the texts of the pool rules below.
    if (!present(props.pool)) {
      result.errors.push(detail('pool', "The pool field is required for a backend of type 'Pool'."))
    } else if (isObject(props.pool) && !present(props.pool.services)) {
      result.errors.push(detail('pool.services', 'The pool.services field is required.'))
    }
  } else if (type === 'Single') {
    // guess: url and protocol required on a Single backend (the spec's `required`), texts too.
    for (const key of ['url', 'protocol'] as const) {
      if (!present(props[key])) result.errors.push(detail(key, `The ${key} field is required.`))
    }
    if (present(props.pool)) {
      result.errors.push(
        detail('pool', "The pool field is only allowed for a backend of type 'Pool'.")
      )
    }
  }

  checkWholeTls(props.tls, result)
  checkCircuitBreaker(props, result)
  checkPoolMembers(props, scope.backendExists, result)
  if (scope.workspaceId !== undefined) checkWorkspaceCertificates(props, scope.workspaceId, result)
  return result
}

/**
 * A `tls` object must carry both flags. Since February 2026 the live service refuses one with a
 * single flag: a body with only `validateCertificateChain` answered 400 ValidationError, detail
 * target `tls.validateCertificateName`, "Default backend property required" (Azure/azure-powershell
 * #29209, New-AzApiManagementBackend, 2026-02-26). guess: the mirror case (only
 * `validateCertificateName`) names `tls.validateCertificateChain` with the same text; an explicit
 * null counts as missing. Checked on a PUT's body, on the backend a PATCH leaves behind, and on a
 * PATCH's own `tls` (see wholeTlsInPatch).
 */
export function checkWholeTls(tls: unknown, result: ValidationResult): void {
  if (!isObject(tls)) return
  const flags = ['validateCertificateChain', 'validateCertificateName'] as const
  const given = flags.filter((f) => present(tls[f]))
  if (given.length !== 1) return
  const missing = flags.find((f) => !given.includes(f))!
  result.errors.push(detail(`tls.${missing}`, 'Default backend property required'))
}

function check(value: unknown, rule: Field, path: string, result: ValidationResult): void {
  const name = path || 'properties'
  const fail = (message: string) => result.errors.push(detail(name, message))
  switch (rule.kind) {
    case 'string':
      if (typeof value !== 'string') return void fail(`The field ${name} must be a string.`)
      if (rule.oneOf && !rule.oneOf.includes(value)) {
        return void fail(
          rule.notOneOf ??
            `The value '${value}' is not valid for ${name}. Supported values are: ${rule.oneOf.map((v) => `'${v}'`).join(', ')}.`
        )
      }
      if (
        (rule.min !== undefined && value.length < rule.min) ||
        (rule.max !== undefined && value.length > rule.max)
      ) {
        return void fail(lengthMessage(name, rule.min, rule.max))
      }
      if (rule.httpUrl && !isAbsoluteHttpUrl(value))
        fail('Value should represent absolute http URL')
      return
    case 'boolean':
      if (typeof value !== 'boolean') fail(`The field ${name} must be a boolean.`)
      return
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return void fail(`The field ${name} must be an integer.`)
      }
      if (
        (rule.min !== undefined && value < rule.min) ||
        (rule.max !== undefined && value > rule.max)
      ) {
        fail(
          `The field ${name} must be between ${rule.min ?? '-2147483648'} and ${rule.max ?? '2147483647'}.`
        )
      }
      return
    case 'duration':
      if (typeof value !== 'string' || !isIsoDuration(value)) {
        fail(`The value '${String(value)}' of ${name} is not a valid ISO 8601 duration.`)
      }
      return
    case 'array':
      if (!Array.isArray(value)) return void fail(`The field ${name} must be an array.`)
      if (rule.maxItems !== undefined && value.length > rule.maxItems) {
        fail(
          `The field ${name} must be a string or array type with a maximum length of '${rule.maxItems}'.`
        )
      }
      if (rule.minItems !== undefined && value.length < rule.minItems) {
        fail(
          `The field ${name} must be a string or array type with a minimum length of '${rule.minItems}'.`
        )
      }
      value.forEach((item, i) => check(item, rule.of, `${name}[${i}]`, result))
      return
    case 'map':
      if (!isObject(value)) return void fail(`The field ${name} must be an object.`)
      for (const [key, item] of Object.entries(value))
        check(item, rule.of, `${name}.${key}`, result)
      return
    case 'object': {
      if (!isObject(value)) return void fail(`The field ${name} must be an object.`)
      for (const [key, field] of Object.entries(rule.fields)) {
        const child = path ? `${path}.${key}` : key
        if (present(value[key])) check(value[key], field, child, result)
        else if (field.required)
          result.errors.push(detail(child, `The ${child} field is required.`))
      }
      if (!rule.open) {
        for (const key of Object.keys(value)) {
          if (!(key in rule.fields)) result.unknownKeys.push(path ? `${path}.${key}` : key)
        }
      }
    }
  }
}

function checkCircuitBreaker(props: Record<string, unknown>, result: ValidationResult): void {
  const rules = isObject(props.circuitBreaker) ? props.circuitBreaker.rules : undefined
  if (!Array.isArray(rules)) return
  // The schema allows 15 rules; the service accepts one (docs/backend-contract.md). guess: the text.
  if (rules.length > 1) {
    result.errors.push(
      detail('circuitBreaker.rules', 'Only one circuit breaker rule is supported per backend.')
    )
  }
  rules.forEach((rule, i) => {
    const ranges =
      isObject(rule) && isObject(rule.failureCondition)
        ? rule.failureCondition.statusCodeRanges
        : undefined
    if (!Array.isArray(ranges)) return
    ranges.forEach((range, j) => {
      if (
        isObject(range) &&
        typeof range.min === 'number' &&
        typeof range.max === 'number' &&
        range.min > range.max
      ) {
        result.errors.push(
          detail(
            `circuitBreaker.rules[${i}].failureCondition.statusCodeRanges[${j}]`,
            'The min of a status code range must not be greater than its max.'
          )
        )
      }
    })
  })
}

function checkPoolMembers(
  props: Record<string, unknown>,
  backendExists: (armId: string) => boolean,
  result: ValidationResult
): void {
  const services = isObject(props.pool) ? props.pool.services : undefined
  if (!Array.isArray(services)) return
  // The service allows 30 members (docs/backend-contract.md); guess: this text.
  if (services.length > 30) {
    result.errors.push(detail('pool.services', 'A pool can contain at most 30 backends.'))
  }
  services.forEach((service) => {
    if (!isObject(service) || typeof service.id !== 'string' || service.id.length === 0) return
    // Recorded: a member that does not exist answers target `pool`, "Backend Entity
    // 'backend-west' not found." (Azure/apiops#797, api-version 2023-09-01-preview). The same
    // answer for an id of another scope — a service backend named in a workspace's pool, a
    // backend of another workspace, a workspace backend in a service's pool — since no backend
    // with that id exists where the pool is: guess (not recorded), as is one detail per member.
    if (!backendExists(service.id)) {
      const id = service.id.split('/').filter(Boolean).pop() ?? service.id
      result.errors.push(detail('pool', `Backend Entity '${id}' not found.`))
    }
  })
}

/**
 * A workspace backend's certificate ids (`credentials.certificateIds[]`,
 * `properties.serviceFabricCluster.clientCertificateId`) are ARM ids of certificates of the same
 * workspace, as the 2024-05-01 example ApiManagementCreateWorkspaceBackendServiceFabric.json
 * gives them (`…/service/apimService1/workspaces/wks1/certificates/cert1`). Only the shape is
 * checked, not that the certificate exists. Text and target: the recorded answer for a missing
 * certificate, "Certificate with id 'my-cert' not found.", target `credentials`
 * (Azure/apiops#749); guess: that a service-level or other workspace's certificate id gets it,
 * and that a clientCertificateId gets it with its own path as the target.
 */
function checkWorkspaceCertificates(
  props: Record<string, unknown>,
  workspaceId: string,
  result: ValidationResult
): void {
  const prefix = `${workspaceId}/certificates/`.toLowerCase()
  const check = (id: unknown, target: string) => {
    if (typeof id !== 'string' || id.length === 0) return
    const path = id.replace(/^https?:\/\/[^/]+/i, '')
    const name = path.slice(prefix.length)
    if (path.toLowerCase().startsWith(prefix) && name.length > 0 && !name.includes('/')) return
    const shown = id.split('/').filter(Boolean).pop() ?? id
    result.errors.push(detail(target, `Certificate with id '${shown}' not found.`))
  }
  const credentials = isObject(props.credentials) ? props.credentials : undefined
  if (Array.isArray(credentials?.certificateIds)) {
    for (const id of credentials.certificateIds) check(id, 'credentials')
  }
  const nested = isObject(props.properties) ? props.properties : undefined
  const cluster = isObject(nested?.serviceFabricCluster) ? nested.serviceFabricCluster : undefined
  if (cluster)
    check(cluster.clientCertificateId, 'properties.serviceFabricCluster.clientCertificateId')
}

/** guess: .NET's absolute-Uri check with an http or https scheme, approximated by WHATWG URL. */
function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== ''
  } catch {
    return false
  }
}

function lengthMessage(name: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && min > 0 && max !== undefined) {
    return `The field ${name} must be a string with a minimum length of ${min} and a maximum length of ${max}.`
  }
  if (max !== undefined)
    return `The field ${name} must be a string with a maximum length of ${max}.`
  return `The field ${name} must be a string with a minimum length of ${min}.`
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null
}

function detail(target: string, message: string): ErrorDetail {
  return { code: 'ValidationError', target, message }
}
