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
import { BACKEND_ARM_ID, backendsScopeId, type Endpoints, type Target } from './model.js'
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
  if (target !== undefined) scopeCertificates(reader, contract, target)
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

/** Where the target's backends are, in words: "service s" or "workspace w of service s". */
function scopeName(target: Target): string {
  return target.workspace === undefined
    ? `service ${target.serviceName}`
    : `workspace ${target.workspace} of service ${target.serviceName}`
}

/**
 * A pool member, as the ARM id of a backend beside the target (in its service, or its
 * workspace). Without a target (refused) only the member's own form is checked.
 */
function poolMemberId(given: string, index: number, target: Target | undefined): string {
  const scope = target ? backendsScopeId(target) : undefined
  if (BACKEND_ARM_ID.test(given)) {
    if (target && scope && !given.toLowerCase().startsWith(`${scope.toLowerCase()}/backends/`)) {
      throw new InputError(
        'pool',
        `'${given}' is a backend of another ${target.workspace === undefined ? 'service (or of a workspace)' : 'workspace, or of the service itself'}; a pool's members must be backends of ${scopeName(target)}.`
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
  return `${scope}/backends/${check.backendId('pool', given)}`
}

/**
 * In a workspace, a certificate id is one of the workspace's certificates: a short name is made
 * the ARM id of the workspace's certificate, and the ARM id of a certificate elsewhere (another
 * workspace, the service itself) is refused before any request. Outside a workspace, ids are sent
 * as given, except a workspace's certificate (a file exported from a workspace, planned without
 * `workspace`): refused as a workspace's pool member is.
 */
export function workspaceCertificateId(input: string, given: string, target: Target): string {
  if (target.workspace === undefined) {
    if (WORKSPACE_CERTIFICATE.test(given))
      throw new InputError(
        input,
        `'${given}' is a certificate of a workspace; a backend of ${scopeName(target)} takes the service's own certificates (to work on the workspace's backends, set workspace).`
      )
    return given
  }
  const certificates = `${backendsScopeId(target)}/certificates/`
  if (!given.startsWith('/')) return `${certificates}${check.backendId(input, given)}`
  if (
    !given.toLowerCase().startsWith(certificates.toLowerCase()) ||
    given.length === certificates.length
  )
    throw new InputError(
      input,
      `'${given}' is not a certificate of ${scopeName(target)}; in a workspace, certificates are the workspace's own (give the certificate's name, or its id under ${certificates}).`
    )
  return given
}

/** An ARM id of a certificate of an API Management workspace. */
const WORKSPACE_CERTIFICATE =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+\/workspaces\/[^/]+\/certificates\//i

/**
 * The certificate ids of the credentials and the Service Fabric cluster: in a workspace, the
 * workspace's; at the service level, none of a workspace's.
 */
function scopeCertificates(reader: InputReader, contract: BackendContract, target: Target): void {
  const credentials = contract.credentials
  if (credentials?.certificateIds) {
    const ids = reader.attempt(() =>
      credentials.certificateIds!.map((id) =>
        workspaceCertificateId('backend-credentials', id, target)
      )
    )
    if (ids) contract.credentials = { ...credentials, certificateIds: ids }
  }
  const cluster = contract.properties?.serviceFabricCluster
  if (cluster?.clientCertificateId) {
    const id = reader.attempt(() =>
      workspaceCertificateId('service-fabric-cluster', cluster.clientCertificateId!, target)
    )
    if (id)
      contract.properties = {
        ...contract.properties,
        serviceFabricCluster: { ...cluster, clientCertificateId: id }
      }
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
