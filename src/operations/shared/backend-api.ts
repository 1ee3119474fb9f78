// The backend operations of the SDK for the step's target: the service's own backends
// (client.backend), or a workspace's (client.workspaceBackend, the same calls with the workspace
// id after the service name). Every request of an operation goes through here, so a step with
// `workspace` sends none outside …/workspaces/{workspace}/ (a role on the workspace is enough).
// Workspace backends have no reconnect: `reset` is refused before any request, `switch` skips it.
import type {
  ApiManagementClient,
  BackendContract,
  BackendCreateOrUpdateOptionalParams,
  BackendGetOptionalParams,
  BackendListByServiceOptionalParams,
  BackendReconnectOptionalParams,
  BackendUpdateParameters
} from '@azure/arm-apimanagement'
import type { OperationOptions } from '@azure/core-client'
import type { Target } from '../../input-rules/model.js'
import { statusOf } from '../../azure/errors.js'

export interface BackendApi {
  get(backendId: string, options?: BackendGetOptionalParams): Promise<unknown>
  getEntityTag(backendId: string): Promise<unknown>
  createOrUpdate(
    backendId: string,
    body: BackendContract,
    options?: BackendCreateOrUpdateOptionalParams
  ): Promise<unknown>
  update(
    backendId: string,
    ifMatch: string,
    body: BackendUpdateParameters,
    options?: OperationOptions
  ): Promise<unknown>
  delete(backendId: string, ifMatch: string): Promise<unknown>
  list(
    options?: BackendListByServiceOptionalParams
  ): ReturnType<ApiManagementClient['backend']['listByService']>
  /** Undefined in a workspace: its backends have no reconnect. */
  reconnect?: (backendId: string, options?: BackendReconnectOptionalParams) => Promise<unknown>
  /** Is the service (or the workspace) there? For a clear 404: which one is missing. */
  scopeExists(): Promise<boolean>
}

export function backendApi(client: ApiManagementClient, target: Target): BackendApi {
  const { resourceGroup: rg, serviceName: service, workspace } = target
  // Only a 404 says the service (or workspace) is missing: a role that reads and writes backends
  // but not the service or workspace itself (a custom role without …/read) gets 403 for one that
  // exists, and a network failure says nothing.
  const exists = async (read: () => Promise<unknown>) => {
    try {
      await read()
      return true
    } catch (e) {
      return statusOf(e) !== 404
    }
  }
  if (workspace === undefined) {
    const api = client.backend
    return {
      get: (id, o) => api.get(rg, service, id, o),
      getEntityTag: (id) => api.getEntityTag(rg, service, id),
      createOrUpdate: (id, body, o) => api.createOrUpdate(rg, service, id, body, o),
      update: (id, ifMatch, body, o) => api.update(rg, service, id, ifMatch, body, o),
      delete: (id, ifMatch) => api.delete(rg, service, id, ifMatch),
      list: (o) => api.listByService(rg, service, o),
      reconnect: (id, o) => api.reconnect(rg, service, id, o),
      scopeExists: () => exists(() => client.apiManagementService.get(rg, service))
    }
  }
  const api = client.workspaceBackend
  return {
    get: (id, o) => api.get(rg, service, workspace, id, o),
    getEntityTag: (id) => api.getEntityTag(rg, service, workspace, id),
    createOrUpdate: (id, body, o) => api.createOrUpdate(rg, service, workspace, id, body, o),
    update: (id, ifMatch, body, o) => api.update(rg, service, workspace, id, ifMatch, body, o),
    delete: (id, ifMatch) => api.delete(rg, service, workspace, id, ifMatch),
    list: (o) => api.listByWorkspace(rg, service, workspace, o),
    // The workspace itself, not the service: a role on the workspace may not read the service.
    scopeExists: () => exists(() => client.workspace.get(rg, service, workspace))
  }
}
