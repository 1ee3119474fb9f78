// The emulator's scriptable health endpoints: /health/<name> answers from its script in order, the
// last answer repeating; redirects, delays and drops; a hook per request for races; every request
// recorded; reset() clears the scripts; APIM_EMULATOR_HEALTH.
import { describe, expect, it } from '@jest/globals'
import { optionsFromEnv } from '../../emulator/env-config.js'
import { ApimEmulator } from '../../emulator/server.js'
import { probeHealth } from '../../src/operations/switch/probe.js'
import { parseStatusRanges } from '../../src/operations/switch/status-ranges.js'
import { useEmulator } from '../helpers/use-emulator.js'
import { RG, SERVICE, SUB, send } from './helpers.js'

const emulator = useEmulator()

describe('health endpoints', () => {
  it('answers 404 for a name without a script', async () => {
    const emu = emulator()
    const unknown = await send(emu.healthUrl('orders'))
    expect(unknown.status).toBe(404)
    expect(unknown.json.error.message).toMatch(/No health endpoint 'orders'/)
    expect((await send(`${emu.url}/health/`)).status).toBe(404)
    expect(emu.healthRequests('orders')).toHaveLength(1)
  })

  it('answers the script in order, the last answer repeating, at any path under the name', async () => {
    const emu = emulator()
    emu.setHealth('orders', [503, 503, 200])
    const paths = ['', '/ready', '?x=1', '/deep/er', '']
    const answers = []
    for (const p of paths) answers.push(await send(emu.healthUrl('orders', p)))
    expect(answers.map((a) => a.status)).toEqual([503, 503, 200, 200, 200])
    expect(answers[0].json).toEqual({ status: 'Unhealthy', name: 'orders', answer: 1 })
    expect(answers[2].json).toEqual({ status: 'Healthy', name: 'orders', answer: 3 })
    expect(emu.healthRequests('orders').map((r) => r.path)).toEqual([
      '/health/orders',
      '/health/orders/ready',
      '/health/orders',
      '/health/orders/deep/er',
      '/health/orders'
    ])
    // Another name has its own script and count; names are matched exactly.
    emu.setHealth('billing api', [{ status: 204 }])
    expect(emu.healthUrl('billing api')).toBe(`${emu.url}/health/billing%20api`)
    expect((await send(emu.healthUrl('billing api'))).status).toBe(204)
    expect((await send(emu.healthUrl('Orders'))).status).toBe(404)
    expect(emu.healthRequests('billing api')).toHaveLength(1)
    expect(emu.healthRequests('orders')).toHaveLength(5)
  })

  it('answers redirects, headers and bodies as scripted', async () => {
    const emu = emulator()
    emu.setHealth('orders', [
      { status: 302, location: 'https://other.example/x' },
      { status: 200, headers: { 'x-version': 'blue' }, body: 'all good' }
    ])
    const moved = await send(emu.healthUrl('orders'), { redirect: 'manual' })
    expect(moved.status).toBe(302)
    expect(moved.headers.get('location')).toBe('https://other.example/x')
    const ok = await send(emu.healthUrl('orders'))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-version')).toBe('blue')
    expect(ok.text).toBe('all good')
  })

  it('holds an answer back by delayMs, and stops waiting when the client gives up', async () => {
    const emu = emulator()
    emu.setHealth('orders', [
      { status: 200, delayMs: 150 },
      { status: 200, delayMs: 5000 }
    ])
    const begun = Date.now()
    expect((await send(emu.healthUrl('orders'))).status).toBe(200)
    expect(Date.now() - begun).toBeGreaterThanOrEqual(140)
    await expect(
      fetch(emu.healthUrl('orders'), { signal: AbortSignal.timeout(100) })
    ).rejects.toThrow()
    await until(() => emu.healthRequests('orders')[1]?.clientClosed === true)
    expect(emu.healthRequests('orders')[1]).toMatchObject({ status: 200, clientClosed: true })
  })

  it('drops the connection when scripted to', async () => {
    const emu = emulator()
    emu.setHealth('orders', [{ status: 200, drop: true }, 200])
    await expect(fetch(emu.healthUrl('orders'))).rejects.toThrow()
    expect((await send(emu.healthUrl('orders'))).status).toBe(200)
    expect(emu.healthRequests('orders')[0]).toMatchObject({ status: 0, dropped: true })
  })

  it('calls onRequest with the count before answering: another writer can change the backend', async () => {
    const emu = emulator()
    emu.putBackend(SUB, RG, SERVICE, 'orders', { url: 'https://green.example', protocol: 'http' })
    const counts: number[] = []
    const seenBefore: string[] = []
    emu.setHealth('orders', [503], {
      onRequest: (count) => {
        counts.push(count)
        if (count === 2) {
          emu.putBackend(SUB, RG, SERVICE, 'orders', {
            url: 'https://someone-else.example',
            protocol: 'http'
          })
        }
        seenBefore.push(emu.getBackend(SUB, RG, SERVICE, 'orders')!.contract.properties.url)
      }
    })
    for (let i = 0; i < 3; i += 1) await send(emu.healthUrl('orders'))
    expect(counts).toEqual([1, 2, 3])
    expect(seenBefore).toEqual([
      'https://green.example',
      'https://someone-else.example',
      'https://someone-else.example'
    ])

    // The object form, and an async hook, which is awaited before the answer.
    const order: string[] = []
    emu.setHealth('billing', {
      answers: [200],
      onRequest: async (count) => {
        await new Promise((r) => setTimeout(r, 30))
        order.push(`hook ${count}`)
      }
    })
    await send(emu.healthUrl('billing'))
    order.push('answered')
    expect(order).toEqual(['hook 1', 'answered'])
  })

  it('records each request: method, path and headers; the probe sends no authorization', async () => {
    const emu = emulator()
    emu.setHealth('orders', [503, 200])
    const lines: string[] = []
    const report = await probeHealth(
      {
        url: emu.healthUrl('orders', '/status?subscription-key=QUERY-KEY'),
        headers: { 'Ocp-Apim-Subscription-Key': 'HEADER-KEY' },
        accept: parseStatusRanges('200-299'),
        successes: 2,
        intervalMs: 10,
        timeoutMs: 5000,
        attemptTimeoutMs: 2000,
        signal: new AbortController().signal
      },
      (line) => lines.push(line)
    )
    expect(report).toMatchObject({ healthy: true, attempts: 3, good: 2 })
    const recorded = emu.healthRequests('orders')
    expect(recorded).toHaveLength(3)
    for (const r of recorded) {
      expect(r.method).toBe('GET')
      expect(r.path).toBe('/health/orders/status')
      expect(r.query).toEqual({ 'subscription-key': 'QUERY-KEY' })
      expect(r.headers['ocp-apim-subscription-key']).toBe('HEADER-KEY')
      expect(r.headers['user-agent']).toBe('apim-backend-action (health probe)')
      expect(r.headers.authorization).toBeUndefined()
    }
    expect(recorded.map((r) => r.status)).toEqual([503, 200, 200])
    expect(lines[0]).toMatch(
      new RegExp(
        `^health: GET ${emu.url}/health/orders/status -> 503 in \\d+ ms \\(not 200-299\\)$`
      )
    )
    expect(lines.join('\n')).not.toMatch(/QUERY-KEY|HEADER-KEY|Healthy/)
    // Health requests are not ARM requests.
    expect(emu.armRequests()).toHaveLength(0)
  })

  it('takes injected faults like any route', async () => {
    const emu = emulator()
    emu.setHealth('orders', [200])
    emu.injectFault({ path: /^\/health\/orders/, status: 500 })
    expect((await send(emu.healthUrl('orders'))).status).toBe(500)
    expect((await send(emu.healthUrl('orders'))).status).toBe(200)
  })

  it('reset() clears the scripts and their counts; setHealth replaces a script', async () => {
    const emu = emulator()
    emu.setHealth('orders', [503, 200])
    await send(emu.healthUrl('orders'))
    emu.setHealth('orders', [418, 200])
    expect((await send(emu.healthUrl('orders'))).status).toBe(418)
    emu.reset()
    expect(emu.healthRequests('orders')).toHaveLength(0)
    expect((await send(emu.healthUrl('orders'))).status).toBe(404)
    emu.setHealth('orders', [201, 200])
    emu.clearHealth('orders')
    expect((await send(emu.healthUrl('orders'))).status).toBe(404)
  })

  it('refuses a script it cannot answer', () => {
    const emu = emulator()
    for (const bad of [
      [],
      [99],
      [600],
      [200.5],
      ['200'],
      [{ status: 200, colour: 'red' }],
      [{ status: 302, location: 1 }],
      [{ status: 200, delayMs: -1 }],
      [{ status: 200, headers: { a: 1 } }],
      [{ status: 200, body: {} }],
      [{ location: '/x' }]
    ]) {
      expect(() => emu.setHealth('orders', bad as never)).toThrow(/^health script 'orders'/)
    }
    expect(() => emu.setHealth('', [200])).toThrow(/needs a name/)
  })
})

