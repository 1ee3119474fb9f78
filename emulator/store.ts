// In-memory state: the configured APIM services and their backends. ARM names are
// case-insensitive, so every lookup goes through lower-cased keys while the stored names keep
// the case they were created with (as Azure does).
import { isObject } from './http.js'

export interface EmulatorService {
  subscriptionId: string
  resourceGroup: string
  serviceName: string
  /** extra: the service's Azure region; default 'West US' */
  location?: string
}

export interface StoredBackend {
  name: string
  properties: Record<string, unknown>
  /** quoted, as sent in the ETag header */
  etag: string
}

export interface ServiceRecord extends Required<EmulatorService> {
  resourceId: string
  backends: Map<string, StoredBackend>
}

export const BACKEND_TYPE = 'Microsoft.ApiManagement/service/backends'

export class BackendStore {
  private readonly services = new Map<string, ServiceRecord>()
  private etagCounter = 0n

  constructor(services: EmulatorService[]) {
    for (const s of services) {
      this.services.set(key(s.subscriptionId, s.resourceGroup, s.serviceName), {
        location: 'West US',
        ...s,
        resourceId: `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.ApiManagement/service/${s.serviceName}`,
        backends: new Map()
      })
    }
  }

  hasSubscription(sub: string): boolean {
    return [...this.services.values()].some((s) => same(s.subscriptionId, sub))
  }

  hasResourceGroup(sub: string, rg: string): boolean {
    return [...this.services.values()].some(
      (s) => same(s.subscriptionId, sub) && same(s.resourceGroup, rg)
    )
  }

  /** The subscription's id as configured (for ARM ids in answers). */
  subscription(sub: string): string | undefined {
    return [...this.services.values()].find((s) => same(s.subscriptionId, sub))?.subscriptionId
  }

  resourceGroup(sub: string, rg: string): string | undefined {
    return [...this.services.values()].find(
      (s) => same(s.subscriptionId, sub) && same(s.resourceGroup, rg)
    )?.resourceGroup
  }

  service(sub: string, rg: string, name: string): ServiceRecord | undefined {
    return this.services.get(key(sub, rg, name))
  }

  allServices(): ServiceRecord[] {
    return [...this.services.values()]
  }

  get(service: ServiceRecord, id: string): StoredBackend | undefined {
    return service.backends.get(id.toLowerCase())
  }

  list(service: ServiceRecord): StoredBackend[] {
    return [...service.backends.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Creates or replaces; a replaced backend keeps the name it was created with. */
  put(
    service: ServiceRecord,
    id: string,
    properties: Record<string, unknown>
  ): { backend: StoredBackend; created: boolean } {
    const existing = this.get(service, id)
    const backend: StoredBackend = {
      name: existing?.name ?? id,
      properties: structuredClone(properties),
      etag: this.nextEtag()
    }
    service.backends.set(id.toLowerCase(), backend)
    return { backend, created: !existing }
  }

  delete(service: ServiceRecord, id: string): boolean {
    return service.backends.delete(id.toLowerCase())
  }

  clear(): void {
    for (const s of this.services.values()) s.backends.clear()
  }

  /** Whether an ARM id (as a pool member gives it) names an existing backend of `service`. */
  backendExists(service: ServiceRecord, armId: string): boolean {
    const prefix = `${service.resourceId}/backends/`.toLowerCase()
    const id = armId.replace(/^https?:\/\/[^/]+/i, '')
    if (!id.toLowerCase().startsWith(prefix)) return false
    const name = id.slice(prefix.length)
    return name.length > 0 && !name.includes('/') && this.get(service, name) !== undefined
  }

  /** The ARM representation of what is stored (test helpers read it via getBackend()). */
  contract(service: ServiceRecord, backend: StoredBackend): Record<string, unknown> {
    const properties = structuredClone(backend.properties)
    // The official Pool examples answer title, url and protocol as explicit nulls
    // (2024-05-01/examples/ApiManagementCreateBackendWithPriorityBasedLoadBalancer.json).
    if (properties.type === 'Pool') {
      for (const k of ['title', 'url', 'protocol']) if (!(k in properties)) properties[k] = null
    }
    return {
      id: `${service.resourceId}/backends/${backend.name}`,
      type: BACKEND_TYPE,
      name: backend.name,
      properties
    }
  }

  /**
   * The body GET, PUT, PATCH and list answer: contract() with `"title": null` first when no
   * title is set, as every recorded backend body has it (azure-sdk-for-js
   * recordings/node/apimanagement_test/recording_backend_create_test1.json, and the .NET
   * BackendTests recordings; copies in __tests__/fixtures/recordings/). Other unset fields
   * (description, resourceId, credentials, …) are left out, as those recordings leave them.
   * Kept out of contract() so that tests asserting stored properties see what was written.
   */
  answer(service: ServiceRecord, backend: StoredBackend): Record<string, unknown> {
    const contract = this.contract(service, backend)
    const properties = contract.properties as Record<string, unknown>
    if (properties.title === undefined) contract.properties = { title: null, ...properties }
    return contract
  }

  /** Opaque, quoted, APIM-looking ETags ("AAAAAAAAAAE="): base64 of a counter. */
  nextEtag(): string {
    this.etagCounter += 1n
    const bytes = Buffer.alloc(8)
    bytes.writeBigUInt64BE(this.etagCounter)
    return `"${bytes.toString('base64')}"`
  }
}

/**
 * JSON merge patch (RFC 7396): objects merge at every depth, null removes. Top-level fields the
 * PATCH leaves out are kept (recorded: a PATCH of `description` alone kept `credentials` and
 * `tls`, .NET BackendTests/CreateListUpdateDelete.json). guess: the depth of the merge below the
 * top level is undocumented and unrecorded; see replaceTopLevel() for the other reading.
 */
export function mergePatch(
  target: Record<string, unknown>,
  patch: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(target)
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else if (isObject(v) && isObject(out[k]))
      out[k] = mergePatch(out[k] as Record<string, unknown>, v)
    else out[k] = structuredClone(v)
  }
  return out
}

/** Compares ETags the way the emulator promises: ignoring quotes and a weak W/ prefix. */
export function etagMatches(ifMatch: string, etag: string): boolean {
  const bare = (t: string) =>
    t
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1')
  return ifMatch
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || bare(t) === bare(etag))
}

function key(sub: string, rg: string, name: string): string {
  return `${sub}/${rg}/${name}`.toLowerCase()
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/**
 * The other reading of an undocumented merge depth (the 'patch-replaces-nested' fault): each
 * top-level property in the patch replaces the stored one whole; null removes it (guess).
 */
export function replaceTopLevel(
  target: Record<string, unknown>,
  patch: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(target)
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = structuredClone(v)
  }
  return out
}
