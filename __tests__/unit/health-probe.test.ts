// The switch operation's health probe against local HTTP and HTTPS servers: good answers in a row,
// the time to keep trying, same-origin redirects only, the user's headers and nothing of ours, each
// attempt cut at its limit, the step's deadline; and the health-status input.
import { afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import https from 'node:https'
import { AddressInfo } from 'node:net'
import { ensureCertificate } from '../../emulator/cert.js'
import { InputError } from '../../src/messages.js'
import {
  formatDuration,
  HealthReport,
  printableUrl,
  probeHealth,
  ProbeSettings
} from '../../src/operations/switch/probe.js'
import {
  accepts,
  DEFAULT_HEALTH_STATUS,
  describeRanges,
  parseStatusRanges
} from '../../src/operations/switch/status-ranges.js'

interface Seen {
  path: string
  headers: http.IncomingHttpHeaders
}

interface TestServer {
  url: string
  origin: string
  seen: Seen[]
  close: () => Promise<void>
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, count: number) => void

const servers: TestServer[] = []

async function serve(handler: Handler, secure = false): Promise<TestServer> {
  const seen: Seen[] = []
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ path: req.url ?? '', headers: req.headers })
    handler(req, res, seen.length)
  }
  let server: http.Server | https.Server
  if (secure) {
    const { cert, key } = await ensureCertificate('.emulator')
    server = https.createServer({ cert, key }, onRequest)
  } else {
    server = http.createServer(onRequest)
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `${secure ? 'https' : 'http'}://127.0.0.1:${port}`
  const s: TestServer = {
    url: `${origin}/health`,
    origin,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
  servers.push(s)
  return s
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** Answers the statuses in order, the last one repeating; bodies a test must never see. */
function statuses(...codes: number[]): Handler {
  return (_req, res, count) => {
    res.writeHead(codes[Math.min(count, codes.length) - 1], { 'content-type': 'text/plain' })
    res.end('BODY-NEVER-PRINTED')
  }
}

function settings(url: string, more: Partial<ProbeSettings> = {}): ProbeSettings {
  return {
    url,
    headers: {},
    accept: parseStatusRanges(DEFAULT_HEALTH_STATUS),
    successes: 3,
    intervalMs: 10,
    timeoutMs: 2000,
    attemptTimeoutMs: 1000,
    signal: new AbortController().signal,
    ...more
  }
}

async function probe(
  s: ProbeSettings
): Promise<{ report: HealthReport; lines: string[]; wallMs: number }> {
  const lines: string[] = []
  const begun = Date.now()
  const report = await probeHealth(s, (line) => lines.push(line))
  return { report, lines, wallMs: Date.now() - begun }
}

describe('probeHealth', () => {
  it('is healthy after 3 good answers in a row, one line each', async () => {
    const server = await serve(statuses(200))
    const { report, lines } = await probe(settings(server.url))
    expect(report).toMatchObject({ healthy: true, attempts: 3, good: 3, lastStatus: 200 })
    expect(report.lastError).toBeUndefined()
    expect(report.aborted).toBeUndefined()
    expect(report.timeline.map((t) => t.status)).toEqual([200, 200, 200])
    expect(report.seconds).toBeGreaterThanOrEqual(0)
    expect(Number.isInteger(report.seconds * 10)).toBe(true)
    expect(lines).toHaveLength(3)
    lines.forEach((line, i) =>
      expect(line).toMatch(
        new RegExp(
          `^health: GET ${server.url.replace(/\./g, '\\.')} -> 200 in \\d+ ms \\(${i + 1} of 3 good in a row\\)$`
        )
      )
    )
    expect(server.seen).toHaveLength(3)
    expect(lines.join('\n')).not.toContain('BODY-NEVER-PRINTED')
  })

  it('counts only good answers in a row: 503, 503, 200, 200, 200 is healthy after 5 attempts', async () => {
    const server = await serve(statuses(503, 503, 200, 200, 200))
    const { report, lines } = await probe(settings(server.url))
    expect(report).toMatchObject({ healthy: true, attempts: 5, good: 3, lastStatus: 200 })
    expect(report.timeline.map((t) => t.status)).toEqual([503, 503, 200, 200, 200])
    expect(report.timeline[0].error).toBe('503, not 200-299')
    expect(lines[0]).toMatch(/-> 503 in \d+ ms \(not 200-299\)$/)
    expect(lines[4]).toMatch(/-> 200 in \d+ ms \(3 of 3 good in a row\)$/)
    // A bad answer starts the count again.
    const again = await serve(statuses(200, 200, 500, 200, 200, 200))
    const second = await probe(settings(again.url))
    expect(second.report).toMatchObject({ healthy: true, attempts: 6, good: 3 })
  })

  it('gives up when timeoutMs has passed: not healthy, with the last answer', async () => {
    const server = await serve(statuses(503))
    const { report, lines, wallMs } = await probe(
      settings(server.url, { intervalMs: 20, timeoutMs: 200 })
    )
    expect(report).toMatchObject({
      healthy: false,
      good: 0,
      lastStatus: 503,
      lastError: '503, not 200-299'
    })
    expect(report.aborted).toBeUndefined()
    expect(report.attempts).toBe(lines.length)
    expect(report.attempts).toBe(server.seen.length)
    expect(report.attempts).toBeGreaterThanOrEqual(3)
    expect(report.attempts).toBeLessThanOrEqual(11)
    // No attempt starts at or after timeoutMs, and the probe does not sleep past it.
    expect(report.timeline.every((t) => t.at < 200)).toBe(true)
    expect(wallMs).toBeGreaterThanOrEqual(150)
    expect(wallMs).toBeLessThan(1000)
    expect(report.seconds).toBeLessThan(1)
  })

  it('always makes one attempt, even with timeoutMs 0', async () => {
    const server = await serve(statuses(503))
    const { report } = await probe(settings(server.url, { timeoutMs: 0 }))
    expect(report).toMatchObject({ healthy: false, attempts: 1, lastStatus: 503 })
  })

  it('measures the interval from start to start', async () => {
    const server = await serve((_req, res) => {
      setTimeout(() => res.end('ok'), 60)
    })
    const { report } = await probe(settings(server.url, { successes: 2, intervalMs: 100 }))
    const [first, second] = report.timeline
    expect(second.at - first.at).toBeGreaterThanOrEqual(95)
    expect(second.at - first.at).toBeLessThan(150)
    expect(first.ms).toBeGreaterThanOrEqual(55)
  })

  it('accepts a custom status list: 301 counts as good, and is not followed', async () => {
    const other = await serve(statuses(200))
    const server = await serve((_req, res) => {
      res.writeHead(301, { location: `${other.origin}/elsewhere` })
      res.end()
    })
    const { report, lines } = await probe(
      settings(server.url, { accept: parseStatusRanges('200-299, 301') })
    )
    expect(report).toMatchObject({ healthy: true, attempts: 3, lastStatus: 301 })
    expect(lines[2]).toMatch(/-> 301 in \d+ ms \(3 of 3 good in a row\)$/)
    expect(other.seen).toHaveLength(0)
  })

  it('follows a redirect to the same origin', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/health') {
        res.writeHead(302, { location: '/health/ready?probe=1' })
        res.end('moved')
      } else {
        res.end('ready')
      }
    })
    const { report, lines } = await probe(
      settings(server.url, { successes: 1, headers: { 'x-key': 'k-123' } })
    )
    expect(report).toMatchObject({ healthy: true, attempts: 1, lastStatus: 200 })
    expect(lines).toEqual([
      expect.stringMatching(
        /^health: GET http:\/\/127\.0\.0\.1:\d+\/health -> 200 in \d+ ms after 1 same-origin redirect \(1 of 1 good in a row\)$/
      )
    ])
    expect(server.seen.map((s) => s.path)).toEqual(['/health', '/health/ready?probe=1'])
    // The same origin gets the same headers.
    expect(server.seen[1].headers['x-key']).toBe('k-123')
  })

  it('follows at most 5 same-origin redirects', async () => {
    const server = await serve((req, res, count) => {
      res.writeHead(307, { location: `/health/${count}` })
      res.end()
    })
    const { report, lines } = await probe(settings(server.url, { successes: 1, timeoutMs: 0 }))
    expect(report).toMatchObject({
      healthy: false,
      attempts: 1,
      lastStatus: 307,
      lastError: '307: more than 5 redirects, not followed further'
    })
    expect(server.seen).toHaveLength(6)
    expect(lines[0]).toMatch(/-> 307: more than 5 redirects, not followed further$/)
  })

  it('does not follow a redirect to another origin: a bad answer, and nothing reaches it', async () => {
    const other = await serve(statuses(200))
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/health?code=SECRET-IN-QUERY` })
      res.end()
    })
    const { report, lines } = await probe(
      settings(server.url, { intervalMs: 10, timeoutMs: 60, headers: { 'x-api-key': 'key-1' } })
    )
    expect(report.healthy).toBe(false)
    expect(report.lastStatus).toBe(302)
    expect(report.lastError).toBe(`302 to another origin (${other.origin}), not followed`)
    expect(lines[0]).toBe(
      `health: GET ${server.url} -> 302 to another origin (${other.origin}), not followed`
    )
    expect(other.seen).toHaveLength(0)
    expect(lines.join('\n')).not.toContain('SECRET-IN-QUERY')
  })

  it('a redirect without a Location is a bad answer', async () => {
    const server = await serve(statuses(302))
    const { report } = await probe(settings(server.url, { timeoutMs: 0 }))
    expect(report.lastError).toBe('302 without a usable Location, not followed')
  })

  it("sends the user's headers and a User-Agent, never an Authorization of its own", async () => {
    const server = await serve(statuses(200))
    const url = `http://probe-user:URL-PASSWORD@${server.origin.slice('http://'.length)}/health/deep?key=QUERY-KEY#frag`
    const { report, lines } = await probe(
      settings(url, {
        successes: 1,
        headers: { 'Ocp-Apim-Subscription-Key': 'HEADER-SECRET', 'x-trace': 'on' }
      })
    )
    expect(report.healthy).toBe(true)
    const { headers, path } = server.seen[0]
    expect(path).toBe('/health/deep?key=QUERY-KEY')
    expect(headers['ocp-apim-subscription-key']).toBe('HEADER-SECRET')
    expect(headers['x-trace']).toBe('on')
    expect(headers['user-agent']).toBe('apim-backend-action (health probe)')
    expect(headers.authorization).toBeUndefined()
    expect(headers.cookie).toBeUndefined()
    // Printed: origin and path, without userinfo, query or header values.
    expect(lines[0]).toMatch(new RegExp(`^health: GET ${server.origin}/health/deep -> 200 in`))
    for (const secret of ['URL-PASSWORD', 'probe-user', 'QUERY-KEY', 'HEADER-SECRET']) {
      expect(lines.join('\n')).not.toContain(secret)
      expect(JSON.stringify(report)).not.toContain(secret)
    }
  })

  it('sends an Authorization and a User-Agent the user gave, as given', async () => {
    const server = await serve(statuses(200))
    await probe(
      settings(server.url, {
        successes: 1,
        userAgent: 'ignored/1.0',
        headers: { Authorization: 'Bearer users-own', 'User-Agent': 'their-agent/2' }
      })
    )
    expect(server.seen[0].headers.authorization).toBe('Bearer users-own')
    expect(server.seen[0].headers['user-agent']).toBe('their-agent/2')
    await probe(settings(server.url, { successes: 1, userAgent: 'apim-backend-action/9 (x)' }))
    expect(server.seen[1].headers['user-agent']).toBe('apim-backend-action/9 (x)')
  })

  it('cuts an attempt that hangs at attemptTimeoutMs, then tries again', async () => {
    const server = await serve((_req, res, count) => {
      if (count >= 3) res.end('ok')
      // else: never answers
    })
    const { report, lines } = await probe(
      settings(server.url, { successes: 1, attemptTimeoutMs: 100 })
    )
    expect(report).toMatchObject({ healthy: true, attempts: 3, lastStatus: 200 })
    expect(report.timeline[0]).toMatchObject({ error: 'no answer within 100 ms' })
    expect(report.timeline[0].status).toBeUndefined()
    expect(report.timeline[0].ms).toBeGreaterThanOrEqual(95)
    expect(report.timeline[0].ms).toBeLessThan(400)
    expect(lines[0]).toBe(`health: GET ${server.url} -> no answer within 100 ms`)
    expect(formatDuration(5000)).toBe('5 s')
    expect(formatDuration(1500)).toBe('1.5 s')
  })

  it('stops at once when the signal aborts during an attempt', async () => {
    const server = await serve(() => undefined)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 80)
    const { report, wallMs, lines } = await probe(
      settings(server.url, {
        signal: controller.signal,
        attemptTimeoutMs: 10_000,
        timeoutMs: 10_000
      })
    )
    expect(report).toMatchObject({ healthy: false, aborted: true, attempts: 1, good: 0 })
    expect(report.lastError).toMatch(/^stopped after \d+ ms: the step's time limit was reached$/)
    expect(lines).toHaveLength(1)
    expect(wallMs).toBeLessThan(1000)
  })

  it('stops at once when the signal aborts between attempts, and makes none when aborted', async () => {
    const server = await serve(statuses(503))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 80)
    const { report, wallMs } = await probe(
      settings(server.url, { signal: controller.signal, intervalMs: 10_000, timeoutMs: 60_000 })
    )
    expect(report).toMatchObject({ healthy: false, aborted: true, attempts: 1, lastStatus: 503 })
    expect(wallMs).toBeLessThan(1000)

    const { report: none } = await probe(settings(server.url, { signal: controller.signal }))
    expect(none).toMatchObject({ healthy: false, aborted: true, attempts: 0, good: 0 })
    expect(server.seen).toHaveLength(1)
  })

  it('names a network failure without repeating the URL', async () => {
    const closed = await serve(statuses(200))
    await closed.close()
    const { report, lines } = await probe(settings(closed.url, { timeoutMs: 0 }))
    expect(report).toMatchObject({
      healthy: false,
      attempts: 1,
      lastError: 'connection refused (ECONNREFUSED)'
    })
    expect(report.lastStatus).toBeUndefined()
    expect(lines).toEqual([`health: GET ${closed.url} -> connection refused (ECONNREFUSED)`])
  })

  it('probes over HTTPS, trusting NODE_EXTRA_CA_CERTS', async () => {
    const server = await serve(statuses(503, 200), true)
    const { report, lines } = await probe(settings(server.url, { successes: 2 }))
    expect(report).toMatchObject({ healthy: true, attempts: 3 })
    expect(lines[0]).toMatch(/^health: GET https:\/\/127\.0\.0\.1:\d+\/health -> 503 in/)
    expect(lines.join('\n')).not.toContain('BODY-NEVER-PRINTED')
  })

  it('refuses settings that cannot be probed', async () => {
    await expect(probeHealth(settings('ftp://x/health'), () => undefined)).rejects.toThrow(
      /http:\/\/ or https:\/\//
    )
    await expect(probeHealth(settings('not a url'), () => undefined)).rejects.toThrow(
      /not an absolute URL/
    )
    await expect(
      probeHealth(settings('http://127.0.0.1/h', { successes: 0 }), () => undefined)
    ).rejects.toThrow(/successes/)
  })

  it('prints origin and path only', () => {
    expect(printableUrl('https://u:p@host.example:8443/a/b?key=1#x')).toBe(
      'https://host.example:8443/a/b'
    )
  })
})