describe('APIM_EMULATOR_HEALTH', () => {
  it('reads scripts by name, which start() serves', async () => {
    const options = optionsFromEnv({
      APIM_EMULATOR_HEALTH:
        '{"orders":[503,200],"moved":[{"status":302,"location":"https://other.example/"}]}'
    })
    expect(options).toEqual({
      health: {
        orders: [503, 200],
        moved: [{ status: 302, location: 'https://other.example/' }]
      }
    })
    const emu = await ApimEmulator.start(options)
    try {
      expect((await send(emu.healthUrl('orders'))).status).toBe(503)
      expect((await send(emu.healthUrl('orders'))).status).toBe(200)
      expect((await send(emu.healthUrl('moved'), { redirect: 'manual' })).status).toBe(302)
    } finally {
      await emu.stop()
    }
  })

  it('names the variable when a script is wrong', () => {
    for (const bad of ['nope', '[]', '[503]', '{"orders":[]}', '{"orders":503}', '{"o":[700]}']) {
      expect(() => optionsFromEnv({ APIM_EMULATOR_HEALTH: bad })).toThrow(/^APIM_EMULATOR_HEALTH/)
    }
    expect(optionsFromEnv({ APIM_EMULATOR_HEALTH: '  ' })).toEqual({})
  })
})

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}
