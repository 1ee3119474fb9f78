// The bearer token goes to the ARM endpoint only. A list step pages through nextLinks; a service
// (or something pretending to be it) that hands back a nextLink, or a redirect, to another host
// must not get the token sent there. The "other host" is a second HTTPS server on 127.0.0.1 that
// records every connection and request: it must see none.
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ensureCertificate } from '../../emulator/cert.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  RG,
  SERVICE,
  SUB,
  TARGET,
  backendPath,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator

/** The foreign host: it answers 200 {} to anything, and records what arrived. */
let foreign: { server: Server; url: string; connections: number; requests: string[] }

beforeAll(async () => {
  const cert = await ensureCertificate('.emulator')
  const server = createServer({ cert: cert.cert, key: cert.key })
  foreign = { server, url: '', connections: 0, requests: [] }
  server.on('connection', () => (foreign.connections += 1))
  server.on('request', (req, res) => {
    foreign.requests.push(
      `${req.method} ${req.url} authorization=${req.headers.authorization ? 'yes' : 'no'}`
    )
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}')
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  foreign.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((done) => foreign.server.close(() => done())))

beforeEach(() => {
  emulator = emu()
  foreign.connections = 0
  foreign.requests.length = 0
})

/** More backends than one page holds (100), so the list answers a nextLink. */
function seedTwoPages(): void {
  for (let i = 0; i < 101; i++)
    emulator.putBackend(SUB, RG, SERVICE, `b${String(i).padStart(3, '0')}`, {
      url: `https://b${i}.example.com`,
      protocol: 'http'
    })
}

describe('the token goes only to the ARM endpoint', () => {
  it('a nextLink to another origin: the list fails, naming that origin, and nothing is sent there', async () => {
    seedTwoPages()
    emulator.setNextLinkOrigin(foreign.url)
    const outcome = await runInProcess({
      operation: 'list',
      ...TARGET,
      ...secretSignIn(emulator)
    })
    expect(outcome.failure).toBe(
      `Listing the backends of '${SERVICE}' failed: refusing to follow nextLink to ${foreign.url}: it is not the ARM endpoint ${emulator.url}; the token is sent only there. ` +
        'Hint: Azure Resource Manager links only to itself; check arm-endpoint, and any proxy or gateway between the runner and Azure.'
    )
    // The first page came from the emulator; the second was never asked for anywhere.
    expect(emulator.armRequests().map((r) => [r.method, r.status])).toEqual([['GET', 200]])
    expect(foreign).toMatchObject({ connections: 0, requests: [] })
    // The recorder works: a request sent there on purpose is seen.
    await fetch(`${foreign.url}/probe`)
    expect(foreign.requests).toEqual(['GET /probe authorization=no'])
  })

  it('a nextLink to the endpoint itself is followed as usual', async () => {
    seedTwoPages()
    const outcome = await runInProcess({
      operation: 'list',
      ...TARGET,
      ...secretSignIn(emulator)
    })
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.backends)).toHaveLength(101)
    expect(emulator.armRequests()).toHaveLength(2)
    expect(foreign.connections).toBe(0)
  })

  it('a nextLink that carries a user name and password shows neither in the debug log', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'second', {
      url: 'https://b.example.com',
      protocol: 'http'
    })
    const list = `${backendPath('').slice(0, -1)}?api-version=2024-05-01`
    const userinfo = emulator.url.replace('https://', 'https://nl-user-4711:nl-pass-9876@')
    emulator.injectFault({
      method: 'GET',
      path: /\/backends$/,
      status: 200,
      body: { value: [], nextLink: `${userinfo}${list}&$top=100&$skip=0` }
    })
    const outcome = await runInProcess({
      operation: 'list',
      ...TARGET,
      ...secretSignIn(emulator)
    })
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.backends)).toHaveLength(1)
    // The first page's body, as the debug log shows it, links to the second without them.
    expect(outcome.stdout).toContain(`"nextLink":"https://***@${emulator.url.slice(8)}/`)
    expectNoSecrets(outcome, ['nl-user-4711', 'nl-pass-9876'])
  })

  it('a redirect to another origin is not followed either', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://orders.example.com',
      protocol: 'http'
    })
    emulator.injectFault({
      method: 'GET',
      path: /\/backends\/orders$/,
      status: 307,
      headers: { location: `${foreign.url}${backendPath('orders')}?api-version=2024-05-01` }
    })
    const outcome = await runInProcess({
      operation: 'get',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders'
    })
    // core-rest-pipeline does not follow a redirect to another origin; the step says why.
    expect(outcome.failure).toBe(
      `Reading backend 'orders' failed: HTTP 307: refusing to follow the redirect (Location) to ${foreign.url}: it is not the ARM endpoint ${emulator.url}; the token is sent only there. ` +
        'Hint: Azure Resource Manager does not redirect to other hosts; check arm-endpoint, and any proxy or gateway between the runner and Azure.'
    )
    expect(foreign).toMatchObject({ connections: 0, requests: [] })
  })
})