describe('parseStatusRanges', () => {
  it.each([
    ['200-299', [{ low: 200, high: 299 }], '200-299'],
    ['200', [{ low: 200, high: 200 }], '200'],
    [
      '200-299,301',
      [
        { low: 200, high: 299 },
        { low: 301, high: 301 }
      ],
      '200-299,301'
    ],
    [
      ' 200 - 299 , 301 ',
      [
        { low: 200, high: 299 },
        { low: 301, high: 301 }
      ],
      '200-299,301'
    ],
    [
      '301,200-299',
      [
        { low: 200, high: 299 },
        { low: 301, high: 301 }
      ],
      '200-299,301'
    ],
    ['200-250,240-299,300', [{ low: 200, high: 300 }], '200-300'],
    ['100-599', [{ low: 100, high: 599 }], '100-599'],
    ['204,204', [{ low: 204, high: 204 }], '204']
  ])('accepts %j', (text, ranges, described) => {
    const parsed = parseStatusRanges(text)
    expect(parsed).toEqual(ranges)
    expect(describeRanges(parsed)).toBe(described)
  })

  it.each([
    ['', /^Input 'health-status': is empty; expected status codes from 100 to 599/],
    ['   ', /is empty/],
    ['200-299,', /'200-299,' has an empty item/],
    [',200', /has an empty item/],
    [
      '2xx',
      /'2xx' is not a status code or a range of them; expected status codes from 100 to 599 and ranges low-high, separated by commas, e.g. 200-299,301\.$/
    ],
    ['200-', /'200-' is not a status code/],
    ['200-299-300', /is not a status code/],
    ['99', /'99' is not a status code/],
    ['1000', /'1000' is not a status code/],
    ['+200', /is not a status code/],
    ['200;301', /'200;301' is not a status code/],
    ['600', /'600' holds 600, which is not an HTTP status code/],
    ['050-200', /holds 50, which is not an HTTP status code/],
    ['200-700', /holds 700/],
    ['299-200', /'299-200' is a range whose start is above its end; write it as 200-299\./],
    ['200 299', /is not a status code/]
  ])('refuses %j', (text, message) => {
    let error: unknown
    try {
      parseStatusRanges(text)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('health-status')
    expect((error as InputError).message).toMatch(message)
  })

  it('tells whether a status is accepted', () => {
    const ranges = parseStatusRanges('200-299,301')
    expect([199, 200, 250, 299, 300, 301, 302, 503].map((s) => accepts(ranges, s))).toEqual([
      false,
      true,
      true,
      true,
      false,
      true,
      false,
      false
    ])
  })
})
