// npm run test:security: attacks on the runner and on secrets, each run through the bundled
// dist/index.js exactly as the runner runs it (a child process, INPUT_* variables, the file
// commands) against the emulator, and judged the way the runner and a later job would see the
// result: stdout read with the runner's command rules (runner-commands.ts), every visible place
// scanned for secrets in every form, outputs parsed as JSON. Prints one row per attack and exits
// non-zero when any did not hold. Figures for docs/reliability.md.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCertificate } from '../emulator/cert.js'
import { ApimEmulator, DEFAULT_SERVICE } from '../emulator/server.js'
import { describeLeak, findLeaks, maskedValues } from './outcome.js'
import { INJECTIONS, injectedCommands } from './runner-commands.js'
import { emulatorInputs, runDist, type DistOutcome } from './runner.js'

const { subscriptionId: SUB, resourceGroup: RG, serviceName: SERVICE } = DEFAULT_SERVICE

interface Verdict {
  held: boolean
  detail: string
}

interface Attack {
  name: string
  /** Where the hostile value enters: an input, a file, the service, the network. */
  vector: string
  run: (emulator: ApimEmulator, step: Step) => Promise<Verdict>
}

type Step = (inputs: Record<string, string>, env?: Record<string, string>) => Promise<DistOutcome>

/** The runner obeys only the action's own commands, and no mask is read while paused. */
function inert(outcomes: DistOutcome[]): Verdict {
  const problems = outcomes.flatMap(injectedCommands)
  return {
    held: problems.length === 0,
    detail: problems[0] ?? `${outcomes.length} step(s): only the action's own commands`
  }
}

function noLeak(outcome: DistOutcome, secrets: string[]): Verdict {
  const leaks = findLeaks(outcome, secrets)
  return {
    held: leaks.length === 0,
    detail:
      leaks.length === 0
        ? 'no form of it visible'
        : `visible ${leaks.length} time(s), first at ${describeLeak(leaks[0])}`
  }
}

function refused(outcome: DistOutcome, input: string, requests: number): Verdict {
  const named = outcome.failure?.includes(`Input '${input}'`) ?? false
  return {
    held: outcome.code === 1 && named && requests === 0,
    detail: outcome.failure
      ? `${outcome.failure.split('\n')[0].slice(0, 110)}`
      : `exit ${outcome.code}, no failure line`
  }
}

const CREATE = { operation: 'create', url: 'https://orders.example.com', protocol: 'http' }

