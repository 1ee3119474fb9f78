// Hostile sizes and numbers: what a workflow author, or an attacker who controls a file in the
// repository, can hand the action, and what it says back. Every limit is checked before anything
// parses the value or sends a request, names the input and says what is accepted. Nothing here
// measures time (a timed test flakes); a check that went quadratic would make this file run for
// minutes instead of seconds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { parse } from 'yaml'
import { readFileSync } from 'node:fs'
import {
  INPUTS,
  LIMITS,
  MAX_BACKENDS,
  RANGED_INPUTS,
  limitTable,
  type InputName
} from '../../src/catalog.js'
import { Deadline } from '../../src/azure/deadline.js'
import { buildBatch } from '../../src/step/build-batch.js'
import type { RawInputs } from '../../src/inputs.js'
import { InputError } from '../../src/messages.js'
import { dueTime } from '../../src/operations/shared/reconnect.js'
import type { ResetRequest } from '../../src/operations/reset/types.js'
import { InputErrors } from '../../src/input-rules/model.js'
import { buildRequest } from '../../src/step/build-single.js'
import { Secrets } from '../../src/secrets.js'
import { parseYamlOrJson } from '../../src/structured/parse.js'
import {
  checkShape,
  circuitBreakerSchema,
  credentialsSchema,
  poolSchema,
  proxySchema,
  serviceFabricSchema
} from '../../src/structured/schemas.js'
import * as check from '../../src/validators.js'
import { SUB, base, create, reset } from '../helpers/raw-inputs.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import { TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

