// APIM_EMULATOR_* variables: parsed by optionsFromEnv() and applied by `cli.ts start`.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { optionsFromEnv } from '../../emulator/env-config.js'

describe('optionsFromEnv', () => {
  it('is empty when nothing is set', () => {
    expect(optionsFromEnv({})).toEqual({})
    expect(optionsFromEnv({ APIM_EMULATOR_THROTTLE: '0', APIM_EMULATOR_LATENCY_MS: '' })).toEqual(
      {}
    )
  })

  it('reads the latency', () => {
    expect(optionsFromEnv({ APIM_EMULATOR_LATENCY_MS: '25' })).toEqual({ latencyMs: 25 })
    expect(optionsFromEnv({ APIM_EMULATOR_LATENCY_MS: '0.5' })).toEqual({ latencyMs: 0.5 })
    for (const bad of ['abc', '-1', 'Infinity', '10ms']) {
      expect(() => optionsFromEnv({ APIM_EMULATOR_LATENCY_MS: bad })).toThrow(
        /^APIM_EMULATOR_LATENCY_MS /
      )
    }
  })

  it('reads the throttle: 1/true for the defaults, or JSON buckets', () => {
    expect(optionsFromEnv({ APIM_EMULATOR_THROTTLE: '1' })).toEqual({ throttle: {} })
    expect(optionsFromEnv({ APIM_EMULATOR_THROTTLE: 'true' })).toEqual({ throttle: {} })
    expect(optionsFromEnv({ APIM_EMULATOR_THROTTLE: 'false' })).toEqual({})
    expect(
      optionsFromEnv({
        APIM_EMULATOR_THROTTLE: '{"writes":{"burst":5,"refillPerSecond":0.5}}'
      })
    ).toEqual({ throttle: { writes: { burst: 5, refillPerSecond: 0.5 } } })
    for (const bad of [
      '{',
      '[]',
      '"yes please"',
      '{"writes":{"burst":0,"refillPerSecond":1}}',
      '{"reads":{"burst":1}}',
      '{"deletes":{"burst":1,"refillPerSecond":1}}'
    ]) {
      expect(() => optionsFromEnv({ APIM_EMULATOR_THROTTLE: bad })).toThrow(
        /^APIM_EMULATOR_THROTTLE/
      )
    }
  })

  it('reads faults with regex-string paths', () => {
    const { faults } = optionsFromEnv({
      APIM_EMULATOR_FAULTS: JSON.stringify([
        { method: 'PUT', path: '/backends/b1$', status: 429, headers: { 'Retry-After': '1' } },
        { path: 'OAUTH2/V2\\.0/token', flags: 'i', kind: 'drop', times: 2 },
        { kind: 'slow', delayMs: 5000 },
        { kind: 'drop-after-apply', method: 'DELETE', body: { raw: true } }
      ])
    })
    expect(faults).toHaveLength(4)
    expect(faults![0]).toEqual({
      method: 'PUT',
      path: /\/backends\/b1$/,
      status: 429,
      headers: { 'Retry-After': '1' }
    })
    expect(faults![1].path!.test('/t/oauth2/v2.0/token')).toBe(true)
    expect(faults![1]).toMatchObject({ kind: 'drop', times: 2 })
    expect(faults![2]).toEqual({ kind: 'slow', delayMs: 5000 })
    expect(faults![3]).toEqual({ kind: 'drop-after-apply', method: 'DELETE', body: { raw: true } })
  })

  it('names the variable when a fault is wrong', () => {
    for (const bad of [
      'nope',
      '{}',
      '[1]',
      '[{"path":"("}]',
      '[{"status":"500"}]',
      '[{"kind":"explode","status":500}]',
      '[{"kind":"slow"}]',
      '[{"path":"x"}]',
      '[{"status":500,"times":0}]',
      '[{"status":500,"headers":{"a":1}}]',
      '[{"status":500,"colour":"red"}]'
    ]) {
      expect(() => optionsFromEnv({ APIM_EMULATOR_FAULTS: bad })).toThrow(/^APIM_EMULATOR_FAULTS/)
    }
  })
})

/** `tsx emulator/cli.ts start` with extra env; resolves with its first stdout line. */
function startCli(env: Record<string, string>) {
  const tsx = path.resolve('node_modules/tsx/dist/cli.mjs')
  const child = spawn(process.execPath, [tsx, 'emulator/cli.ts', 'start'], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0])
    })
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)))
  })
  return { child, firstLine, exited, stderr: () => stderr }
}

describe('cli.ts start', () => {
  it('applies APIM_EMULATOR_FAULTS and APIM_EMULATOR_LATENCY_MS', async () => {
    const cli = startCli({
      APIM_EMULATOR_LATENCY_MS: '1',
      APIM_EMULATOR_FAULTS: JSON.stringify([
        { method: 'GET', path: '/_github/oidc/token$', status: 503, message: 'from env' }
      ])
    })
    try {
      const info = JSON.parse(await cli.firstLine)
      const get = () =>
        fetch(info.env.ACTIONS_ID_TOKEN_REQUEST_URL, {
          headers: { authorization: `Bearer ${info.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` }
        })
      const faulted = await get()
      expect([faulted.status, await faulted.json()]).toEqual([503, { message: 'from env' }])
      expect((await get()).status).toBe(200)
      expect(cli.stderr()).toMatch(/latency 1 ms, 1 injected fault/)
    } finally {
      cli.child.kill('SIGTERM')
      await cli.exited
    }
  })

  it('refuses to start on a bad value, naming the variable', async () => {
    const cli = startCli({ APIM_EMULATOR_THROTTLE: '{"writes":3}' })
    cli.firstLine.catch(() => undefined)
    expect(await cli.exited).toBe(1)
    expect(cli.stderr()).toMatch(/^APIM_EMULATOR_THROTTLE\.writes must be/)
  })
})
