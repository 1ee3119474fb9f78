// The backend's own fields (url, protocol, title, credentials, pool, …) as the inputs give them,
// validated and in the SDK's shape: the body of a create's PUT, or the fields an update or a
// reset PATCHes. Absent inputs are left out.
import type { BackendContract } from '@azure/arm-apimanagement'
import { PROTOCOLS } from '../catalog.js'
import { InputError } from '../messages.js'
import { parseYamlOrJson } from '../structured/parse.js'
import {
  checkShape,
  circuitBreakerSchema,
  poolSchema,
  serviceFabricSchema
} from '../structured/schemas.js'
import * as check from '../validators.js'
import type { SecretInputs } from './common.js'
import { BACKEND_ARM_ID, serviceArmId, type Endpoints, type Target } from './model.js'
import type { InputReader } from './reader.js'

export interface BackendFields {
  /** The backend fields the inputs give, in the SDK's shape (PUT body or PATCH body). */
  contract: BackendContract
  /** Pool members as ARM ids, to check that they exist before the write. */
  poolMembers?: string[]
}

type Schema = Parameters<typeof checkShape>[1]
type ServiceFabric = NonNullable<BackendContract['properties']>['serviceFabricCluster']
type PoolItem = { id: string; weight?: number; priority?: number }

/**
 * Every backend field an input can set. `target` (undefined when it was refused) places pool
 * members given as backend ids in the target's service.
 */
export function readBackendFields(
  reader: InputReader,
  secretInputs: SecretInputs,
  endpoints: Endpoints,
  target: Target | undefined
): BackendFields {
  const document = <T>(name: 'service-fabric-cluster' | 'circuit-breaker' | 'pool', s: Schema) =>
    reader.optional(name, (text) => checkShape(name, s, parseYamlOrJson(name, text)) as T)
  const skipChain = reader.optional('skip-certificate-chain-validation', (v) =>
    check.boolean('skip-certificate-chain-validation', v)
  )
  const skipName = reader.optional('skip-certificate-name-validation', (v) =>
    check.boolean('skip-certificate-name-validation', v)
  )
  const serviceFabric = document<ServiceFabric>('service-fabric-cluster', serviceFabricSchema)
  const contract: BackendContract = dropUndefined({
    url: reader.optional('url', (v) => check.backendUrl('url', v)),
    protocol: reader.optional('protocol', (v) => check.protocol('protocol', v, PROTOCOLS)),
    title: reader.optional('title', (v) => check.text('title', v, 300)),
    description: reader.optional('description', (v) =>
      check.text('description', v, 2000, { multiline: true })
    ),
    resourceId: reader.optional('resource-id', (v) =>
      check.resourceId('resource-id', v, endpoints.arm)
    ),
    credentials: secretInputs.credentials,
    proxy: secretInputs.proxy,
    properties: serviceFabric ? { serviceFabricCluster: serviceFabric } : undefined,
    tls:
      skipChain === undefined && skipName === undefined
        ? undefined
        : dropUndefined({
            validateCertificateChain: skipChain === undefined ? undefined : !skipChain,
            validateCertificateName: skipName === undefined ? undefined : !skipName
          }),
    circuitBreaker: document<BackendContract['circuitBreaker']>(
      'circuit-breaker',
      circuitBreakerSchema
    )
  })
  const poolItems = document<PoolItem[]>('pool', poolSchema)
  if (!poolItems) return { contract }
  const members = reader.attempt(() =>
    poolItems.map((item, i) => ({ ...item, id: poolMemberId(item.id, i, target) }))
  )
  if (!members || !target) return { contract }
  const pool = {
    services: members.map((m) =>
      dropUndefined({ id: m.id, weight: m.weight, priority: m.priority })
    )
  }
  return {
    contract: { ...contract, pool, typePropertiesType: 'Pool' },
    poolMembers: members.map((m) => m.id)
  }
}

/**
 * A pool member, as the ARM id of a backend of the target's service. Without a target (refused)
 * only the member's own form is checked.
 */
function poolMemberId(given: string, index: number, target: Target | undefined): string {
  const service = target ? serviceArmId(target) : undefined
  if (BACKEND_ARM_ID.test(given)) {
    if (
      service &&
      target &&
      !given.toLowerCase().startsWith(`${service.toLowerCase()}/backends/`)
    ) {
      throw new InputError(
        'pool',
        `'${given}' is a backend of another service; a pool's members must be backends of ${target.serviceName}.`
      )
    }
    return given
  }
  if (given.startsWith('/')) {
    throw new InputError(
      'pool',
      `item ${index}: '${given}' is not the ARM id of an API Management backend.`
    )
  }
  return `${service}/backends/${check.backendId('pool', given)}`
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
