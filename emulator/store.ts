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
  /**
   * The service's workspaces (Microsoft.ApiManagement/service/workspaces), by id or in full.
   * Absent: EmulatorOptions.workspaces, else one workspace, DEFAULT_WORKSPACE ('team-a'); [] for none.
   */
  workspaces?: (string | EmulatorWorkspace)[]
}

/** A workspace as GET …/workspaces/{id} answers it (properties displayName, description). */
export interface EmulatorWorkspace {
  id: string
  /** default: the id */
  displayName?: string
  description?: string
}

export const DEFAULT_WORKSPACE: EmulatorWorkspace = {
  id: 'team-a',
  displayName: 'Team A',
  description: 'Backends of team A'
}

export interface StoredBackend {
  name: string
  properties: Record<string, unknown>
  /** quoted, as sent in the ETag header */
  etag: string
}

/** Where backends live: a service, or one of its workspaces (each its own set of backends). */
export interface BackendScope {
  /** the ARM id backends' ids start from (`${resourceId}/backends/{id}`) */
  resourceId: string
  /** the ARM resource type of the backends here */
  backendType: string
  backends: Map<string, StoredBackend>
}

export interface ServiceRecord extends Required<Omit<EmulatorService, 'workspaces'>>, BackendScope {
  /** by lower-cased id */
  workspaces: Map<string, WorkspaceRecord>
}

export interface WorkspaceRecord extends BackendScope {
  name: string
  displayName: string
  description: string
  service: ServiceRecord
}

export const BACKEND_TYPE = 'Microsoft.ApiManagement/service/backends'
// The 2024-05-01 example ApiManagementCreateWorkspaceBackendServiceFabric.json (Azure/
// azure-rest-api-specs): id …/service/{s}/workspaces/{w}/backends/{id}, this type.
export const WORKSPACE_BACKEND_TYPE = 'Microsoft.ApiManagement/service/workspaces/backends'
export const WORKSPACE_TYPE = 'Microsoft.ApiManagement/service/workspaces'

export class BackendStore {
  private readonly services = new Map<string, ServiceRecord>()
  private etagCounter = 0n

  /** `workspaces`: those of a service that names none (default: DEFAULT_WORKSPACE). */
  constructor(
    services: EmulatorService[],
    workspaces: (string | EmulatorWorkspace)[] = [DEFAULT_WORKSPACE]
  ) {
    for (const { workspaces: own, ...s } of services) {
      const record: ServiceRecord = {
        location: 'West US',
        ...s,
        resourceId: `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.ApiManagement/service/${s.serviceName}`,
        backendType: BACKEND_TYPE,
        backends: new Map(),
        workspaces: new Map()
      }
      this.services.set(key(s.subscriptionId, s.resourceGroup, s.serviceName), record)
      for (const w of own ?? workspaces) this.addWorkspace(record, w)
    }
  }

  /** Adds a workspace to `service` (or returns the one with that id). */
  addWorkspace(service: ServiceRecord, workspace: string | EmulatorWorkspace): WorkspaceRecord {
    const w = typeof workspace === 'string' ? { id: workspace } : workspace
    if (!/^[^/?#]{1,80}$/.test(w.id)) {
      throw new Error(`A workspace id is 1 to 80 characters without / ? #, not '${w.id}'`)
    }
    const existing = this.workspace(service, w.id)
    if (existing) return existing
    const record: WorkspaceRecord = {
      name: w.id,
      displayName: w.displayName ?? w.id,
      description: w.description ?? '',
      resourceId: `${service.resourceId}/workspaces/${w.id}`,
      backendType: WORKSPACE_BACKEND_TYPE,
      backends: new Map(),
      service
    }
    service.workspaces.set(w.id.toLowerCase(), record)
    return record
  }

  workspace(service: ServiceRecord, id: string): WorkspaceRecord | undefined {
    return service.workspaces.get(id.toLowerCase())
  }

  workspaces(service: ServiceRecord): WorkspaceRecord[] {
    return [...service.workspaces.values()].sort((a, b) => a.name.localeCompare(b.name))
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

  get(scope: BackendScope, id: string): StoredBackend | undefined {
    return scope.backends.get(id.toLowerCase())
  }

  list(scope: BackendScope): StoredBackend[] {
    return [...scope.backends.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Creates or replaces; a replaced backend keeps the name it was created with. */
  put(
    scope: BackendScope,
    id: string,
    properties: Record<string, unknown>
  ): { backend: StoredBackend; created: boolean } {
    const existing = this.get(scope, id)
    const backend: StoredBackend = {
      name: existing?.name ?? id,
      properties: structuredClone(properties),
      etag: this.nextEtag()
    }
    scope.backends.set(id.toLowerCase(), backend)
    return { backend, created: !existing }
  }

  delete(scope: BackendScope, id: string): boolean {
    return scope.backends.delete(id.toLowerCase())
  }

  /** Removes every backend, of services and workspaces; the workspaces themselves stay. */
  clear(): void {
    for (const s of this.services.values()) {
      s.backends.clear()
      for (const w of s.workspaces.values()) w.backends.clear()
    }
  }

  /**
   * Whether an ARM id (as a pool member gives it) names an existing backend of `scope`: a
   * service's pool takes only `…/service/{s}/backends/{id}`, a workspace's only
   * `…/service/{s}/workspaces/{w}/backends/{id}` of that same workspace.
   */
  backendExists(scope: BackendScope, armId: string): boolean {
    const prefix = `${scope.resourceId}/backends/`.toLowerCase()
    const id = armId.replace(/^https?:\/\/[^/]+/i, '')
    if (!id.toLowerCase().startsWith(prefix)) return false
    const name = id.slice(prefix.length)
    return name.length > 0 && !name.includes('/') && this.get(scope, name) !== undefined
  }

  /** The ARM representation of what is stored (test helpers read it via getBackend()). */
  contract(scope: BackendScope, backend: StoredBackend): Record<string, unknown> {
    const properties = structuredClone(backend.properties)
    // The official Pool examples answer title, url and protocol as explicit nulls
    // (2024-05-01/examples/ApiManagementCreateBackendWithPriorityBasedLoadBalancer.json).
    if (properties.type === 'Pool') {
      for (const k of ['title', 'url', 'protocol']) if (!(k in properties)) properties[k] = null
    }
    return {
      id: `${scope.resourceId}/backends/${backend.name}`,
      type: scope.backendType,
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
  answer(scope: BackendScope, backend: StoredBackend): Record<string, unknown> {
    const contract = this.contract(scope, backend)
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
