// Bad input, tried systematically: random and hostile values for every input, run through the
// whole action against the emulator. A value the contract forbids must fail with a message that
// names the input and send no request at all (not even for a token); an odd but valid value must
// succeed. The oracle below is the contract (the limits action.yml documents for each input)
// written independently of src/validators.ts: character by character with plain loops, no
// regular expression of the validators copied (one would be tautological for the very inputs
// it decides).
import { afterAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { INJECTIONS, PLANTED, unintendedCommands } from '../../scripts/runner-commands.js'
import { runInProcess } from '../../scripts/run-in-process.js'
import { ApimEmulator, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
const tally = { cases: 0, refused: 0, accepted: 0, requestsOnRefused: 0 }
afterAll(() => {
  // Figures for docs/reliability.md.
  process.stdout.write(`hostile-inputs: ${JSON.stringify(tally)}\n`)
})

/** The UTF-16 code units of a value (the unit the input limits count). */
function codeUnits(v: string): number[] {
  const units: number[] = []
  for (let i = 0; i < v.length; i++) units.push(v.charCodeAt(i))
  return units
}
/** C0 controls and DEL. */
const isControl = (u: number) => u <= 0x1f || u === 0x7f
/** Whitespace as String.prototype.trim strips it (spaces, tabs, line ends, NBSP, U+2028…). */
const isSpace = (ch: string) => ch.trim() === ''
const isAsciiLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
const isAsciiDigit = (c: string) => c.length === 1 && c >= '0' && c <= '9'
const isHexDigit = (c: string) => c.length === 1 && '0123456789abcdefABCDEF'.includes(c)
/** One Unicode letter or number (a code point of general category L* or N*). */
const isLetterOrNumber = (cp: string) => /^\p{L}$/u.test(cp) || /^\p{N}$/u.test(cp)
/** No whitespace and no control character anywhere. */
const unbroken = (v: string) =>
  [...v].every((ch) => !isSpace(ch)) && codeUnits(v).every((u) => !isControl(u))
const BOOLEANS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE']
/** Whole numbers in a documented range: time limits at most 6 hours, a reset at most 7 days. */
const whole = (v: string, min: number, max: number) =>
  v.length > 0 && v.split('').every(isAsciiDigit) && Number(v) >= min && Number(v) <= max

/** `http://` or `https://` (any case), then the start of a host, and a URL that parses. */
function isHttpUrl(v: string): boolean {
  const scheme = v.slice(0, 8).toLowerCase()
  const hostAt = scheme.startsWith('https://') ? 8 : scheme.startsWith('http://') ? 7 : 0
  return hostAt > 0 && v.length > hostAt && !'/?#'.includes(v[hostAt]) && URL.canParse(v)
}
/** A Service Fabric name: `fabric:/` (any case) and an application segment. */
const isFabricName = (v: string) =>
  v.slice(0, 8).toLowerCase() === 'fabric:/' && v.length > 8 && v[8] !== '/'

/** Characters ARM refuses in a resource name, and C0, DEL and C1 controls. */
function isForbiddenInId(u: number): boolean {
  return u <= 0x1f || (u >= 0x7f && u <= 0x9f) || '/\\?#%&<>*:'.includes(String.fromCharCode(u))
}

/** Is this (already trimmed, as the runner's getInput trims) value allowed for the input? */
const CONTRACT: Record<string, (v: string) => boolean> = {
  'backend-id': (v) =>
    v === '' ||
    (v.length <= 80 &&
      codeUnits(v).every((u) => !isForbiddenInId(u)) &&
      // '.' and '..' are path segments a URL resolves away.
      v !== '.' &&
      v !== '..'),
  url: (v) => v !== '' && v.length <= 2000 && unbroken(v) && (isFabricName(v) || isHttpUrl(v)),
  protocol: (v) => ['http', 'soap'].includes(v.toLowerCase()),
  title: (v) => v === '' || (v.length <= 300 && codeUnits(v).every((u) => !isControl(u))),
  // Tab, line feed and carriage return are the controls a description may hold.
  description: (v) =>
    v === '' ||
    (v.length <= 2000 &&
      codeUnits(v).every((u) => !isControl(u) || u === 0x09 || u === 0x0a || u === 0x0d)),
  // An absolute http(s) URL, or an ARM id (sent as the ARM endpoint + the id).
  'resource-id': (v) =>
    v === '' || (v.length <= 1900 && unbroken(v) && (isHttpUrl(v) || isArmId(v))),
  'if-exists': (v) => v === '' || ['fail', 'replace', 'skip'].includes(v.toLowerCase()),
  'skip-certificate-chain-validation': (v) => v === '' || BOOLEANS.includes(v),
  'skip-certificate-name-validation': (v) => v === '' || BOOLEANS.includes(v),
  'timeout-seconds': (v) => v === '' || whole(v, 1, 21600),
  'max-wait-seconds': (v) => v === '' || whole(v, 0, 21600),
  'request-timeout-seconds': (v) => v === '' || whole(v, 1, 21600),
  // 1-50 ASCII letters, digits and hyphens; a letter first, no hyphen last.
  'service-name': (v) => {
    const chars = v.split('')
    return (
      chars.length >= 1 &&
      chars.length <= 50 &&
      isAsciiLetter(chars[0]) &&
      chars[chars.length - 1] !== '-' &&
      chars.every((c) => isAsciiLetter(c) || isAsciiDigit(c) || c === '-')
    )
  },
  // 1-90 Unicode letters, digits, '_', '-', '.', '(' and ')' (counted in code points), no '.'
  // last.
  'resource-group': (v) => {
    const chars = [...v]
    return (
      chars.length >= 1 &&
      chars.length <= 90 &&
      chars[chars.length - 1] !== '.' &&
      chars.every((c) => isLetterOrNumber(c) || '_-.()'.includes(c))
    )
  },
  // Five groups of 8, 4, 4, 4 and 12 hex digits, either case, joined by '-'.
  'subscription-id': (v) => {
    const groups = v.split('-')
    const sizes = [8, 4, 4, 4, 12]
    return (
      groups.length === sizes.length &&
      groups.every((g, i) => g.length === sizes[i] && g.split('').every(isHexDigit))
    )
  }
}
const TARGET_INPUTS = ['service-name', 'resource-group', 'subscription-id']
const RESET_CONTRACT: Record<string, (v: string) => boolean> = {
  'time-until-reset': (v) => v === '' || whole(v, 0, 604800)
}

/** /subscriptions/s/resourceGroups/g/providers/Namespace/type/name[/type/name…], read by segment. */
function isArmId(v: string): boolean {
  const parts = v.split('/')
  return (
    parts[0] === '' &&
    parts.length >= 9 &&
    (parts.length - 7) % 2 === 0 &&
    parts.slice(1).every((p) => p !== '') &&
    parts[1].toLowerCase() === 'subscriptions' &&
    parts[3].toLowerCase() === 'resourcegroups' &&
    parts[5].toLowerCase() === 'providers'
  )
}

/** Environment variables cannot hold NUL, so neither can an input. */
const noNul = (s: string) => s.replace(/\0/g, '')
const hostile = fc.oneof(
  fc.constantFrom('', ' ', '\t', '\n \n'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map(noNul),
  fc.string({ unit: 'binary', maxLength: 10 }).map(noNul),
  fc.integer({ min: 1, max: 12 }).map((k) => 'x'.repeat(k * 1000)),
  // Past the 64 KiB every single-value input is refused at, unread.
  fc.constantFrom('x', '9', '/', '[').map((c) => c.repeat(70_000)),
  fc.constantFrom(
    'javascript:alert(1)',
    'file:///etc/passwd',
    'backend.example.com',
    '//backend.example.com',
    'https:backend',
    'https',
    'HTTP',
    'Soap',
    '-1',
    '1.5',
    '30',
    ' 42 ',
    '0',
    '1e3',
    // Around the documented maxima, leading zeros, and numbers past a 32-bit timer in ms.
    '0030',
    '21600',
    '21601',
    '604800',
    '604801',
    '2147484',
    '999999999999999',
    'a'.repeat(80),
    'a'.repeat(81),
    'fabric:/app/svc',
    '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/orders',
    '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web',
    '/subscriptions/x/resourceGroups/y',
    'https://ok.example.com/a b',
    'https://ok.example.com/x?y=1#z',
    'http://[::1]:8080/',
    'Orders — 注文 🚀',
    'rg(prod)',
    'rg.',
    '00000000-0000-0000-0000-000000000000',
    'true',
    'yes',
    '.',
    '..',
    // Workflow commands, which a value must never be able to give the runner: on a line of
    // their own, and inside a URL that passes validation.
    ...INJECTIONS,
    '::warning::PLANTED-2',
    'https://ok.example.com/##[error]PLANTED-5'
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true })
)

async function check(operation: 'create' | 'reset', name: string, raw: string, allowed: boolean) {
  const emulator: ApimEmulator = emu()
  emulator.reset()
  if (operation === 'reset')
    emulator.putBackend(
      TARGET['subscription-id'],
      TARGET['resource-group'],
      TARGET['service-name'],
      'orders',
      { url: 'https://a.example.com', protocol: 'http' }
    )
  const base: Record<string, string> =
    operation === 'create'
      ? {
          operation,
          ...TARGET,
          ...secretSignIn(emulator),
          'backend-id': 'orders',
          url: 'https://orders.example.com',
          protocol: 'http',
          'if-exists': 'replace'
        }
      : { operation, ...TARGET, ...secretSignIn(emulator), 'backend-id': 'orders' }
  const outcome = await runInProcess({ ...base, [name]: raw })
  tally.cases++
  expect(unintendedCommands(outcome, PLANTED)).toEqual([])
  if (allowed && TARGET_INPUTS.includes(name)) {
    // Another service, group or subscription passes validation and is then Azure's to refuse.
    tally.accepted++
    expect(outcome.failure ?? '').not.toMatch(/^Input '/)
    expect(emulator.requests.length).toBeGreaterThan(0)
  } else if (allowed) {
    tally.accepted++
    expect({ name, raw, failure: outcome.failure }).toEqual({ name, raw, failure: undefined })
  } else {
    tally.refused++
    tally.requestsOnRefused += emulator.requests.length
    expect(outcome.failure).toContain(`Input '${name}'`)
    expect(emulator.requests).toHaveLength(0)
  }
}

describe('hostile values for every input', () => {
  it('create: forbidden values fail with zero requests, odd but valid ones succeed', async () => {
    const names = Object.keys(CONTRACT)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), hostile, async (name, raw) => {
        await check('create', name, raw, CONTRACT[name](raw.trim()))
      }),
      { numRuns: 900 }
    )
  }, 240_000)

  it('reset: time-until-reset, and create-only inputs refused', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (raw) => {
        await check(
          'reset',
          'time-until-reset',
          raw,
          RESET_CONTRACT['time-until-reset'](raw.trim())
        )
      }),
      { numRuns: 150 }
    )
  }, 120_000)
})

