// Sovereign clouds: environment picks the token scope and the OIDC audience from one table,
// and arm-endpoint/authority-host move only the URLs (here, to an emulator that plays that
// cloud's Resource Manager and accepts only that cloud's audiences).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import {
  ApimEmulator,
  CLIENT_ID,
  TARGET,
  TENANT_ID,
  endpoints,
  oidcEnv,
  secretSignIn
} from '../helpers/scenario.js'

const clouds: Record<string, ApimEmulator> = {}
beforeAll(async () => {
  clouds.AzureUSGovernment = await ApimEmulator.start({ cloud: 'AzureUSGovernment' })
  clouds.AzureChinaCloud = await ApimEmulator.start({ cloud: 'AzureChinaCloud' })
})
afterAll(async () => {
  for (const e of Object.values(clouds)) await e.stop()
})

const create = {
  operation: 'create',
  ...TARGET,
  'backend-id': 'orders',
  url: 'https://orders.example.com',
  protocol: 'http'
}

describe('environment', () => {
  it('AzureUSGovernment with OIDC: the US Gov token scope and the US Gov exchange audience', async () => {
    const emulator = clouds.AzureUSGovernment
    const outcome = await runInProcess(
      {
        ...create,
        environment: 'AzureUSGovernment',
        'client-id': CLIENT_ID,
        'tenant-id': TENANT_ID,
        ...endpoints(emulator)
      },
      oidcEnv(emulator)
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    const form = new URLSearchParams(emulator.tokenRequests()[0].body)
    expect(form.get('scope')).toBe('https://management.usgovcloudapi.net/.default')
    const oidc = emulator.requests.find((r) => r.path.includes('/_github/oidc/'))!
    expect(oidc.query.audience).toBe('api://AzureADTokenExchangeUSGov')
  })

  it('AzureChinaCloud with a client secret: the China token scope', async () => {
    const emulator = clouds.AzureChinaCloud
    const outcome = await runInProcess({
      ...create,
      environment: 'AzureChinaCloud',
      ...secretSignIn(emulator)
    })
    expect(outcome.failure).toBeUndefined()
    expect(new URLSearchParams(emulator.tokenRequests()[0].body).get('scope')).toBe(
      'https://management.chinacloudapi.cn/.default'
    )
  })

  it("the wrong environment for the cloud: ARM refuses the token's audience, and says so", async () => {
    const emulator = clouds.AzureChinaCloud
    emulator.reset()
    const outcome = await runInProcess({ ...create, ...secretSignIn(emulator) })
    expect(outcome.failure).toMatch(
      /HTTP 401 InvalidAuthenticationTokenAudience: The access token has been obtained for wrong audience or resource 'https:\/\/management.azure.com'/
    )
  })

  it('an unknown environment lists the allowed values', async () => {
    const outcome = await runInProcess({
      ...create,
      environment: 'AzureGermanCloud',
      ...secretSignIn(clouds.AzureChinaCloud)
    })
    expect(outcome.failure).toBe(
      "Input 'environment': 'AzureGermanCloud' is not supported. Supported values: AzureCloud, AzureUSGovernment, AzureChinaCloud."
    )
  })
})
