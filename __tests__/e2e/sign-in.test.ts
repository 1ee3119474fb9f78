// Each way a workflow signs in, with the real @azure/identity code against the emulator's
// Entra endpoints, and what the step says when sign-in fails. The runs are in this process, on
// a runner without `az` (PATH set below, never the host's: an in-process AzureCliCredential
// would run the host's az; the runner tests cover az in a child process).
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess as runWithHostPath } from '../../scripts/run-in-process.js'
import { runnerPath } from '../helpers/runner-path.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import { maskedValues } from '../../scripts/outcome.js'
import {
  ApimEmulator,
  CLIENT_ID,
  CLIENT_SECRET,
  SUB,
  TARGET,
  TENANT_ID,
  endpoints,
  oidcEnv,
  secretSignIn
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator({
  clients: [
    {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      federatedSubjects: ['repo:octo-org/octo-repo:ref:refs/heads/main']
    },
    {
      clientId: '22222222-2222-2222-2222-222222222222',
      federatedSubjects: ['repo:octo-org/octo-repo:environment:production']
    }
  ]
})
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const runInProcess = (
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
) => runWithHostPath(inputs, { PATH: runnerPath('none'), ...env })

const createInputs = {
  operation: 'create',
  ...TARGET,
  'backend-id': 'orders',
  url: 'https://orders.example.com',
  protocol: 'http'
}

describe('sign-in', () => {
  it('OIDC: auto picks it for client-id and tenant-id without a secret, and exchanges the GitHub ID token', async () => {
    const outcome = await runInProcess(
      { ...createInputs, 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID, ...endpoints(emulator) },
      oidcEnv(emulator)
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(outcome.stdout).toContain(
      '(auth-type auto: client-id and tenant-id were given without a secret, and the runner offers a GitHub ID token)'
    )
    const token = emulator.tokenRequests()[0]
    const form = new URLSearchParams(token.body)
    expect(form.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    )
    expect(form.get('client_secret')).toBeNull()
    // The GitHub ID token and the access token were masked the moment they existed.
    const idToken = form.get('client_assertion')!
    expect(maskedValues(outcome.stdout)).toContain(idToken)
    expectNoSecrets(outcome, [idToken])
  })

  it('client secret: auto picks it when a secret is given, and never prints it', async () => {
    const outcome = await runInProcess({ ...createInputs, ...secretSignIn(emulator) })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.stdout).toContain('(auth-type auto: a client secret was given)')
    expectNoSecrets(outcome, [CLIENT_SECRET])
  })

  it('creds: the azure/login JSON supplies client, secret, tenant and subscription', async () => {
    const creds = JSON.stringify({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      subscriptionId: SUB,
      tenantId: TENANT_ID,
      activeDirectoryEndpointUrl: 'https://login.microsoftonline.com',
      resourceManagerEndpointUrl: 'https://management.azure.com/',
      activeDirectoryGraphResourceId: 'https://graph.windows.net/',
      sqlManagementEndpointUrl: 'https://management.core.windows.net:8443/',
      galleryEndpointUrl: 'https://gallery.azure.com/',
      managementEndpointUrl: 'https://management.core.windows.net/'
    })
    const { 'subscription-id': _omit, ...withoutSub } = createInputs
    const outcome = await runInProcess({ ...withoutSub, creds, ...endpoints(emulator) })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expectNoSecrets(outcome, [CLIENT_SECRET])
  })

  it('a wrong client secret fails with the Entra code and what to fix, without sending an ARM request', async () => {
    const outcome = await runInProcess({
      ...createInputs,
      ...secretSignIn(emulator),
      'client-secret': 'not-the-secret-4711'
    })
    expect(outcome.failure).toMatch(
      /^Sign-in with a client secret to tenant .* failed: AADSTS7000215: /
    )
    expect(outcome.failure).toContain('Hint: the client secret is wrong or expired')
    expect(emulator.armRequests()).toHaveLength(0)
    expectNoSecrets(outcome, ['not-the-secret-4711'])
  })

  it("OIDC with a federated-credential subject mismatch prints the token's claims and the fix", async () => {
    const outcome = await runInProcess(
      {
        ...createInputs,
        'client-id': '22222222-2222-2222-2222-222222222222',
        'tenant-id': TENANT_ID,
        'auth-type': 'oidc',
        ...endpoints(emulator)
      },
      oidcEnv(emulator)
    )
    expect(outcome.failure).toContain('AADSTS70021')
    expect(outcome.failure).toContain(
      "The GitHub ID token had iss 'https://token.actions.githubusercontent.com', sub 'repo:octo-org/octo-repo:ref:refs/heads/main', aud 'api://AzureADTokenExchange'."
    )
    expect(outcome.failure).toContain('permissions: id-token: write')
    expect(emulator.armRequests()).toHaveLength(0)
  })

  it('OIDC when GitHub refuses the ID token request says to grant id-token: write', async () => {
    const outcome = await runInProcess(
      { ...createInputs, 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID, ...endpoints(emulator) },
      { ...oidcEnv(emulator), ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' }
    )
    expect(outcome.failure).toMatch(
      /^Could not get an ID token from GitHub for audience 'api:\/\/AzureADTokenExchange': .*Grant the job 'permissions: id-token: write'\.$/
    )
  })

  it('OIDC without the id-token permission fails before any request', async () => {
    const outcome = await runInProcess(
      {
        ...createInputs,
        'client-id': CLIENT_ID,
        'tenant-id': TENANT_ID,
        'auth-type': 'oidc',
        ...endpoints(emulator)
      },
      { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined }
    )
    expect(outcome.failure).toContain("Grant the job 'permissions: id-token: write'")
    expect(emulator.requests).toHaveLength(0)
  })
})