// backend-credentials: generated in the REST shape, written as JSON or as YAML (sometimes with
// an anchor and a merge key), then maybe spoiled in one known way.
const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/)
// Secret values are made distinctive (a prefix), so the leak check can find them anywhere.
const headerValue = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  )
  .map((v) => `value-${v.replace(/[\r\n\0]/g, '')}`)
const credentials = fc.record(
  {
    authorization: fc.record({
      scheme: token,
      parameter: fc
        .string({ minLength: 1, maxLength: 40 })
        .map((v) => `secret-${v.replace(/\0/g, '')}`)
    }),
    header: fc.dictionary(token, fc.array(headerValue, { minLength: 1, maxLength: 3 }), {
      minKeys: 1,
      maxKeys: 3
    }),
    query: fc.dictionary(token, fc.array(headerValue, { minLength: 1, maxLength: 3 }), {
      minKeys: 1,
      maxKeys: 3
    }),
    certificateIds: fc.array(token, { minLength: 1, maxLength: 32 })
  },
  { requiredKeys: [] }
)
type Spoil =
  | 'none'
  | 'unknown-key'
  | 'duplicate-key'
  | 'long-scheme'
  | 'newline-in-value'
  | 'too-many-certificates'
  | 'custom-tag'
  | 'not-a-mapping'
