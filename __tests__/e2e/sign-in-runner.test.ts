// Sign-in the way every runner can: a managed identity on a self-hosted runner, the session of
// an earlier azure/login step, and auth-type auto choosing among them — each with the real
// @azure/identity code against the emulator. The Azure CLI runs in a child process (the
// bundled dist/index.js under Node 24), because AzureCliCredential spawns `az` with the real
// process environment, which a jest test cannot change.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { resolve } from 'node:path'
import { arcEnv, imdsEnv } from '../../emulator/managed-identity.js'
import { NODE24, runDist } from '../../scripts/runner.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import { runnerPath } from '../helpers/runner-path.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import {
  ApimEmulator,
  CLIENT_ID,
  TARGET,
  TENANT_ID,
  endpoints,
  oidcEnv
} from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const SYSTEM_MI = 'a0a0a0a0-0000-4000-8000-000000000001'
const USER_MI = 'b0b0b0b0-0000-4000-8000-000000000002'
const emu = useEmulator({
  clients: [
    {
      clientId: CLIENT_ID,
      clientSecret: 'emulator-client-secret',
      federatedSubjects: ['repo:octo-org/octo-repo:environment:production']
    }
  ],
  managedIdentity: {
    systemAssigned: { clientId: SYSTEM_MI },
    userAssigned: [{ clientId: USER_MI }]
  }
})
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const create = {
  operation: 'create',
  ...TARGET,
  'backend-id': 'orders',
  url: 'https://orders.example.com',
  protocol: 'http',
  'if-exists': 'replace'
}
/** A runner without az, whatever the host has installed (../helpers/runner-path.ts). */
const NO_AZ = runnerPath('none')
/** A self-hosted runner with a managed identity and no ID token or az. */
const onAzureHost = () => ({
  ...emulator.managedIdentityEnv(),
  PATH: NO_AZ,
  ACTIONS_ID_TOKEN_REQUEST_URL: undefined
})

