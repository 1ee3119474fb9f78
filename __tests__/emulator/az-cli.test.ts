// The `az` stand-in (emulator/az-standin/az) and the real AzureCliCredential using it.
//
// AzureCliCredential runs `az account get-access-token …` with child_process.exec, which
// takes the environment of the real process. Jest gives each test file a copy of process.env,
// so a PATH set inside a test never reaches that child: the credential therefore runs in a
// child Node process started with emu.azStandInEnv(), exactly as the action's dist would run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import path from 'node:path'
import { ApimEmulator } from '../../emulator/server.js'
import { CLIENT_ID, arm, backendPath, decodePayload } from './helpers.js'

const RESOURCE = 'https://management.azure.com'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs a shell command line from /bin (as AzureCliCredential does) with extra env. */
function sh(command: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { cwd: '/bin', env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    )
  })
}

/** Runs the real AzureCliCredential in a child Node process; prints a JSON outcome. */
function credentialInChild(env: Record<string, string>, options = '{}'): Promise<Run> {
  const script = `
    import { AzureCliCredential } from '@azure/identity'
    try {
      const token = await new AzureCliCredential(${options}).getToken('${RESOURCE}/.default')
      console.log(JSON.stringify({ ok: true, token }))
    } catch (error) {
      console.log(JSON.stringify({ ok: false, name: error.name, message: error.message }))
    }`
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: process.cwd(), env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    )
  })
}

describe('az stand-in', () => {
  let emu: ApimEmulator
  let env: Record<string, string>

  beforeAll(async () => {
    emu = await ApimEmulator.start()
    env = emu.azStandInEnv()
  })
  afterAll(() => emu.stop())
  beforeEach(() => emu.reset())

  it('is an executable on the PATH azStandInEnv() returns', () => {
    const dir = path.resolve('emulator/az-standin')
    expect(env.PATH.split(path.delimiter)[0]).toBe(dir)
    expect(env.PATH.endsWith(process.env.PATH!)).toBe(true)
    expect(statSync(path.join(dir, 'az')).mode & 0o111).toBe(0o111)
    expect(env).toMatchObject({
      AZ_STANDIN_TOKEN_URL: `${emu.url}/${emu.tenantId}/oauth2/v2.0/token`,
      AZ_STANDIN_CLIENT_ID: CLIENT_ID,
      AZ_STANDIN_CLIENT_SECRET: expect.any(String)
    })
    expect(() => emu.azStandInEnv({ clientId: 'no-secret' })).toThrow(/clientSecret/)
  })

  it('prints a plausible az --version', async () => {
    const run = await sh('az --version', env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^azure-cli\s+2\.\d+\.\d+/)
  })

  it('answers get-access-token as the real CLI does, with a token from the emulator', async () => {
    const run = await sh(`az account get-access-token --output json --resource ${RESOURCE}`, env)
    expect(run).toMatchObject({ code: 0, stderr: '' })
    const out = JSON.parse(run.stdout)
    expect(Object.keys(out)).toEqual([
      'accessToken',
      'expiresOn',
      'expires_on',
      'subscription',
      'tenant',
      'tokenType'
    ])
    expect(out).toMatchObject({
      subscription: '00000000-0000-0000-0000-000000000000',
      tenant: emu.tenantId,
      tokenType: 'Bearer'
    })
    expect(typeof out.expires_on).toBe('number')
    expect(out.expiresOn).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    // expiresOn is local time
    const [date, time] = out.expiresOn.split(' ')
    const [y, mo, d] = date.split('-').map(Number)
    const [h, mi, s] = time.split(':').map(Number)
    expect(new Date(y, mo - 1, d, h, mi, Math.floor(s)).getTime()).toBe(out.expires_on * 1000)
    expect(decodePayload(out.accessToken)).toMatchObject({ aud: RESOURCE, appid: CLIENT_ID })
    expect(emu.tokenRequests()).toHaveLength(1)
    expect(new URLSearchParams(emu.tokenRequests()[0].body).get('scope')).toBe(
      `${RESOURCE}/.default`
    )
  })

  it('takes --scope and --tenant (no subscription in the answer then)', async () => {
    const run = await sh(
      `az account get-access-token -o json --scope ${RESOURCE}/.default --tenant ${emu.tenantId}`,
      env
    )
    const out = JSON.parse(run.stdout)
    expect(out.subscription).toBeUndefined()
    expect(out.tenant).toBe(emu.tenantId)
    const wrongTenant = await sh(
      `az account get-access-token --resource ${RESOURCE} --tenant 99999999-9999-9999-9999-999999999999`,
      env
    )
    expect(wrongTenant.code).toBe(1)
    expect(wrongTenant.stderr).toMatch(/^ERROR: AADSTS90002: Tenant/)
  })

  it('behaves like a logged-out CLI with AZ_STANDIN_LOGGED_OUT=1', async () => {
    const run = await sh(`az account get-access-token --output json --resource ${RESOURCE}`, {
      ...env,
      AZ_STANDIN_LOGGED_OUT: '1'
    })
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: "ERROR: Please run 'az login' to setup account.\n"
    })
  })

  describe('with the real AzureCliCredential', () => {
    it('gets a token that ARM accepts', async () => {
      const run = await credentialInChild(env)
      const outcome = JSON.parse(run.stdout)
      expect(outcome).toMatchObject({ ok: true, token: { tokenType: 'Bearer' } })
      expect(outcome.token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000)
      expect(decodePayload(outcome.token.token)).toMatchObject({ appid: CLIENT_ID })
      expect(emu.tokenRequests()).toHaveLength(1)
      const res = await arm(emu, 'PUT', backendPath('from-az'), {
        token: outcome.token.token,
        body: { properties: { url: 'https://x', protocol: 'http' } }
      })
      expect(res.status).toBe(201)
    })

    it('passes --tenant and --subscription through', async () => {
      const run = await credentialInChild(
        env,
        `{ tenantId: '${emu.tenantId}', subscription: '00000000-0000-0000-0000-000000000000' }`
      )
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true })
    })

    it('reports a logged-out CLI as CredentialUnavailableError', async () => {
      const run = await credentialInChild({ ...env, AZ_STANDIN_LOGGED_OUT: '1' })
      expect(JSON.parse(run.stdout)).toEqual({
        ok: false,
        name: 'CredentialUnavailableError',
        message:
          "Please run 'az login' from a command prompt to authenticate before using this credential."
      })
      expect(emu.tokenRequests()).toHaveLength(0)
    })
  })
})
