// A team that owns one APIM workspace: the `workspace` input, read before any request — what it
// accepts, where pool members and certificates are looked for, and what a workspace cannot do.
import { describe, expect, it, jest } from '@jest/globals'
import type { RawInputs } from '../../src/inputs.js'
import type { CreateRequest } from '../../src/operations/create/types.js'
import type { SwitchRequest } from '../../src/operations/switch/types.js'
import { InputErrors } from '../../src/input-rules/model.js'
import { buildRequest } from '../../src/step/build-single.js'
import { Secrets } from '../../src/secrets.js'
import { SUB, base, create, reset } from '../helpers/raw-inputs.js'

jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

const SERVICE = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1`
const TEAM_A = `${SERVICE}/workspaces/team-a`

const build = (raw: RawInputs) => buildRequest(raw, new Secrets(), {})
function problems(raw: RawInputs): string {
  try {
    build(raw)
  } catch (e) {
    if (e instanceof InputErrors) return e.message
    throw e
  }
  throw new Error('expected the inputs to be refused')
}

describe('workspace: the backends of one APIM workspace', () => {
  it('puts the target in the workspace', () => {
    const req = build(create({ workspace: 'team-a' }))
    expect(req.target).toMatchObject({ serviceName: 'apimService1', workspace: 'team-a' })
  })

  it('without it, nothing changes: no workspace in the target', () => {
    expect(build(create({})).target.workspace).toBeUndefined()
  })

  it.each(['', 'a/b', 'team#1', 'x'.repeat(81), '..', ' team', 'a:b', 'a?b'])(
    'refuses %j, saying what a workspace id is',
    (value) => {
      expect(problems(create({ workspace: value }))).toMatch(
        /Input 'workspace': .* is not a workspace id; expected/
      )
    }
  )

  it('takes the workspace from an earlier step’s backend output', () => {
    const backend = JSON.stringify({ id: `${TEAM_A}/backends/orders`, name: 'orders' })
    const req = build({ operation: 'get', backend, ...clientSecret() })
    expect(req.target).toMatchObject({ backendId: 'orders', workspace: 'team-a' })
  })

  it('refuses a workspace that differs from the backend output’s, or a service-level backend output with a workspace', () => {
    const inTeamA = JSON.stringify({ id: `${TEAM_A}/backends/orders` })
    expect(
      problems({ operation: 'get', backend: inTeamA, workspace: 'team-b', ...clientSecret() })
    ).toContain("Input 'workspace': 'team-b' differs from the 'backend' id's workspace 'team-a'.")
    const serviceLevel = JSON.stringify({ id: `${SERVICE}/backends/orders` })
    expect(
      problems({ operation: 'get', backend: serviceLevel, workspace: 'team-a', ...clientSecret() })
    ).toContain("the 'backend' id is of a backend of the service itself")
  })

  it('pool members given as ids are the workspace’s backends', () => {
    const req = build({
      ...create({ workspace: 'team-a', pool: '[blue, green]' }),
      url: undefined as unknown as string,
      protocol: undefined as unknown as string
    }) as CreateRequest
    expect(req.poolMembers).toEqual([`${TEAM_A}/backends/blue`, `${TEAM_A}/backends/green`])
  })

  it.each([
    [`${SERVICE}/backends/blue`, 'the service itself'],
    [`${SERVICE}/workspaces/team-b/backends/blue`, 'another workspace']
  ])('refuses a pool member %s (%s) before any request', (member) => {
    const raw: RawInputs = { ...create({ workspace: 'team-a', pool: `['${member}']` }) }
    delete raw.url
    delete raw.protocol
    expect(problems(raw)).toContain(
      `'${member}' is a backend of another workspace, or of the service itself; a pool's members must be backends of workspace team-a of service apimService1.`
    )
  })

  it('certificate ids given as names are the workspace’s certificates; another scope’s are refused', () => {
    const req = build(
      create({
        workspace: 'team-a',
        'backend-credentials': 'certificateIds: [client-cert]'
      })
    ) as CreateRequest
    expect(req.backend.credentials?.certificateIds).toEqual([`${TEAM_A}/certificates/client-cert`])
    expect(
      problems(
        create({
          workspace: 'team-a',
          'backend-credentials': `certificateIds: ['${SERVICE}/certificates/client-cert']`
        })
      )
    ).toContain(
      `'${SERVICE}/certificates/client-cert' is not a certificate of workspace team-a of service apimService1`
    )
  })

  it('reset is refused at once, naming workspace and saying a workspace backend has no reconnect', () => {
    expect(problems(reset({ workspace: 'team-a' }))).toContain(
      "Input 'workspace': is 'team-a', but a workspace's backends have no reconnect"
    )
  })

  it('switch in a workspace: no wait for a reconnect in its time budget; time-until-reset refused', () => {
    const step: RawInputs = {
      operation: 'switch',
      'backend-id': 'orders',
      url: 'https://green.example.com',
      'health-url': 'https://green.example.com/healthz',
      workspace: 'team-a',
      ...base
    }
    const req = build(step) as SwitchRequest
    // No reconnect to wait for: the gate (300 s), one attempt (30 s) and the rollback reserve.
    expect(req.limits.timeoutMs).toBe((300 + 30 + 60) * 1000)
    expect(problems({ ...step, 'time-until-reset': '30' })).toContain(
      "Input 'time-until-reset': does not apply in a workspace"
    )
  })
})

function clientSecret(): RawInputs {
  const { 'subscription-id': _s, 'resource-group': _r, 'service-name': _n, ...signIn } = base
  return signIn
}