const spoils: Spoil[] = [
  'none',
  'none',
  'none',
  'unknown-key',
  'duplicate-key',
  'long-scheme',
  'newline-in-value',
  'too-many-certificates',
  'custom-tag',
  'not-a-mapping'
]

function yamlOf(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return value.map((v) => `\n${indent}- ${JSON.stringify(v)}`).join('')
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(
        ([k, v]) =>
          `\n${indent}${JSON.stringify(k)}:${typeof v === 'object' ? yamlOf(v, indent + '  ') : ` ${JSON.stringify(v)}`}`
      )
      .join('')
  }
  return ` ${JSON.stringify(value)}`
}

function write(creds: Record<string, unknown>, spoil: Spoil, asYaml: boolean): string {
  const c = structuredClone(creds)
  if (spoil === 'unknown-key') c.headers = { 'x-a': ['b'] }
  if (spoil === 'long-scheme')
    c.authorization = { scheme: 'S'.repeat(101), parameter: 'secret-param' }
  if (spoil === 'newline-in-value') c.header = { 'x-a': ['line1\nline2'] }
  if (spoil === 'too-many-certificates')
    c.certificate = Array.from({ length: 33 }, (_, i) => `t${i}`)
  if (spoil === 'not-a-mapping') return asYaml ? '- just\n- a list' : '"a string"'
  let text = asYaml ? yamlOf(c).trimStart() : JSON.stringify(c)
  if (asYaml && 'header' in c && !('query' in c) && spoil === 'none') {
    // The same header map again through an anchor and a merge key.
    text = `header: &h${yamlOf(c.header, '  ')}\nquery:\n  <<: *h${Object.keys(c)
      .filter((k) => k !== 'header')
      .map(
        (k) =>
          `\n${JSON.stringify(k)}:${typeof c[k] === 'object' ? yamlOf(c[k], '  ') : ` ${JSON.stringify(c[k])}`}`
      )
      .join('')}`
    c.query = c.header
  }
  if (spoil === 'duplicate-key')
    text = asYaml
      ? `${text}\ncertificate: [x]\ncertificate: [y]`
      : `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"certificate":["x"],"certificate":["y"]}`
  if (spoil === 'custom-tag')
    text = asYaml ? `${text}\ncertificate: !!js/function "x"` : `!custom ${text}`
  ;(write as { last?: unknown }).last = c
  return text
}

describe('hostile YAML and JSON in backend-credentials', () => {
  it('valid shapes arrive in the PUT exactly; spoiled ones fail with zero requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        credentials,
        fc.constantFrom(...spoils),
        fc.boolean(),
        async (creds, spoil, asYaml) => {
          const emulator = emu()
          emulator.reset()
          const text = write(creds, spoil, asYaml)
          const expected = (write as { last?: unknown }).last
          const outcome = await runInProcess({
            operation: 'create',
            ...TARGET,
            ...secretSignIn(emulator),
            'backend-id': 'orders',
            url: 'https://orders.example.com',
            protocol: 'http',
            'backend-credentials': text
          })
          tally.cases++
          if (spoil === 'none') {
            tally.accepted++
            expect(outcome.failure).toBeUndefined()
            const put = emulator.armRequests().find((r) => r.method === 'PUT')!
            expect(JSON.parse(put.body).properties.credentials ?? {}).toEqual(expected)
          } else {
            tally.refused++
            tally.requestsOnRefused += emulator.requests.length
            expect(outcome.failure).toMatch(/^Input 'backend-credentials': /)
            expect(emulator.requests).toHaveLength(0)
          }
        }
      ),
      { numRuns: 200 }
    )
  }, 120_000)
})