const ATTACKS: Attack[] = [
  {
    name: 'commands in title and description',
    vector: 'inputs',
    run: async (_, step) =>
      inert([
        await step({
          ...CREATE,
          'backend-id': 'orders',
          title: INJECTIONS[3],
          description: INJECTIONS.join(' | '),
          'what-if': 'true'
        }),
        await step({ ...CREATE, 'backend-id': 'orders', description: INJECTIONS.join(' | ') })
      ])
  },
  {
    name: 'commands in values held by the service',
    vector: 'service',
    run: async (emulator, step) => {
      emulator.putBackend(SUB, RG, SERVICE, 'orders', {
        ...CREATE,
        title: INJECTIONS[4],
        description: INJECTIONS.join('\n')
      })
      return inert([
        await step({ operation: 'get', 'backend-id': 'orders' }),
        await step({ operation: 'update', 'backend-id': 'orders', title: 'T', 'what-if': 'true' }),
        await step({ operation: 'list' })
      ])
    }
  },
  {
    name: 'commands in an Azure error message and details',
    vector: 'service',
    run: async (emulator, step) => {
      emulator.injectFault({
        method: 'PUT',
        status: 400,
        body: {
          error: {
            code: 'ValidationError',
            message: INJECTIONS[0],
            details: INJECTIONS.map((message) => ({ code: 'X', target: 'title', message }))
          }
        }
      })
      return inert([await step({ ...CREATE, 'backend-id': 'orders' })])
    }
  },
  {
    name: 'stop-commands, then the next item masks a key',
    vector: 'service',
    run: async (emulator, step) => {
      emulator.putBackend(SUB, RG, SERVICE, 'first', { ...CREATE, description: INJECTIONS[0] })
      emulator.putBackend(SUB, RG, SERVICE, 'second', {
        ...CREATE,
        credentials: { header: { 'x-api-key': ['second-items-key'] } }
      })
      const outcome = await step({
        operation: 'create',
        'if-exists': 'replace',
        protocol: 'http',
        'max-parallel': '1',
        backends: JSON.stringify([
          { 'backend-id': 'first', url: 'https://first.example.com' },
          { 'backend-id': 'second', url: 'https://second.example.com' }
        ])
      })
      const verdict = inert([outcome])
      const masked = maskedValues(outcome.stdout).includes('second-items-key')
      const leak = noLeak(outcome, ['second-items-key'])
      return {
        held: verdict.held && masked && leak.held,
        detail: `${verdict.detail}; key masked: ${masked}; ${leak.detail}`
      }
    }
  },
  {
    name: "a key with & < > ' + in the debug log",
    vector: 'service',
    run: async (emulator, step) => {
      const key = "k&y<1>'+2"
      emulator.putBackend(SUB, RG, SERVICE, 'orders', {
        ...CREATE,
        credentials: { header: { 'x-api-key': [key] } }
      })
      // The emulator writes JSON as ARM does (\u0026 …); RUNNER_DEBUG logs every body.
      return noLeak(await step({ operation: 'get', 'backend-id': 'orders' }), [key])
    }
  },
  {
    name: 'password in url, key in ?code= and proxy url',
    vector: 'inputs',
    run: async (_, step) => {
      const secrets = ['p4ss-w0rd', 'fn-key-123', 'proxy-url-pw']
      const outcome = await step({
        ...CREATE,
        'backend-id': 'orders',
        url: 'https://deploy:p4ss-w0rd@orders.example.com/api?code=fn-key-123&x=1',
        proxy: 'url: http://svc:proxy-url-pw@proxy.example.com:3128'
      })
      const leak = noLeak(outcome, secrets)
      const url = JSON.parse(outcome.outputs.backend ?? '{}').properties?.url
      const shape = url === 'https://***@orders.example.com/api?code=***&x=1'
      return { held: leak.held && shape, detail: `${leak.detail}; backend url ${url}` }
    }
  },
  {
    name: 'a token as the user of a URL (TOKEN@host)',
    vector: 'inputs',
    run: async (_, step) => {
      const outcome = await step({
        ...CREATE,
        'backend-id': 'orders',
        url: 'https://url-T0ken-4711@orders.example.com/api'
      })
      const leak = noLeak(outcome, ['url-T0ken-4711'])
      const url = JSON.parse(outcome.outputs.backend ?? '{}').properties?.url
      const shape = url === 'https://***@orders.example.com/api'
      return { held: leak.held && shape, detail: `${leak.detail}; backend url ${url}` }
    }
  },
  {
    name: 'a password in arm-endpoint',
    vector: 'inputs',
    run: async (emulator, step) => {
      const before = emulator.requests.length
      const outcome = await step({
        operation: 'get',
        'backend-id': 'orders',
        'arm-endpoint': 'https://arm-user:arm-Passw0rd@management.example.com'
      })
      const verdict = refused(outcome, 'arm-endpoint', emulator.requests.length - before)
      const leak = noLeak(outcome, ['arm-Passw0rd', 'arm-user'])
      return { held: verdict.held && leak.held, detail: `${verdict.detail}; ${leak.detail}` }
    }
  },
  {
    name: 'a key cut short in an input error',
    vector: 'inputs',
    run: async (_, step) => {
      const key = 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnopq=='
      const outcome = await step({
        ...CREATE,
        'backend-id': 'orders',
        url: `htps://fn-orders.azurewebsites.net/api/orders?code=${key}`
      })
      // A cut value no longer matches its mask: no 12-character piece of the key may show.
      const pieces = Array.from({ length: key.length - 11 }, (_, i) => key.slice(i, i + 12))
      const log = outcome.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
      const shown = pieces.filter((p) => (log + outcome.summary).includes(p))
      return {
        held: outcome.code === 1 && shown.length === 0,
        detail:
          shown.length === 0
            ? 'redacted before the value was cut'
            : `visible: ${shown.length} 12-character pieces of it, the first at offset ${key.indexOf(shown[0])}`
      }
    }
  },
  {
    name: 'passwords and keys in resourceId and Service Fabric URLs',
    vector: 'inputs',
    run: async (_, step) => {
      const secrets = ['rid-P4ssw0rd', 'rid-code-K3y', 'sf-P4ssw0rd', 'sf-S1g']
      const outcome = await step({
        ...CREATE,
        'backend-id': 'sf',
        url: 'fabric:/app/orders',
        'resource-id': `https://ops:${secrets[0]}@management.azure.com/x?code=${secrets[1]}`,
        'service-fabric-cluster': JSON.stringify({
          managementEndpoints: [
            `https://admin:${secrets[2]}@sf.example.com:19080/?sig=${secrets[3]}`
          ],
          clientCertificateId: 'cert1'
        })
      })
      return noLeak(outcome, secrets)
    }
  },
  {
    name: 'a command in a response header, DEBUG=*',
    vector: 'service',
    run: async (emulator, step) => {
      emulator.injectFault({
        method: 'GET',
        path: /backends\/orders$/,
        status: 200,
        body: {
          id: 'x',
          name: 'orders',
          properties: { ...CREATE, credentials: { header: { 'x-api-key': ['hdr-key-1'] } } }
        },
        headers: { etag: '"e1"', 'x-ms-request-id': '##[stop-commands]PLANTED-4' }
      })
      const outcome = await step({ operation: 'get', 'backend-id': 'orders' }, { DEBUG: '*' })
      const verdict = inert([outcome])
      const leak = noLeak(outcome, ['hdr-key-1'])
      return {
        held: verdict.held && leak.held && outcome.stderr === '',
        detail: `${verdict.detail}; ${leak.detail}; stderr ${outcome.stderr.length} bytes`
      }
    }
  },
  {
    name: 'one-character and punctuation secrets',
    vector: 'inputs',
    run: async (_, step) => {
      const values = ['v', 'e', '":"', '\\', '"', '}', '/', ',']
      const header = Object.fromEntries(values.map((v, i) => [`x-h${i}`, [v]]))
      const created = await step({
        ...CREATE,
        'backend-id': 'orders',
        'backend-credentials': JSON.stringify({ header })
      })
      const listed = await step({ operation: 'list' })
      try {
        const backend = JSON.parse(created.outputs.backend)
        const [first] = JSON.parse(listed.outputs.backends)
        JSON.parse(created.outputs.changes)
        const id = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/backends/orders`
        const held = backend.id === id && first.id === id && backend.properties.url === CREATE.url
        return { held, detail: `backend, backends, changes parse; ids intact: ${held}` }
      } catch (e) {
        return { held: false, detail: `an output is not JSON: ${(e as Error).message}` }
      }
    }
  },
  {
    name: 'two steps create one backend at once',
    vector: 'race',
    run: async (emulator, step) => {
      const [a, b] = await Promise.all([
        step({ ...CREATE, 'backend-id': 'orders', title: 'A' }),
        step({ ...CREATE, 'backend-id': 'orders', title: 'B' })
      ])
      const results = [a, b].map((o) => o.outputs.result ?? 'failed')
      const created = results.filter((r) => r === 'created').length
      const winner = emulator.getBackend(SUB, RG, SERVICE, 'orders')?.contract.properties.title
      const winnerSaidCreated = [a, b].some(
        (o, i) => o.outputs.result === 'created' && ['A', 'B'][i] === winner
      )
      return {
        held: created === 1 && winnerSaidCreated,
        detail: `results ${results.join(' / ')}; stored title ${winner}`
      }
    }
  },
  {
    name: 'a service that ignores If-None-Match',
    vector: 'service',
    run: async (emulator, step) => {
      emulator.injectFault({ method: 'GET', kind: 'concurrent-write', path: /backends\/orders$/ })
      emulator.injectFault({ method: 'PUT', kind: 'ignore-if-none-match' })
      const outcome = await step({ ...CREATE, 'backend-id': 'orders', 'if-exists': 'replace' })
      const warned = /::warning::.*replaced, not created/.test(outcome.stdout)
      return {
        held: outcome.outputs.result === 'replaced' && warned,
        detail: `result ${outcome.outputs.result}; race warning: ${warned}`
      }
    }
  },
  {
    name: 'a nextLink to another host',
    vector: 'service',
    run: async (emulator, step) => {
      // A page holds 100 backends; the 101st needs the nextLink.
      for (let i = 0; i <= 100; i++) emulator.putBackend(SUB, RG, SERVICE, `b${i}`, CREATE)
      emulator.setNextLinkOrigin('https://127.0.0.1:9')
      const outcome = await step({ operation: 'list' })
      return {
        held: outcome.code === 1 && /refusing to follow nextLink/.test(outcome.failure ?? ''),
        detail: (outcome.failure ?? 'no failure').slice(0, 110)
      }
    }
  },
  ...[3, 5].map((mb): Attack => ({
    name: `a ${mb} MB backends file of [[[[…`,
    vector: 'file',
    run: async (emulator, step) => {
      const dir = mkdtempSync(join(tmpdir(), 'apim-security-'))
      writeFileSync(join(dir, 'backends.yml'), '['.repeat(mb * 1024 * 1024))
      const before = emulator.requests.length
      const outcome = await step(
        { operation: 'reset', backends: 'backends.yml' },
        { GITHUB_WORKSPACE: dir }
      )
      return refused(outcome, 'backends', emulator.requests.length - before)
    }
  })),
  {
    name: 'an alias bomb in backend-credentials',
    vector: 'inputs',
    run: async (emulator, step) => {
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      for (let i = 1; i < 9; i++)
        bomb.push(
          `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9)
            .fill(`*${'abcdefghi'[i - 1]}`)
            .join(',')}]`
        )
      const before = emulator.requests.length
      const outcome = await step({
        ...CREATE,
        'backend-id': 'orders',
        'backend-credentials': bomb.join('\n')
      })
      return refused(outcome, 'backend-credentials', emulator.requests.length - before)
    }
  },
  ...(
    [
      ['time-until-reset', '999999999999999', { operation: 'reset', 'backend-id': 'orders' }],
      ['timeout-seconds', '2147484', { operation: 'get', 'backend-id': 'orders' }],
      // Under the 64 KiB input limit, so the endpoint's own check meets it.
      ['arm-endpoint', `https://x${'/'.repeat(60_000)}`, { operation: 'get', 'backend-id': 'o' }],
      [
        'backend',
        `{"id":"/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SERVICE}/backends/%zz"}`,
        { operation: 'get' }
      ]
    ] as const
  ).map(([input, value, inputs]): Attack => ({
    name: `${input}: ${value.length > 20 ? `${value.slice(0, 12)}… (${value.length} chars)` : value}`,
    vector: 'inputs',
    run: async (emulator, step) => {
      const before = emulator.requests.length
      const outcome = await step({ ...inputs, [input]: value })
      return refused(outcome, input, emulator.requests.length - before)
    }
  })),
  {
    name: 'Markdown and HTML in the job summary',
    vector: 'service',
    run: async (emulator, step) => {
      emulator.injectFault({
        method: 'GET',
        status: 400,
        body: {
          error: {
            code: 'X',
            message: 'a\n\n# Heading [link](https://evil.example) <img src=x> | cell'
          }
        }
      })
      const outcome = await step({ operation: 'get', 'backend-id': 'orders' })
      const bad = ['\n\n', '<img', '[link]', '| cell'].filter((s) => outcome.summary.includes(s))
      return {
        held: bad.length === 0 && outcome.summary.length > 0,
        detail: bad.length === 0 ? 'shown as text, one HTML block' : `raw: ${bad.join(', ')}`
      }
    }
  }
]

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [
    line(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line)
  ].join('\n')
}

async function main(): Promise<number> {
  await ensureCertificate('.emulator')
  const emulator = await ApimEmulator.start({ certDir: '.emulator' })
  const { target, signIn } = emulatorInputs(emulator)
  const step: Step = (inputs, env = {}) =>
    runDist({ ...target, ...signIn, ...inputs }, { RUNNER_DEBUG: '1', ...env }, emulator.certPath)
  const rows = [['attack', 'enters through', 'held', 'requests', 'ms', 'what the step did']]
  let failed = 0
  try {
    for (const attack of ATTACKS) {
      emulator.reset()
      const started = performance.now()
      let verdict: Verdict
      try {
        verdict = await attack.run(emulator, step)
      } catch (e) {
        verdict = { held: false, detail: (e as Error).message.split('\n').slice(0, 2).join(' ') }
      }
      const ms = Math.round(performance.now() - started)
      if (!verdict.held) failed++
      rows.push([
        attack.name,
        attack.vector,
        verdict.held ? 'yes' : 'NO',
        String(emulator.requests.length),
        String(ms),
        verdict.detail.replace(/\s+/g, ' ')
      ])
    }
  } finally {
    await emulator.stop()
  }
  process.stdout.write(`\n${table(rows)}\n\n`)
  process.stdout.write(`${ATTACKS.length} attacks, ${ATTACKS.length - failed} held.\n`)
  return failed > 0 ? 1 : 0
}

process.exitCode = await main()
