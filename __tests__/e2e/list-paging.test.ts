// A list step follows the service's nextLinks, page after page. A service (or a proxy in
// between) that links back to a page already read must not keep the step reading forever: a
// red team saw 38,128 GETs in 15 s before this was bounded.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
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
beforeEach(() => {
  emulator = emu()
})

const listPath = backendPath('').replace(/\/$/, '')

/** List request n (from 1, up to `pages`) answers one backend and a nextLink to `next(n)`. */
function serveLinks(next: (n: number) => string, pages = 10): void {
  // Faults are used in the order they were injected, each for one request.
  for (let n = 1; n <= pages; n++)
    emulator.injectFault({
      method: 'GET',
      path: /\/backends$/,
      status: 200,
      body: {
        value: [
          {
            id: `${listPath}/b${n}`,
            name: `b${n}`,
            type: 'Microsoft.ApiManagement/service/backends',
            properties: { url: `https://b${n}.example.com`, protocol: 'http' }
          }
        ],
        nextLink: next(n)
      }
    })
}

describe('operation: list ends, whatever links the service answers', () => {
  it('a nextLink that repeats the page just read: the step fails after two GETs, naming the service', async () => {
    serveLinks(() => `${emulator.url}${listPath}?api-version=2024-05-01&$skip=1`)
    const outcome = await runInProcess({ operation: 'list', ...TARGET, ...secretSignIn(emulator) })
    expect(outcome.failure).toBe(
      `Listing the backends of '${SERVICE}' failed: page 2 links to a page already read, so the listing stops rather than read the same pages forever. ` +
        'Hint: the service, or a proxy between the runner and Azure, repeats a nextLink; re-run, and report it to Azure support if it persists.'
    )
    expect(emulator.armRequests().map((r) => r.method)).toEqual(['GET', 'GET'])
  })

  it('a cycle of three pages (the same links, their query reordered): stopped at the first repeat', async () => {
    const links = ['$skip=1&$top=1', '$skip=2&$top=1', '$top=1&$skip=1']
    serveLinks((n) => `${emulator.url}${listPath}?api-version=2024-05-01&${links[(n - 1) % 3]}`)
    const outcome = await runInProcess({ operation: 'list', ...TARGET, ...secretSignIn(emulator) })
    expect(outcome.failure).toMatch(/failed: page 3 links to a page already read/)
    expect(emulator.armRequests()).toHaveLength(3)
  })

  it('pages that each link to a new one end when the last page says nextLink ""', async () => {
    serveLinks((n) => (n < 5 ? `${emulator.url}${listPath}?api-version=2024-05-01&$skip=${n}` : ''))
    const outcome = await runInProcess({ operation: 'list', ...TARGET, ...secretSignIn(emulator) })
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.backends)).toHaveLength(5)
    expect(emulator.armRequests()).toHaveLength(5)
    expect(emulator.getBackend(SUB, RG, SERVICE, 'b1')).toBeUndefined()
  })

  it("a nextLink's user name and password are secrets, with debug logging off too", async () => {
    const link = `${emulator.url.replace('https://', 'https://link-user-4711:link-pass-4711@')}${listPath}?api-version=2024-05-01&$skip=1`
    serveLinks(() => link, 1)
    emulator.injectFault({
      method: 'GET',
      path: /\/backends$/,
      status: 500,
      times: 4,
      message: `could not serve ${link}`
    })
    const outcome = await runInProcess(
      { operation: 'list', ...TARGET, ...secretSignIn(emulator) },
      { RUNNER_DEBUG: undefined, APIM_BACKEND_ACTION_RETRY_DELAY_MS: '0' }
    )
    expect(outcome.failure).toMatch(/could not serve https:\/\/\*\*\*@127\.0\.0\.1/)
    for (const text of [outcome.stdout, outcome.summary])
      expect(text.replace(/^::add-mask::.*$/gm, '')).not.toMatch(/link-user-4711|link-pass-4711/)
  })
})
