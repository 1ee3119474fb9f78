// APIM workspaces in the emulator, driven by the real @azure/arm-apimanagement SDK over HTTPS:
// workspace backends (…/service/{s}/workspaces/{w}/backends), a store per workspace, missing
// workspaces, no reconnect, pool members and certificate ids of the same workspace, and a
// principal whose role is granted on one workspace only.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ApiManagementClient } from '@azure/arm-apimanagement'
import { ClientSecretCredential } from '@azure/identity'
import { optionsFromEnv } from '../../emulator/env-config.js'
import { ApimEmulator } from '../../emulator/server.js'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  RG,
  SERVICE,
  SUB,
  arm,
  decodePayload,
  getToken,
  servicePath
} from './helpers.js'

const SCOPE = 'https://management.azure.com/.default'
const workspacePath = (ws: string) => `${servicePath()}/workspaces/${ws}`
const single = (url: string) => ({ url, protocol: 'http' })

describe('workspace backends through the SDK', () => {
  let emu: ApimEmulator
  let client: ApiManagementClient
  let token: string

  beforeAll(async () => {
    emu = await ApimEmulator.start()
    emu.addWorkspace(SUB, RG, SERVICE, 'team-b', { displayName: 'Team B' })
    const credential = new ClientSecretCredential(emu.tenantId, CLIENT_ID, CLIENT_SECRET, {
      authorityHost: emu.url,
      disableInstanceDiscovery: true
    })
    client = new ApiManagementClient(credential, SUB, {
      endpoint: emu.url,
      credentialScopes: SCOPE,
      retryOptions: { maxRetries: 0 }
    })
    token = await getToken(emu)
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())
  afterEach(() => emu.grantFullAccess())

  it('has one workspace by default, team-a, and the one the test added', async () => {
    expect(emu.getWorkspaces(SUB, RG, SERVICE).map((w) => w.id)).toEqual(['team-a', 'team-b'])
    const ws = await client.workspace.get(RG, SERVICE, 'team-a')
    expect(ws).toMatchObject({
      id: workspacePath('team-a'),
      name: 'team-a',
      type: 'Microsoft.ApiManagement/service/workspaces',
      displayName: 'Team A',
      description: 'Backends of team A'
    })
    const names: string[] = []
    for await (const w of client.workspace.listByService(RG, SERVICE)) names.push(w.name!)
    expect(names).toEqual(['team-a', 'team-b'])
  })

  it('creates, gets, updates, lists (paged) and deletes a workspace backend', async () => {
    const created = await client.workspaceBackend.createOrUpdate(RG, SERVICE, 'team-a', 'orders', {
      ...single('https://orders.example.com'),
      description: 'made in a workspace'
    })
    expect(created).toMatchObject({
      id: `${workspacePath('team-a')}/backends/orders`,
      type: 'Microsoft.ApiManagement/service/workspaces/backends',
      name: 'orders',
      url: 'https://orders.example.com'
    })
    expect(created.eTag).toMatch(/^"[A-Za-z0-9+/]+=*"$/)
    const put = emu.armRequests().find((r) => r.method === 'PUT')!
    expect(put.path).toBe(`${workspacePath('team-a')}/backends/orders`)
    expect(put.status).toBe(201)

    const got = await client.workspaceBackend.get(RG, SERVICE, 'team-a', 'orders')
    expect(got.eTag).toBe(created.eTag)
    const tag = await client.workspaceBackend.getEntityTag(RG, SERVICE, 'team-a', 'orders')
    expect(tag.eTag).toBe(created.eTag)

    const updated = await client.workspaceBackend.update(
      RG,
      SERVICE,
      'team-a',
      'orders',
      got.eTag!,
      { description: 'changed' }
    )
    expect(updated).toMatchObject({ description: 'changed', url: 'https://orders.example.com' })
    expect(updated.eTag).not.toBe(created.eTag)
    await expect(
      client.workspaceBackend.update(RG, SERVICE, 'team-a', 'orders', created.eTag!, {
        title: 'stale'
      })
    ).rejects.toMatchObject({ statusCode: 412, code: 'PreconditionFailed' })

    for (const id of ['b1', 'b2', 'b3', 'b4']) {
      emu.putWorkspaceBackend(SUB, RG, SERVICE, 'team-a', id, single(`https://${id}.example.com`))
    }
    const names: string[] = []
    for await (const b of client.workspaceBackend.listByWorkspace(RG, SERVICE, 'team-a', {
      top: 2
    })) {
      names.push(b.name!)
    }
    expect(names).toEqual(['b1', 'b2', 'b3', 'b4', 'orders'])
    const pages = emu.armRequests().filter((r) => r.path.endsWith('/team-a/backends'))
    expect(pages.map((r) => r.query.$skip)).toEqual([undefined, '2', '4'])
    const filtered: string[] = []
    for await (const b of client.workspaceBackend.listByWorkspace(RG, SERVICE, 'team-a', {
      filter: "startswith(name, 'b')"
    })) {
      filtered.push(b.name!)
    }
    expect(filtered).toEqual(['b1', 'b2', 'b3', 'b4'])

    await client.workspaceBackend.delete(RG, SERVICE, 'team-a', 'orders', updated.eTag!)
    await expect(
      client.workspaceBackend.get(RG, SERVICE, 'team-a', 'orders')
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
      message: 'Backend not found.'
    })
    expect(emu.getWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'orders')).toBeUndefined()
  })

  it('validates a workspace backend as a service backend, with the same ETag rules', async () => {
    await expect(
      client.workspaceBackend.createOrUpdate(RG, SERVICE, 'team-a', 'b', {
        url: 'https://x',
        protocol: 'https'
      })
    ).rejects.toMatchObject({ statusCode: 400, code: 'ValidationError' })
    const etag = emu.putWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'b', single('https://x'))
    const path = `${workspacePath('team-a')}/backends/b`
    const createOnly = await arm(emu, 'PUT', path, {
      token,
      body: { properties: single('https://y') },
      headers: { 'if-none-match': '*' }
    })
    expect([createOnly.status, createOnly.json.error.code]).toEqual([412, 'PreconditionFailed'])
    const noIfMatch = await arm(emu, 'PATCH', path, { token, body: { properties: { title: 't' } } })
    expect(noIfMatch.status).toBe(400)
    const del = await arm(emu, 'DELETE', path, { token, headers: { 'if-match': etag } })
    expect(del.status).toBe(200)
    const again = await arm(emu, 'DELETE', path, { token, headers: { 'if-match': '*' } })
    expect(again.status).toBe(204)
  })

  it('applies injected faults to workspace paths (a concurrent write lands in that workspace)', async () => {
    emu.putWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'orders', single('https://x'))
    emu.injectFault({
      method: 'GET',
      path: /\/team-a\/backends\/orders$/,
      kind: 'concurrent-write'
    })
    const read = await client.workspaceBackend.get(RG, SERVICE, 'team-a', 'orders')
    await expect(
      client.workspaceBackend.update(RG, SERVICE, 'team-a', 'orders', read.eTag!, { title: 't' })
    ).rejects.toMatchObject({ statusCode: 412 })
    expect(
      emu.getWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'orders')!.contract.properties.description
    ).toBe('Changed by a concurrent writer (1)')
    expect(emu.getBackend(SUB, RG, SERVICE, 'orders')).toBeUndefined()
  })

  it('keeps the same id in the service and in each workspace as separate backends', async () => {
    await client.backend.createOrUpdate(RG, SERVICE, 'orders', single('https://service.example'))
    await client.workspaceBackend.createOrUpdate(
      RG,
      SERVICE,
      'team-a',
      'orders',
      single('https://a.example')
    )
    await client.workspaceBackend.createOrUpdate(
      RG,
      SERVICE,
      'team-b',
      'ORDERS',
      single('https://b.example')
    )
    expect((await client.backend.get(RG, SERVICE, 'orders')).url).toBe('https://service.example')
    expect((await client.workspaceBackend.get(RG, SERVICE, 'team-a', 'orders')).url).toBe(
      'https://a.example'
    )
    const b = await client.workspaceBackend.get(RG, SERVICE, 'team-b', 'orders')
    expect([b.url, b.name, b.id]).toEqual([
      'https://b.example',
      'ORDERS',
      `${workspacePath('team-b')}/backends/ORDERS`
    ])

    const names: string[] = []
    for await (const x of client.backend.listByService(RG, SERVICE)) names.push(x.name!)
    expect(names).toEqual(['orders'])

    await client.workspaceBackend.delete(RG, SERVICE, 'team-a', 'orders', '*')
    expect(emu.getWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'orders')).toBeUndefined()
    expect(emu.getBackend(SUB, RG, SERVICE, 'orders')).toBeDefined()
    expect(emu.getWorkspaceBackend(SUB, RG, SERVICE, 'team-b', 'orders')).toBeDefined()
  })

  it('answers 404 ResourceNotFound for a workspace that does not exist', async () => {
    const missing = { statusCode: 404, code: 'ResourceNotFound', message: 'Workspace not found.' }
    await expect(client.workspaceBackend.get(RG, SERVICE, 'nope', 'orders')).rejects.toMatchObject(
      missing
    )
    await expect(
      client.workspaceBackend.createOrUpdate(RG, SERVICE, 'nope', 'orders', single('https://x'))
    ).rejects.toMatchObject(missing)
    await expect(client.workspace.get(RG, SERVICE, 'nope')).rejects.toMatchObject(missing)
    const list = await arm(emu, 'GET', `${workspacePath('nope')}/backends`, { token })
    expect(list.json).toEqual({
      error: { code: 'ResourceNotFound', message: 'Workspace not found.', details: null }
    })

    emu.addWorkspace(SUB, RG, SERVICE, 'late')
    const created = await client.workspaceBackend.createOrUpdate(
      RG,
      SERVICE,
      'late',
      'orders',
      single('https://x')
    )
    expect(created.id).toBe(`${workspacePath('late')}/backends/orders`)
  })

  it('refuses reconnect in a workspace as a route APIM does not have; the service keeps it', async () => {
    emu.putWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'orders', single('https://x'))
    emu.putBackend(SUB, RG, SERVICE, 'orders', single('https://x'))
    const path = `${workspacePath('team-a')}/backends/orders/reconnect`
    const res = await arm(emu, 'POST', path, { token, body: { properties: { after: 'PT30S' } } })
    expect(res.status).toBe(404)
    expect(res.json).toEqual({
      Message: `No HTTP resource was found that matches the request URI '${emu.url}${path}?api-version=2024-05-01'.`
    })
    expect('reconnect' in client.workspaceBackend).toBe(false)
    await client.backend.reconnect(RG, SERVICE, 'orders')
    expect(emu.armRequests().at(-1)!.status).toBe(202)
  })

  it('takes only backends of the same workspace as pool members', async () => {
    emu.putBackend(SUB, RG, SERVICE, 'orders', single('https://s'))
    emu.putWorkspaceBackend(SUB, RG, SERVICE, 'team-a', 'orders', single('https://a'))
    emu.putWorkspaceBackend(SUB, RG, SERVICE, 'team-b', 'orders', single('https://b'))
    const pool = (id: string) => ({ type: 'Pool', pool: { services: [{ id, priority: 1 }] } })

    // The SDK calls the backend type typePropertiesType (its `type` is the resource type).
    const ok = await client.workspaceBackend.createOrUpdate(RG, SERVICE, 'team-a', 'lb', {
      typePropertiesType: 'Pool',
      pool: { services: [{ id: `${workspacePath('team-a')}/backends/orders`, priority: 1 }] }
    })
    expect(ok.pool?.services?.[0].id).toBe(`${workspacePath('team-a')}/backends/orders`)

    for (const other of [
      `${servicePath()}/backends/orders`,
      `${workspacePath('team-b')}/backends/orders`,
      `${workspacePath('team-a')}/backends/ghost`
    ]) {
      const res = await arm(emu, 'PUT', `${workspacePath('team-a')}/backends/lb2`, {
        token,
        body: { properties: pool(other) }
      })
      expect([res.status, res.json.error.code]).toEqual([400, 'ValidationError'])
      const name = other.split('/').pop()
      expect(res.json.error.details).toEqual([
        { code: 'ValidationError', target: 'pool', message: `Backend Entity '${name}' not found.` }
      ])
    }
    // A service pool cannot take a workspace backend either.
    const res = await arm(emu, 'PUT', `${servicePath()}/backends/lb`, {
      token,
      body: { properties: pool(`${workspacePath('team-a')}/backends/orders`) }
    })
    expect(res.json.error.details[0].target).toBe('pool')
  })

  it('takes only certificate ids of the same workspace (shape only)', async () => {
    const mine = `${workspacePath('team-a')}/certificates/cert1`
    const ok = await client.workspaceBackend.createOrUpdate(RG, SERVICE, 'team-a', 'c', {
      ...single('https://x'),
      credentials: { certificateIds: [mine] }
    })
    expect(ok.credentials?.certificateIds).toEqual([mine])

    const res = await arm(emu, 'PUT', `${workspacePath('team-a')}/backends/c2`, {
      token,
      body: {
        properties: {
          ...single('https://x'),
          credentials: { certificateIds: [`${servicePath()}/certificates/cert1`] },
          properties: {
            serviceFabricCluster: {
              managementEndpoints: ['https://cluster.example'],
              clientCertificateId: `${workspacePath('team-b')}/certificates/other`
            }
          }
        }
      }
    })
    expect(res.status).toBe(400)
    expect(res.json.error.details).toEqual([
      {
        code: 'ValidationError',
        target: 'credentials',
        message: "Certificate with id 'cert1' not found."
      },
      {
        code: 'ValidationError',
        target: 'properties.serviceFabricCluster.clientCertificateId',
        message: "Certificate with id 'other' not found."
      }
    ])
  })

  describe('a role granted on one workspace only', () => {
    const oid = () => String(decodePayload(emu.mintAccessToken()).oid)
    const denied = (action: string, scope: string) => ({
      statusCode: 403,
      code: 'AuthorizationFailed',
      message: `The client '${oid()}' with object id '${oid()}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
    })

    beforeEach(() => emu.grantOnlyWorkspace(SUB, RG, SERVICE, 'team-a'))

    it('works in that workspace', async () => {
      const created = await client.workspaceBackend.createOrUpdate(
        RG,
        SERVICE,
        'team-a',
        'orders',
        single('https://x')
      )
      const got = await client.workspaceBackend.get(RG, SERVICE, 'team-a', 'orders')
      expect(got.eTag).toBe(created.eTag)
      expect((await client.workspace.get(RG, SERVICE, 'team-a')).name).toBe('team-a')
      expect(emu.workspaceGrant()).toEqual({
        subscriptionId: SUB,
        resourceGroup: RG,
        serviceName: SERVICE,
        workspace: 'team-a'
      })
    })

    it('answers 403 AuthorizationFailed everywhere else, naming the action and the scope', async () => {
      emu.putBackend(SUB, RG, SERVICE, 'orders', single('https://x'))
      await expect(client.backend.get(RG, SERVICE, 'orders')).rejects.toMatchObject(
        denied('Microsoft.ApiManagement/service/backends/read', `${servicePath()}/backends/orders`)
      )
      await expect(client.apiManagementService.get(RG, SERVICE)).rejects.toMatchObject(
        denied('Microsoft.ApiManagement/service/read', servicePath())
      )
      await expect(
        client.backend.createOrUpdate(RG, SERVICE, 'b', single('https://x'))
      ).rejects.toMatchObject(
        denied('Microsoft.ApiManagement/service/backends/write', `${servicePath()}/backends/b`)
      )
      await expect(client.backend.delete(RG, SERVICE, 'orders', '*')).rejects.toMatchObject(
        denied(
          'Microsoft.ApiManagement/service/backends/delete',
          `${servicePath()}/backends/orders`
        )
      )
      await expect(
        client.workspaceBackend.get(RG, SERVICE, 'team-b', 'orders')
      ).rejects.toMatchObject(
        denied(
          'Microsoft.ApiManagement/service/workspaces/backends/read',
          `${workspacePath('team-b')}/backends/orders`
        )
      )
      const list = await arm(emu, 'GET', `${servicePath()}/backends`, { token })
      expect(list.json.error.message).toContain(
        `'Microsoft.ApiManagement/service/backends/read' over scope '${servicePath()}/backends'`
      )
      // Nothing was written, and the service backend is still there.
      expect(emu.getBackend(SUB, RG, SERVICE, 'orders')).toBeDefined()
      expect(emu.getBackend(SUB, RG, SERVICE, 'b')).toBeUndefined()

      emu.grantFullAccess()
      expect((await client.backend.get(RG, SERVICE, 'orders')).name).toBe('orders')
    })
  })
})

describe('workspaces from options and the environment', () => {
  it('reads APIM_EMULATOR_WORKSPACES and APIM_EMULATOR_WORKSPACE_ONLY', () => {
    expect(optionsFromEnv({ APIM_EMULATOR_WORKSPACES: 'team-a, team-b' })).toEqual({
      workspaces: [{ id: 'team-a' }, { id: 'team-b' }]
    })
    expect(
      optionsFromEnv({
        APIM_EMULATOR_WORKSPACES: '[{"id":"ops","displayName":"Ops"},"dev"]',
        APIM_EMULATOR_WORKSPACE_ONLY: 'ops'
      })
    ).toEqual({
      workspaces: [{ id: 'ops', displayName: 'Ops' }, { id: 'dev' }],
      workspaceOnly: 'ops'
    })
    expect(optionsFromEnv({ APIM_EMULATOR_WORKSPACES: '[]' })).toEqual({ workspaces: [] })
    expect(optionsFromEnv({ APIM_EMULATOR_WORKSPACES: '' })).toEqual({})
    for (const bad of ['a/b', '[{"id":1}]', '[{"id":"x","color":"red"}]', '{"id":"x"}', 'a,,b']) {
      expect(() => optionsFromEnv({ APIM_EMULATOR_WORKSPACES: bad })).toThrow(
        /^APIM_EMULATOR_WORKSPACES/
      )
    }
    expect(() => optionsFromEnv({ APIM_EMULATOR_WORKSPACE_ONLY: 'a/b' })).toThrow(
      /^APIM_EMULATOR_WORKSPACE_ONLY/
    )
  })

  it('serves the configured workspaces and applies workspaceOnly', async () => {
    const emu = await ApimEmulator.start({ workspaces: ['ops'], workspaceOnly: 'ops' })
    try {
      const token = await getToken(emu)
      expect(emu.getServices()[0].workspaces).toEqual([
        { id: 'ops', displayName: 'ops', description: '' }
      ])
      const ws = await arm(emu, 'GET', workspacePath('ops'), { token })
      expect(ws.json).toEqual({
        id: workspacePath('ops'),
        type: 'Microsoft.ApiManagement/service/workspaces',
        name: 'ops',
        properties: { displayName: 'ops', description: '' }
      })
      const teamA = await arm(emu, 'GET', workspacePath('team-a'), { token })
      expect(teamA.status).toBe(403)
      const svc = await arm(emu, 'GET', servicePath(), { token })
      expect([svc.status, svc.json.error.code]).toEqual([403, 'AuthorizationFailed'])
    } finally {
      await emu.stop()
    }
  })
})