describe('managed identity', () => {
  it('system-assigned: signs in through the identity endpoint and creates the backend', async () => {
    const outcome = await runInProcess(
      { ...create, 'auth-type': 'managed-identity', 'arm-endpoint': emulator.url },
      onAzureHost()
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(outcome.stdout).toContain(
      'Signing in with the system-assigned managed identity (auth-type managed-identity)'
    )
    expect(emulator.managedIdentityRequests()).toHaveLength(1)
    expect(emulator.tokenRequests()).toHaveLength(0)
    expect(emulator.issuedTokens.map((t) => [t.grant, t.clientId])).toEqual([
      ['managed_identity', SYSTEM_MI]
    ])
  })

  it('user-assigned: client-id names the identity', async () => {
    const outcome = await runInProcess(
      {
        ...create,
        'auth-type': 'managed-identity',
        'client-id': USER_MI,
        'arm-endpoint': emulator.url
      },
      onAzureHost()
    )
    expect(outcome.failure).toBeUndefined()
    expect(emulator.issuedTokens.map((t) => t.clientId)).toEqual([USER_MI])
  })

  it('an identity the machine does not have: says which, and what to check', async () => {
    const other = 'c0c0c0c0-0000-4000-8000-000000000003'
    const outcome = await runInProcess(
      {
        ...create,
        'auth-type': 'managed-identity',
        'client-id': other,
        'arm-endpoint': emulator.url
      },
      onAzureHost()
    )
    expect(outcome.failure).toContain(
      `Sign-in with the user-assigned managed identity ${other} failed: `
    )
    expect(outcome.failure).toContain(
      `Hint: check that a user-assigned identity with client id ${other} is attached to this runner's machine.`
    )
    expect(emulator.armRequests()).toHaveLength(0)
  })
})

describe('managed identity, dist/index.js under Node 24', () => {
  it('signs in with the system-assigned identity in a fresh process', async () => {
    const outcome = await runDist(
      { ...create, 'auth-type': 'managed-identity', 'arm-endpoint': emulator.url },
      { ...emulator.managedIdentityEnv(), PATH: NO_AZ },
      emulator.certPath,
      NODE24
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.code).toBe(0)
    expect(emulator.issuedTokens.map((t) => t.grant)).toEqual(['managed_identity'])
  })
})

describe('auth-type auto', () => {
  it('picks the managed identity when the runner has one and offers no secret or ID token, and says why', async () => {
    const outcome = await runInProcess({ ...create, 'arm-endpoint': emulator.url }, onAzureHost())
    expect(outcome.failure).toBeUndefined()
    expect(outcome.stdout).toContain(
      'Signing in with the system-assigned managed identity (auth-type auto: no secret or ID token, and the runner has a managed identity endpoint).'
    )
  })

  it('tries the next way when one fails, and the log says what it tried', async () => {
    // The app's federated credential is for the production environment, not this branch.
    const outcome = await runInProcess(
      { ...create, 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID, ...endpoints(emulator) },
      { ...oidcEnv(emulator), ...emulator.managedIdentityEnv(), PATH: NO_AZ }
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.stdout).toContain(`Signing in with OIDC to tenant ${TENANT_ID} as ${CLIENT_ID}`)
    expect(outcome.stdout).toContain('  failed: Sign-in with OIDC')
    expect(outcome.stdout).toContain('AADSTS70021')
    expect(outcome.stdout).toContain(
      "Signing in with the system-assigned managed identity (the previous way failed; next in auto's order)"
    )
  })

  it('when every way fails, the failure lists each try (dist/index.js, a fresh process)', async () => {
    const outcome = await runDist(
      { ...create, 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID, ...endpoints(emulator) },
      {
        ...oidcEnv(emulator),
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong',
        ...emulator.managedIdentityEnv(),
        IDENTITY_HEADER: 'wrong',
        PATH: NO_AZ
      },
      emulator.certPath,
      NODE24
    )
    expect(outcome.failure).toMatch(
      /^Sign-in failed every way auth-type auto tried: \(1\) Could not get an ID token from GitHub .* \(2\) Sign-in with the system-assigned managed identity failed: .* Not available: Azure CLI: 'az' is not on PATH\.$/
    )
    expect(emulator.armRequests()).toHaveLength(0)
  })
})

describe('the session of an earlier azure/login step (auth-type azure-cli), dist/index.js under Node 24', () => {
  const run = (env: Record<string, string>) =>
    runDist(
      { ...create, 'auth-type': 'azure-cli', 'arm-endpoint': emulator.url },
      env,
      emulator.certPath,
      NODE24
    )

  it('reuses the az session', async () => {
    const outcome = await run(emulator.azStandInEnv())
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(outcome.stdout).toContain('Signing in with the Azure CLI session (auth-type azure-cli).')
    expectNoSecrets(outcome, ['emulator-client-secret'])
  })

  it('az not logged in: says to run azure/login first', async () => {
    const outcome = await run({ ...emulator.azStandInEnv(), AZ_STANDIN_LOGGED_OUT: '1' })
    expect(outcome.failure).toContain('Sign-in with the Azure CLI session failed: ')
    expect(outcome.failure).toContain(
      'Hint: the Azure CLI is not logged in; run azure/login first, in an earlier step of the same job.'
    )
    expect(emulator.armRequests()).toHaveLength(0)
  })

  it('az not installed: says so', async () => {
    const outcome = await run({ PATH: NO_AZ })
    expect(outcome.failure).toContain("Hint: 'az' is not installed on this runner")
  })
})

/** The action's source in a fresh process (dist/ is rebuilt only at release), on a chosen PATH. */
const runSource = (inputs: Record<string, string>, env: Record<string, string>) =>
  runDist(inputs, env, emulator.certPath, process.execPath, [
    '--import',
    'tsx',
    resolve('src/index.ts')
  ])

describe('a GitHub-hosted runner: az installed and logged out (auth-type auto, a fresh process)', () => {
  const oidcInputs = () => ({
    ...create,
    'client-id': CLIENT_ID,
    'tenant-id': TENANT_ID,
    ...endpoints(emulator)
  })
  const noIdTokenLead =
    "Input 'auth-type': no way to sign in: client-id and tenant-id were given without a secret, which means OIDC, but the job has no GitHub ID token. Grant the job 'permissions: id-token: write' (or add 'client-secret'). auto looked for: client secret: none given; OIDC: no GitHub ID token (grant the job 'permissions: id-token: write'); managed identity: no IDENTITY_ENDPOINT/IDENTITY_HEADER, IDENTITY_ENDPOINT/IMDS_ENDPOINT (Azure Arc) or MSI_ENDPOINT (on an Azure VM, set auth-type: managed-identity); Azure CLI: "

  it('client-id and tenant-id without id-token: write: the fix is the permission, not azure/login', async () => {
    const outcome = await runSource(oidcInputs(), { PATH: runnerPath('logged-out') })
    expect(outcome.failure).toBe(
      `${noIdTokenLead}'az' is on PATH but has no session (Please run 'az login' from a command prompt to authenticate before using this credential.).`
    )
    expect(outcome.stdout).toContain('Signing in with the Azure CLI session')
    expect(outcome.failure).not.toContain('run azure/login first')
  })

  it('the same fix on a runner without az, before any request', async () => {
    const outcome = await runInProcess(oidcInputs(), {
      PATH: NO_AZ,
      ACTIONS_ID_TOKEN_REQUEST_URL: undefined
    })
    expect(outcome.failure).toBe(`${noIdTokenLead}'az' is not on PATH.`)
    expect(emulator.requests).toHaveLength(0)
  })

  it('nothing given: the usual guidance on what to give', async () => {
    const outcome = await runSource(
      { ...create, 'arm-endpoint': emulator.url },
      { PATH: runnerPath('logged-out') }
    )
    expect(outcome.failure).toMatch(
      /^Input 'auth-type': no way to sign in: give 'client-id' and 'tenant-id' \(OIDC, with 'permissions: id-token: write'\), add 'client-secret', or pass the azure\/login JSON in 'creds'\. auto looked for: .*Azure CLI: 'az' is on PATH but has no session \(Please run 'az login'/
    )
  })

  it('OIDC refused by Entra: that failure alone, with its own hint', async () => {
    // The app's federated credential is for the production environment, not this branch.
    const outcome = await runSource(oidcInputs(), {
      ...oidcEnv(emulator),
      PATH: runnerPath('logged-out')
    })
    expect(outcome.failure).toMatch(
      /^Sign-in with OIDC to tenant .* failed: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:octo-org\/octo-repo:ref:refs\/heads\/main'\..* Hint: the app's federated credential must have exactly this issuer, subject and audience/
    )
    expect(outcome.stdout).toContain(
      "  not available: 'az' is on PATH but has no session (Please run 'az login'"
    )
  })

  it('an earlier azure/login step left a session: auto uses it', async () => {
    const { PATH: _host, ...standIn } = emulator.azStandInEnv()
    const outcome = await runSource(
      { ...create, 'arm-endpoint': emulator.url },
      { ...standIn, PATH: runnerPath('session') }
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(outcome.stdout).toContain(
      "Signing in with the Azure CLI session (auth-type auto: no secret, ID token or managed identity, and 'az' is on PATH"
    )
  })
})

// A fresh process each: MSAL keeps managed identity tokens in a process-wide cache.
describe('managed identity on an Azure VM (IMDS) and on Azure Arc (the source, a fresh process)', () => {
  it('a VM: signs in through IMDS (moved off 169.254.169.254 by AZURE_POD_IDENTITY_AUTHORITY_HOST)', async () => {
    const outcome = await runSource(
      { ...create, 'auth-type': 'managed-identity', 'arm-endpoint': emulator.url },
      { ...imdsEnv(emulator.url), PATH: NO_AZ }
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    const [imds] = emulator.managedIdentityRequests()
    expect(imds.path).toMatch(/^\/metadata\/identity\/oauth2\/token\/?$/)
    expect(imds.headers.metadata).toBe('true')
    expect(imds.query['api-version']).toBe('2018-02-01')
    expect(emulator.issuedTokens.map((t) => t.clientId)).toEqual([SYSTEM_MI])
  })

  it('a VM with a user-assigned identity: client-id names it', async () => {
    const outcome = await runSource(
      {
        ...create,
        'auth-type': 'managed-identity',
        'client-id': USER_MI,
        'arm-endpoint': emulator.url
      },
      { ...imdsEnv(emulator.url), PATH: NO_AZ }
    )
    expect(outcome.failure).toBeUndefined()
    expect(emulator.issuedTokens.map((t) => t.clientId)).toEqual([USER_MI])
  })

  // Limit, stated: MSAL reads the Arc key file only from /var/opt/azcmagent/tokens/ (AzureArc.ts),
  // which a test cannot write without root; the emulator writes it to a temporary directory, so
  // MSAL stops at the challenge. The whole exchange is in __tests__/emulator/managed-identity.test.ts.
  it('Azure Arc: auto finds the identity (IDENTITY_ENDPOINT + IMDS_ENDPOINT), meets the key-file challenge, and the hint names the key file', async () => {
    const outcome = await runSource(
      { ...create, 'arm-endpoint': emulator.url },
      { ...arcEnv(emulator.url), PATH: NO_AZ }
    )
    expect(outcome.stdout).toContain(
      'Signing in with the system-assigned managed identity (auth-type auto: no secret or ID token, and the runner has a managed identity endpoint).'
    )
    const [challenge] = emulator.managedIdentityRequests()
    expect(challenge.status).toBe(401)
    expect(challenge.query['api-version']).toBe('2020-06-01')
    expect(outcome.failure).toMatch(
      /^Sign-in with the system-assigned managed identity failed: .*WWW-Authenticate.* Hint: on an Azure Arc-enabled server, the runner's user must be able to read the agent's key file in \/var\/opt\/azcmagent\/tokens/
    )
    expect(emulator.armRequests()).toHaveLength(0)
  })
})