const workspace = mkdtempSync(join(tmpdir(), 'apim-limits-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

/** The InputErrors' lines, or a failure when the inputs were accepted. */
function problems(build: () => unknown): string[] {
  try {
    build()
  } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((err) => err.message)
    throw e
  }
  throw new Error('expected the inputs to be refused')
}
const single = (raw: RawInputs) => problems(() => buildRequest(raw, new Secrets(), {}))
const batch = (raw: RawInputs) =>
  problems(() => buildBatch(raw, new Secrets(), { GITHUB_WORKSPACE: workspace }))
/** The one InputError a YAML/JSON value is refused with. */
function yamlProblem(input: string, text: string): string {
  try {
    parseYamlOrJson(input, text)
  } catch (e) {
    if (e instanceof InputError) return e.message
    throw e
  }
  throw new Error('expected the value to be refused')
}
const file = (name: string, text: string) => {
  writeFileSync(join(workspace, name), text)
  return name
}
const MiB = 1024 * 1024

describe('sizes: every input has a maximum, checked before anything reads it', () => {
  it('every input has a maximum in its catalog row: 1 MiB for YAML/JSON, 64 KiB for the rest', () => {
    const documents = [
      'backend-credentials',
      'proxy',
      'service-fabric-cluster',
      'circuit-breaker',
      'pool',
      'backend',
      'backends',
      'creds',
      'health-headers'
    ]
    for (const [name, spec] of Object.entries(INPUTS))
      expect({ name, maxLength: spec.maxLength }).toEqual({
        name,
        maxLength: documents.includes(name) ? MiB : 64 * 1024
      })
  })

  it('a 2 MiB backends file is refused by its size, before it is read or parsed', () => {
    const name = file(
      'two-mib.yml',
      `- {backend-id: a, url: 'https://a.example.com'}\n#${'x'.repeat(2 * MiB)}`
    )
    expect(batch(create({ backends: name }))).toEqual([
      `Input 'backends': 'two-mib.yml' is a file of ${2 * MiB + 49} bytes; at most 1048576 (1 MiB) are read, so it was not read.`
    ])
  })

  it('a backends file of exactly 1 MiB is read; one byte more is refused', () => {
    const item = "- {backend-id: orders, url: 'https://orders.example.com', protocol: http}\n#"
    const exact = file('exact.yml', item + 'x'.repeat(MiB - item.length))
    const request = buildBatch(
      create({ backends: exact, url: undefined, protocol: undefined }),
      new Secrets(),
      {
        GITHUB_WORKSPACE: workspace
      }
    )
    expect(request.items.map((i) => i.target.backendId)).toEqual(['orders'])
    const over = file('over.yml', item + 'x'.repeat(MiB - item.length + 1))
    expect(batch(create({ backends: over }))[0]).toContain(
      `'over.yml' is a file of ${MiB + 1} bytes; at most 1048576 (1 MiB) are read`
    )
  })

  it("a 1 MiB file of '[[[[…' is refused at the 65th bracket, with its line and column", () => {
    const name = file('brackets.yml', '['.repeat(MiB))
    expect(batch(create({ backends: name }))).toEqual([
      "Input 'backends': nests lists and mappings deeper than 64 levels; at most 64 are accepted (line 1, column 65). The value is not shown because it may hold secrets."
    ])
  })

  it.each([
    ['- - - - … (a list in a list, on one line)', '- '.repeat(MiB / 2)],
    ['? ? ? … (a key that is a key)', '? '.repeat(MiB / 2)],
    ['{{{{ …', '{'.repeat(MiB)],
    [
      'a staircase of keys, one column deeper each line',
      Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')
    ],
    [
      'a staircase with block scalars in between',
      Array.from(
        { length: 400 },
        (_, i) => `${' '.repeat(i)}b: |\n${' '.repeat(i + 1)}x\n${' '.repeat(i)}a:`
      ).join('\n')
    ],
    [
      'brackets after a quoted string full of brackets',
      `"${'['.repeat(5000)}": ${'['.repeat(MiB / 2)}`
    ]
  ])('1 MiB nested as %s is refused as too deep, without a crash', (_, text) => {
    expect(yamlProblem('backends', text)).toContain(
      "Input 'backends': nests lists and mappings deeper than 64 levels"
    )
  })

  it('nesting of 64 levels is accepted, in flow and in block style', () => {
    expect(JSON.stringify(parseYamlOrJson('pool', '['.repeat(64) + ']'.repeat(64)))).toBe(
      '['.repeat(64) + ']'.repeat(64)
    )
    const block = Array.from({ length: 64 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' v'
    expect(parseYamlOrJson('circuit-breaker', block)).toBeTruthy()
    expect(yamlProblem('pool', '['.repeat(65) + ']'.repeat(65))).toContain('deeper than 64 levels')
  })

  it('a 70 KiB title is refused unread; the other inputs are still checked and reported', () => {
    const lines = single(create({ title: 't'.repeat(70_000), protocol: 'https' }))
    expect(lines).toEqual([
      "Input 'title': is 70000 characters long; at most 65536 (64 KiB) are accepted, so it was not read further.",
      "Input 'protocol': 'https' is not supported. Supported values: http, soap. protocol is the kind of API, not the URL's scheme: a backend at an https:// url uses protocol: http."
    ])
  })

  it('an over-long url is refused for its length only, not also as missing', () => {
    const lines = single(create({ url: `https://a.example.com/${'a'.repeat(70_000)}` }))
    expect(lines).toEqual([
      "Input 'url': is 70022 characters long; at most 65536 (64 KiB) are accepted, so it was not read further."
    ])
  })

  it('an over-long secret-bearing input is refused without a character of it in the message', () => {
    const secret = `S3CR3T-${'s'.repeat(MiB)}`
    const lines = single(
      create({
        'backend-credentials': `header: {x-key: ${secret}}`,
        'client-secret': secret.slice(0, 70_000)
      })
    )
    expect(lines).toEqual([
      `Input 'client-secret': is 70000 characters long; at most 65536 (64 KiB) are accepted, so it was not read further.`,
      `Input 'backend-credentials': is ${secret.length + 17} characters long; at most 1048576 (1 MiB) are accepted, so it was not read further.`
    ])
    expect(lines.join('\n')).not.toContain('S3CR3T')
  })

  it("an item's over-long value in backends is named by its place, and nothing more is said of it", () => {
    const list = JSON.stringify([
      { 'backend-id': 'a', url: 'https://a.example.com', protocol: 'http' },
      { 'backend-id': 'b', url: `https://b.example.com/?${'&'.repeat(MiB / 2)}`, protocol: 'ftp' }
    ])
    expect(batch(create({ backends: list, url: undefined, protocol: undefined }))).toEqual([
      `Input 'backends[1].url': is ${MiB / 2 + 23} characters long; at most 65536 (64 KiB) are accepted, so it was not read further.`,
      "Input 'backends[1].protocol': 'ftp' is not supported. Supported values: http, soap."
    ])
  })

  it('an inline backends list over 1 MiB is refused unread', () => {
    expect(batch(create({ backends: `[${'{}, '.repeat(MiB / 4)}]` }))).toEqual([
      "Input 'backends': is 1048578 characters long; at most 1048576 (1 MiB) are accepted, so it was not read further."
    ])
  })
})

describe('YAML and JSON: nesting, size and aliases are bounded, and every refusal names the input', () => {
  const laughs =
    'a: &a [x, x, x, x, x, x, x, x, x]\n' +
    'bcdefghij'
      .split('')
      .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)
      .join('\n')

  it('an alias bomb ("billion laughs") in backend-credentials is refused, and the other errors are still listed', () => {
    const lines = single(create({ 'backend-credentials': laughs, title: 'bad\u0001title' }))
    expect(lines).toEqual([
      "Input 'backend-credentials': has more than 100000 keys, items and values (counting what aliases repeat); at most 100000 are accepted (line 6, column 7). The value is not shown because it may hold secrets.",
      "Input 'title': 'bad\\u0001title' contains control characters, which are not accepted."
    ])
  })

  it.each([
    ['an alias inside the node it names', 'a: &a [x, *a]', 'refers to a node that contains it'],
    ['an alias to no anchor', 'a: *nowhere', 'refers to no anchor (&name) before it'],
    [
      'a merge chain, each mapping merging the one before',
      `x0: &x0 {${Array.from({ length: 5000 }, (_, i) => `k${i}: v`).join(', ')}}\n` +
        Array.from({ length: 100 }, (_, i) => `x${i + 1}: &x${i + 1} {<<: *x${i}}`).join('\n'),
      'has more than 100000 keys, items and values'
    ],
    [
      'a 500 kB string repeated by aliases',
      `a: &a ${'x'.repeat(500_000)}\nb: [${Array(10).fill('*a').join(', ')}]`,
      'expands to more than 4194304 characters'
    ],
    [
      'more than 2000 aliases',
      `a: &a x\nb: [${Array(2001).fill('*a').join(', ')}]`,
      'has more than 2000 aliases'
    ],
    [
      'more than 2000 anchors and tags',
      Array.from({ length: 2001 }, (_, i) => `k${i}: &a${i} v`).join('\n'),
      'has more than 2000 anchors (&name) and tags (!tag)'
    ],
    ['two tags on one value', 'a: !t !u v', 'more than one anchor (&name) or more than one tag'],
    ['more than 100 000 values', `[${'a,'.repeat(100_001)}]`, 'has more than 100000 keys'],
    ['more than 500 000 tokens', `a: b${'\n'.repeat(500_001)}`, 'has more than 500000 YAML tokens'],
    [
      "a stray ']' (repeated, the parser reports each)",
      `a: b\n${']'.repeat(100_000)}`,
      "unexpected ']'"
    ],
    ['a flow list cut off by its indentation', '- [a,\nb]\n'.repeat(1000), 'bad indent']
  ])('%s is refused with where it is', (_, text, expected) => {
    const message = yamlProblem('backends', text)
    expect(message).toMatch(/^Input 'backends': .*\(line \d+, column \d+/)
    expect(message).toContain(expected)
  })

  it('a duplicate key is still found, after 40 000 other keys', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: v`)
    expect(yamlProblem('creds', [...keys, 'k7: again'].join('\n'))).toBe(
      "Input 'creds': is not valid YAML or JSON (line 40001, column 1: duplicate key). The value is not shown because it may hold secrets."
    )
    expect(yamlProblem('creds', '{"a": 1, "<<": {}, "<<": {}}')).toContain('duplicate key')
  })

  it(`${MAX_BACKENDS} backends sharing defaults through one anchor and merge keys are accepted`, () => {
    // The yaml package's default alias guard (100 uses of an anchor) refused this list.
    const list =
      'defaults: &d {protocol: http, title: Orders}\nlist:\n' +
      Array.from({ length: MAX_BACKENDS }, (_, i) => `  - {<<: *d, backend-id: b${i}}`).join('\n')
    const parsed = parseYamlOrJson('backends', list) as { list: Record<string, string>[] }
    expect(parsed.list).toHaveLength(MAX_BACKENDS)
    expect(parsed.list[MAX_BACKENDS - 1]).toEqual({
      protocol: 'http',
      title: 'Orders',
      'backend-id': `b${MAX_BACKENDS - 1}`
    })
  })

  it('a malformed %-escape in the backend id names the input, and the other errors are still listed', () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg%zz/providers/Microsoft.ApiManagement/service/apim/backends/orders`
    const lines = single({
      operation: 'reset',
      backend: JSON.stringify({ id }),
      'client-id': base['client-id'],
      'tenant-id': base['tenant-id'],
      'client-secret': 's',
      'timeout-seconds': 'soon'
    })
    expect(lines).toEqual([
      "Input 'backend': its id holds 'rg%zz', which has a malformed %-escape (a '%' not followed by two hex digits of UTF-8). Pass the 'backend' output of an earlier step of this action, for example backend: ${{ steps.create.outputs.backend }}.",
      "Input 'timeout-seconds': 'soon' is not a whole number of seconds; expected an integer from 1 to 21600."
    ])
  })
})

describe('numbers: documented maxima that the whole path handles', () => {
  it('time-until-reset over a week is refused before the reconnect; a week is accepted', () => {
    expect(single(reset({ 'time-until-reset': '604801' }))).toEqual([
      "Input 'time-until-reset': '604801' is out of range; expected 0 to 604800 seconds (at most 7 days)."
    ])
    expect(single(reset({ 'time-until-reset': '999999999999999' }))[0]).toContain(
      "'999999999999999' is out of range; expected 0 to 604800 seconds"
    )
    const week = buildRequest(reset({ 'time-until-reset': '604800' }), new Secrets(), {})
    expect((week as ResetRequest).afterSeconds).toBe(604800)
  })

  it('reset-at is computable for every accepted delay, and a delay no date can hold is refused', () => {
    const now = Date.parse('2030-01-01T00:00:00.250Z')
    expect(dueTime(604800, now).resetAt).toBe('2030-01-08T00:00:01Z')
    expect(dueTime(0, now).resetAt).toBe('2030-01-01T00:00:01Z')
    expect(() => dueTime(999999999999999, now)).toThrow(
      'time-until-reset 999999999999999 s is beyond any date the step can report as reset-at; no reconnect was requested.'
    )
  })

  it.each([
    ['timeout-seconds', '2147484', 1, 21600],
    ['timeout-seconds', '21601', 1, 21600],
    ['max-wait-seconds', '99999999', 0, 21600],
    ['request-timeout-seconds', '21601', 1, 21600]
  ])(
    '%s %s is refused, naming the range (Node would fire a longer timer at once)',
    (name, value, min, max) => {
      expect(single(create({ [name]: value }))).toEqual([
        `Input '${name}': '${value}' is out of range; expected ${min} to ${max} seconds (at most 6 hours, the longest a job runs on a GitHub-hosted runner).`
      ])
    }
  )

  it('a time limit of 6 hours is accepted for each', () => {
    const req = buildRequest(
      create({
        'timeout-seconds': '21600',
        'max-wait-seconds': '21600',
        'request-timeout-seconds': '21600'
      }),
      new Secrets(),
      {}
    )
    expect(req.limits).toEqual({
      timeoutMs: 21_600_000,
      maxWaitMs: 21_600_000,
      attemptTimeoutMs: 21_600_000
    })
  })

  it('every seconds maximum is within Node’s timer range, and the step deadline refuses one beyond it', () => {
    for (const name of RANGED_INPUTS.filter((n) => INPUTS[n].range.unit === 'seconds'))
      expect({ name, ok: INPUTS[name].range.max * 1000 <= LIMITS.timerMs }).toEqual({
        name,
        ok: true
      })
    expect(() => new Deadline(2_147_484_000)).toThrow(RangeError)
    const deadline = new Deadline(21_600_000)
    expect(deadline.remainingMs()).toBeGreaterThan(21_590_000)
    deadline.dispose()
  })

  it.each([
    [
      '65',
      "Input 'max-parallel': '65' is out of range; expected 1 to 64 parallel requests (at most ARM takes 10 writes a second)."
    ],
    ['0', "Input 'max-parallel': '0' is out of range; expected 1 to 64 parallel requests"],
    [
      'eight',
      "Input 'max-parallel': 'eight' is not a whole number of parallel requests; expected an integer from 1 to 64."
    ]
  ])('max-parallel %s has a message of its own', (value, expected) => {
    const list = "[{backend-id: a, url: 'https://a.example.com', protocol: http}]"
    const lines = batch(
      create({ backends: list, 'max-parallel': value, url: undefined, protocol: undefined })
    )
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(expected)
  })

  it('action.yml states each maximum', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as {
      inputs: Record<string, { description: string }>
    }
    for (const name of RANGED_INPUTS)
      expect({
        name,
        states: action.inputs[name].description.includes(String(INPUTS[name].range.max))
      }).toEqual({
        name,
        states: true
      })
    expect(action.inputs.backends.description).toContain('At most 1000 items and 1 MiB')
  })

  it('the limit table an evidence script prints names every limit once', () => {
    const rows = limitTable()
    expect(rows.map((r) => r.limit)).toEqual(
      expect.arrayContaining([...RANGED_INPUTS, 'YAML/JSON nesting'])
    )
    expect(new Set(rows.map((r) => r.limit)).size).toBe(rows.length)
    expect(rows.find((r) => r.limit === 'time-until-reset')).toEqual({
      limit: 'time-until-reset',
      value: '0 to 604800 seconds',
      why: '7 days'
    })
  })
})

describe('patterns: every check returns on 200 000-character adversarial values', () => {
  // A pattern that backtracks (such as /\/+$/ on a run of slashes: 13 s for 130 000) would keep
  // this test running for hours; the right answer is asserted, never the time.
  const N = 200_000
  const refuses = (fn: () => unknown, input: string) => {
    expect(fn).toThrow(InputError)
    try {
      fn()
    } catch (e) {
      expect((e as InputError).input).toBe(input)
    }
  }

  it.each([
    ['zeros', '0'.repeat(N)],
    ['uuid groups', '00000000-'.repeat(N / 9)],
    ['hex then a dash', `${'a'.repeat(N)}-`]
  ])('uuid: %s', (_, value) => refuses(() => check.uuid('client-id', value), 'client-id'))

  it.each([
    ['letters', 'a'.repeat(N)],
    ['labels', 'a.'.repeat(N / 2)],
    ['hyphens and a bang', `${'a-'.repeat(N / 2)}!`],
    ['almost a domain', `${'ab.'.repeat(N / 3)}c_`]
  ])('tenant: %s', (_, value) => refuses(() => check.tenant('tenant-id', value), 'tenant-id'))

  it.each([
    ['letters', 'a'.repeat(N)],
    ['parentheses and a dot', `${'('.repeat(N)}.`]
  ])('resource group: %s', (_, value) =>
    refuses(() => check.resourceGroup('resource-group', value), 'resource-group')
  )

  it.each([
    ['hyphens', `a${'-'.repeat(N)}`],
    ['letters then a hyphen', `${'a'.repeat(N)}-`]
  ])('service name: %s', (_, value) =>
    refuses(() => check.serviceName('service-name', value), 'service-name')
  )

  it('backend id, url, text, boolean, enums and numbers', () => {
    refuses(() => check.backendId('backend-id', ' '.repeat(N)), 'backend-id')
    refuses(() => check.backendUrl('url', `fabric:/${'a'.repeat(N)}`), 'url')
    refuses(() => check.backendUrl('url', `https://${'a'.repeat(N)}`), 'url')
    refuses(() => check.text('title', 'a'.repeat(N), 300), 'title')
    refuses(() => check.boolean('wait', 't'.repeat(N)), 'wait')
    refuses(() => check.oneOf('protocol', 'h'.repeat(N), ['http', 'soap']), 'protocol')
    refuses(() => check.oneOfExact('environment', 'A'.repeat(N), ['AzureCloud']), 'environment')
    const range = INPUTS['time-until-reset'].range
    refuses(() => check.wholeNumber('time-until-reset', '9'.repeat(N), range), 'time-until-reset')
    refuses(
      () => check.wholeNumber('time-until-reset', `${'9'.repeat(N)}x`, range),
      'time-until-reset'
    )
  })

  it('endpoints: a run of slashes is trimmed by a loop, and a long endpoint is refused', () => {
    refuses(
      () => check.httpsEndpoint('arm-endpoint', `https://x.example.com${'/'.repeat(N)}a`),
      'arm-endpoint'
    )
    expect(check.withoutTrailingSlashes(`https://x.example.com${'/'.repeat(N)}`)).toBe(
      'https://x.example.com'
    )
    expect(check.withoutTrailingSlashes(`https://x${'/'.repeat(N)}a`)).toBe(
      `https://x${'/'.repeat(N)}a`
    )
    expect(check.httpsEndpoint('arm-endpoint', `https://arm.contoso.com${'/'.repeat(1900)}`)).toBe(
      'https://arm.contoso.com'
    )
  })

  it.each([
    [
      'a duration of digits',
      circuitBreakerSchema,
      `rules: [{name: r, failureCondition: {count: "1", interval: "P${'1'.repeat(N)}X"}, tripDuration: PT1M}]`,
      'expected an ISO 8601 duration'
    ],
    [
      'a time duration of digits and dots',
      circuitBreakerSchema,
      `rules: [{name: r, failureCondition: {count: "1", interval: PT1M}, tripDuration: "PT${'1.'.repeat(N / 2)}S"}]`,
      'expected an ISO 8601 duration'
    ],
    [
      'a header name',
      credentialsSchema,
      `header: {"${'a'.repeat(N)} ": [v]}`,
      'is not a valid header name'
    ],
    [
      'a header value with a line break at the end',
      credentialsSchema,
      `header: {x: ["${'v'.repeat(N)}\\n"]}`,
      'line breaks are not accepted'
    ],
    ['a proxy url', proxySchema, `url: "https://${'a'.repeat(N)}"`, 'at most 2000 characters'],
    [
      'a management endpoint',
      serviceFabricSchema,
      `managementEndpoints: "https:${'/'.repeat(N)}"`,
      'expected an absolute http:// or https:// URL'
    ],
    [
      'a pool weight',
      poolSchema,
      `[{id: a, weight: "${'9'.repeat(N)}"}]`,
      'expected a whole number'
    ],
    [
      'a managed identity client id',
      credentialsSchema,
      `managedIdentity: {resource: r, clientId: "${'0'.repeat(N)}"}`,
      'expected a UUID'
    ]
  ])('YAML/JSON shapes: %s', (_, schema, text, expected) => {
    const value = parseYamlOrJson('circuit-breaker', text)
    expect(() => checkShape('circuit-breaker', schema, value)).toThrow(expected)
  })

  it('the backend id pattern, on long and slash-free segments', () => {
    const long = 'x'.repeat(N)
    const id = `/subscriptions/${SUB}/resourceGroups/${long}/providers/Microsoft.ApiManagement/service/apim/backends/orders`
    const lines = single({
      operation: 'get',
      backend: JSON.stringify({ id }),
      ...base,
      'resource-group': undefined,
      'subscription-id': undefined,
      'service-name': undefined
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Input 'resource-group': 'xxx.*is not a resource group name/)
    expect(
      single({
        operation: 'get',
        backend: JSON.stringify({ id: `/subscriptions/${long}` }),
        ...base
      })[0]
    ).toContain('is not the ARM id of an API Management backend')
  })

  it('every single-value input, given 64 KiB of each adversarial kind, is refused or accepted', () => {
    const kinds = ['/', '-', '.', '(', '9', 'a', ' ', '%', '[', '&', '\u0001']
    const accepted = new Set<string>()
    for (const name of Object.keys(INPUTS) as InputName[]) {
      if (INPUTS[name].maxLength !== LIMITS.scalarLength || name === 'operation') continue
      for (const kind of kinds) {
        // One character under the limit, so every check after the length check sees it.
        const value = `a${kind.repeat(LIMITS.scalarLength - 2)}`
        try {
          buildRequest(create({ [name]: value }), new Secrets(), {})
          accepted.add(name)
        } catch (e) {
          expect(e).toBeInstanceOf(InputErrors)
        }
      }
    }
    // Only the secrets take any text: the GitHub token and the client secret.
    expect([...accepted]).toEqual(['github-token', 'client-secret'])
  })
})

describe('the step, as the runner runs it: refused with ::error naming the input, and no request', () => {
  const emu = useEmulator()
  const step = (extra: Record<string, string>, env: Record<string, string> = {}) =>
    runInProcess({ ...TARGET, ...secretSignIn(emu()), ...extra }, env)

  it("a 3 MiB backends file of '[[[[…' (once 12 s, at 5 MiB a crash)", async () => {
    writeFileSync(join(workspace, 'attack.yml'), '['.repeat(3 * MiB))
    const outcome = await step(
      { operation: 'create', backends: 'attack.yml' },
      { GITHUB_WORKSPACE: workspace }
    )
    expect(outcome.failure).toBe(
      "Input 'backends': 'attack.yml' is a file of 3145728 bytes; at most 1048576 (1 MiB) are read, so it was not read."
    )
    expect(emu().requests).toHaveLength(0)
  })

  it('time-until-reset: 999999999999999 (once sent, then "Invalid time value")', async () => {
    const outcome = await step({
      operation: 'reset',
      'backend-id': 'orders',
      'time-until-reset': '999999999999999'
    })
    expect(outcome.failure).toContain("Input 'time-until-reset': '999999999999999' is out of range")
    expect(emu().requests).toHaveLength(0)
  })

  it('timeout-seconds: 2147484 (once timed out at once)', async () => {
    const outcome = await step({
      operation: 'get',
      'backend-id': 'orders',
      'timeout-seconds': '2147484'
    })
    expect(outcome.failure).toContain(
      "Input 'timeout-seconds': '2147484' is out of range; expected 1 to 21600 seconds"
    )
    expect(emu().requests).toHaveLength(0)
  })
})
