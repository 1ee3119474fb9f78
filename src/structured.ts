// YAML/JSON inputs (backend-credentials, proxy, service-fabric-cluster, creds, backend): parsed
// with the `yaml` library and checked against zod schemas of the REST shapes. Messages never
// quote the input text: these inputs carry secrets.
import { secretValues } from './secret-fields.js'
import {
  CST,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  Lexer,
  LineCounter,
  parseDocument
} from 'yaml'
import { z } from 'zod'
import { LIMITS } from './catalog.js'
import { InputError, msg } from './messages.js'

/**
 * Parse YAML or JSON (JSON is YAML's flow style). The failsafe schema keeps every scalar a
 * string, so `version: 1.10` stays "1.10" and nothing is silently coerced; merge keys and
 * anchors work; duplicate keys are an error rather than a silent last-one-wins.
 *
 * Hostile text is bounded before the parser sees it (prescan) and before its value is built
 * (measure): the parser's time grows with the tokens it reads, its stack with nesting, and
 * building the value with what aliases repeat. Every refusal names the input and a line.
 */
export function parseYamlOrJson(input: string, text: string): unknown {
  // inputs.ts checked the input's length; a value written back from a list item is checked here.
  if (text.length > LIMITS.documentLength)
    throw new InputError(input, msg.inputTooLong(text.length, LIMITS.documentLength))
  prescan(input, text)
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    schema: 'failsafe',
    merge: true,
    // Checked in measure() with a Set: the library compares each key with every other one of its
    // mapping, 12 s for a mapping of 50 000 keys.
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter
  })
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.pos[0])
    throw new InputError(input, msg.notYamlOrJson(describeCode(problem.code), line, col))
  }
  measure(input, doc, lineCounter)
  try {
    return doc.toJS({ maxAliasCount: LIMITS.maxAliasCount })
  } catch (e) {
    // The library's own alias guard (measure() should have refused first); never its text.
    if (e instanceof ReferenceError) throw new InputError(input, msg.yamlLimit(msg.aliasBomb))
    throw e
  }
}

/** Line and column (1-based) of an offset, for a refusal found before the parser ran. */
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1
  let start = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    start = i + 1
  }
  return { line, col: offset - start + 1 }
}

/**
 * Bounds checked on the text with the parser's own lexer, so quotes, comments and block scalars
 * are seen exactly as the parser sees them, stopping at the first excess: nesting (flow brackets,
 * and block indentation levels), values, tokens, and properties per value. 1 MiB of '[' took the
 * parser 4 s to refuse, and 5 MiB ran Node out of memory; here it stops at the 65th '['.
 */
function prescan(input: string, text: string): void {
  let offset = 0
  let tokens = 0
  let flow = 0
  // Lower bounds of the parsed value's nodes: each scalar, alias or flow collection is one, and
  // each '-', '?', ':' or ',' opens one.
  let values = 0
  let indicators = 0
  let properties = 0 // anchors and tags
  let anchorsInRow = 0
  let tagsInRow = 0
  // Block nesting: the columns at which the values on the way to this line start.
  const columns: number[] = []
  let column = 0
  let linePrefix = true
  let skipSource = false
  let blockScalar = false
  const fail = (problem: string): never => {
    throw new InputError(input, msg.yamlLimit(problem, position(text, offset)))
  }
  const counted = () => {
    if (Math.max(values, indicators) > LIMITS.nodes) fail(msg.tooManyNodes(LIMITS.nodes))
  }
  // A value starts here: at the start of a block line it is one level below those before it.
  const starts = () => {
    if (flow > 0 || !linePrefix) return
    while (columns.length > 0 && columns[columns.length - 1] >= column) columns.pop()
    columns.push(column)
    if (columns.length > LIMITS.depth) fail(msg.tooDeep(LIMITS.depth))
  }
  const advance = (token: string) => {
    offset += token.length
    const newline = token.lastIndexOf('\n')
    column = newline < 0 ? column + token.length : token.length - newline - 1
  }
  for (const token of new Lexer().lex(text)) {
    if (++tokens > LIMITS.tokens) fail(msg.tooManyTokens(LIMITS.tokens))
    if (skipSource) {
      // The source of a scalar, after its SCALAR marker; a block scalar ends at a line start.
      skipSource = false
      advance(token)
      if (blockScalar) {
        blockScalar = false
        linePrefix = true
      } else linePrefix = false
      continue
    }
    const type = CST.tokenType(token)
    if (type !== 'anchor' && type !== 'tag' && type !== 'space' && type !== 'comment') {
      anchorsInRow = 0
      tagsInRow = 0
    }
    switch (type) {
      case 'doc-mode': // markers the lexer adds; not in the text
        continue
      case 'flow-error-end': {
        // A flow collection cut off by a less indented line: always the parser's BAD_INDENT, and
        // costly when repeated (49 000 of them took 1.9 s).
        const { line, col } = position(text, offset)
        throw new InputError(input, msg.notYamlOrJson(describeCode('BAD_INDENT'), line, col))
      }
      case 'scalar':
        skipSource = true
        if (!blockScalar) {
          values++
          counted()
          starts()
        }
        continue
      case 'block-scalar-header':
        values++
        counted()
        starts()
        blockScalar = true
        linePrefix = false
        break
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'alias':
        values++
        counted()
        starts()
        linePrefix = false
        break
      case 'flow-map-start':
      case 'flow-seq-start':
        values++
        counted()
        starts()
        linePrefix = false
        if (++flow > LIMITS.depth) fail(msg.tooDeep(LIMITS.depth))
        break
      case 'flow-map-end':
      case 'flow-seq-end':
        // Outside a flow collection the lexer yields one only as an error; the parser would
        // report each of 500 000 of them, 11 µs apiece.
        if (flow === 0) {
          const { line, col } = position(text, offset)
          throw new InputError(input, msg.notYamlOrJson(`unexpected '${token}'`, line, col))
        }
        flow--
        linePrefix = false
        break
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        indicators++
        counted()
        starts()
        break
      case 'comma':
        indicators++
        counted()
        break
      case 'anchor':
      case 'tag':
        if (++properties > LIMITS.properties) fail(msg.tooManyProperties(LIMITS.properties))
        if ((type === 'anchor' ? ++anchorsInRow : ++tagsInRow) > 1) fail(msg.manyProperties)
        starts()
        linePrefix = false
        break
      case 'newline':
        anchorsInRow = 0
        tagsInRow = 0
        linePrefix = true
        break
      case 'doc-start':
      case 'doc-end':
        columns.length = 0
        linePrefix = true
        break
      case 'space':
      case 'comment':
      case 'directive-line':
      case 'byte-order-mark':
        break
      default:
        starts()
        linePrefix = false
    }
    advance(token)
  }
}

interface Extent {
  /** Keys, items and scalars, counting what aliases repeat. */
  nodes: number
  /** Characters of its scalars, counting what aliases repeat. */
  length: number
  /** Nested lists and mappings: 0 for a scalar. */
  depth: number
}

type Parsed = ReturnType<typeof parseDocument>

/**
 * The parsed document, walked once without recursion before its value is built: duplicate keys;
 * aliases, resolved as the library resolves them (the latest anchor of the name before them),
 * counted, and refused when unresolved or inside the node they name; and the value's size with
 * every alias expanded, against the node, length and depth limits. The library's toJS resolves
 * each alias by scanning every anchor before it (33 s for 50 000 aliases), and a merge chain
 * (each mapping merging the one before) copies without bound.
 */
function measure(input: string, doc: Parsed, lineCounter: LineCounter): void {
  type Node = { range?: readonly number[] | null } | null | undefined
  const fail = (problem: string, node: Node): never => {
    const at = node?.range ? lineCounter.linePos(node.range[0]) : undefined
    throw new InputError(input, msg.yamlLimit(problem, at))
  }
  interface Anchor {
    extent?: Extent
  }
  interface Frame {
    node: Node
    children: unknown[]
    next: number
    extent: Extent
    anchor?: Anchor
  }
  const anchors = new Map<string, Anchor>()
  const stack: Frame[] = []
  let aliases = 0
  const NULL_KEY = Symbol('null key')

  /** A leaf's extent, or undefined after pushing a collection's frame. */
  const enter = (node: unknown): Extent | undefined => {
    if (isAlias(node)) {
      if (++aliases > LIMITS.aliases) fail(msg.tooManyAliases(LIMITS.aliases), node)
      const anchor = anchors.get(node.source)
      if (anchor === undefined) return fail(msg.aliasUnresolved, node)
      if (anchor.extent === undefined) return fail(msg.aliasCycle, node)
      return anchor.extent
    }
    if (isCollection(node)) {
      const frame: Frame = {
        node,
        children: [],
        next: 0,
        extent: { nodes: 1, length: 0, depth: 1 }
      }
      if (node.anchor) {
        frame.anchor = {}
        anchors.set(node.anchor, frame.anchor)
      }
      const keys = isMap(node) ? new Set<unknown>() : undefined
      for (const item of node.items) {
        if (isPair(item)) {
          if (keys) {
            const key =
              item.key === null ? NULL_KEY : isScalar(item.key) ? item.key.value : item.key
            if (keys.has(key)) {
              const at = lineCounter.linePos((item.key as Node)?.range?.[0] ?? 0)
              throw new InputError(input, msg.notYamlOrJson('duplicate key', at.line, at.col))
            }
            keys.add(key)
          }
          frame.children.push(item.key, item.value)
        } else frame.children.push(item)
      }
      stack.push(frame)
      return undefined
    }
    const extent: Extent = {
      nodes: 1,
      length: isScalar(node) ? String(node.value ?? '').length : 0,
      depth: 0
    }
    if (isScalar(node) && node.anchor) anchors.set(node.anchor, { extent })
    return extent
  }
  const add = (frame: Frame, child: Extent) => {
    const e = frame.extent
    e.nodes += child.nodes
    e.length += child.length
    e.depth = Math.max(e.depth, child.depth + 1)
    if (e.nodes > LIMITS.nodes) fail(msg.tooManyNodes(LIMITS.nodes), frame.node)
    if (e.length > LIMITS.expandedLength) fail(msg.expandsTooFar(LIMITS.expandedLength), frame.node)
    if (e.depth > LIMITS.depth) fail(msg.tooDeep(LIMITS.depth), frame.node)
  }

  if (doc.contents === null) return
  enter(doc.contents)
  while (stack.length > 0) {
    const top = stack[stack.length - 1]
    if (top.next < top.children.length) {
      const extent = enter(top.children[top.next++])
      if (extent) add(top, extent)
      continue
    }
    stack.pop()
    if (top.anchor) top.anchor.extent = top.extent
    if (stack.length > 0) add(stack[stack.length - 1], top.extent)
  }
}

function describeCode(code: string): string {
  if (code === 'TAG_RESOLVE_FAILED') return 'unsupported tag; only plain YAML or JSON is accepted'
  if (code === 'DUPLICATE_KEY') return 'duplicate key'
  return code.toLowerCase().replace(/_/g, ' ')
}

/** Validate a parsed value; the first problems become one InputError naming their paths. */
export function checkShape<T extends z.ZodType>(
  input: string,
  schema: T,
  value: unknown
): z.output<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) =>
      msg.badShape(issue.path.join('.'), describeIssue(issue, valueAt(value, issue.path)))
    )
  throw new InputError(input, problems.join('; '))
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value
  for (const key of path)
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined
  return v
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))
    return 'is required'
  // A message the schema set itself says more than the generic one.
  if (!/^(Too (big|small)|Invalid)/.test(issue.message)) return issue.message
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(issue.expected)}`
    case 'invalid_union':
      return 'expected a string or a list of strings'
    case 'invalid_key':
      return issue.issues[0]?.message ?? issue.message
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} items are accepted`
        : `at most ${issue.maximum} characters are accepted`
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} item is required`
        : 'must not be empty'
    default:
      return issue.message
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    record: 'a mapping',
    array: 'a list',
    string: 'a string'
  }
  return names[expected] ?? expected
}

/** A strict mapping: unknown keys are named, with the accepted ones. */
export function strict<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}; accepted: ${Object.keys(shape).join(', ')}`
        : undefined
  })
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const NO_LINE_BREAKS = /^[^\r\n\u0000]*$/

const text = (min: number, max: number) => z.string().min(min).max(max)
/** A single string where a list is expected is a one-item list. */
const oneOrMany = (item: z.ZodType<string>, max = Infinity) =>
  z
    .union([item, z.array(item)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string()).max(max))
const headerValue = z.string().regex(NO_LINE_BREAKS, 'line breaks are not accepted in a value')
const valueMap = (what: string) =>
  z.record(z.string().regex(HEADER_NAME, `is not a valid ${what} name`), oneOrMany(headerValue))
const absoluteUrl = z
  .string()
  .max(2000)
  .refine(
    (v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v),
    'expected an absolute http:// or https:// URL'
  )
const integer = z
  .string()
  .regex(/^\d{1,9}$/, 'expected a whole number')
  .transform(Number)

/** ISO 8601 durations such as PT30S, PT1M, P1DT2H. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/
const duration = z
  .string()
  .regex(ISO_DURATION, 'expected an ISO 8601 duration such as PT30S or PT1M')
const boolText = z
  .string()
  .regex(/^(true|false)$/i, 'expected true or false')
  .transform((v) => v.toLowerCase() === 'true')
const ranged = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a number from ${min} to ${max}`)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const credentialsSchema = strict({
  authorization: strict({ scheme: text(1, 100), parameter: text(1, 300) }).optional(),
  header: valueMap('header').optional(),
  query: valueMap('query parameter').optional(),
  certificate: oneOrMany(text(1, 2000), 32).optional(),
  certificateIds: oneOrMany(text(1, 2000), 32).optional(),
  // Accepted by the service, missing from the stable spec (and so dropped by the SDK: see
  // azure/managed-identity-policy.ts): the backend signs in to the target with APIM's identity.
  managedIdentity: strict({
    resource: text(1, 2000),
    clientId: z
      .string()
      .regex(UUID, 'expected a UUID (a user-assigned identity of the service)')
      .optional()
  }).optional()
})

/** circuit-breaker: the REST shape; the service accepts exactly one rule. */
export const circuitBreakerSchema = strict({
  rules: z
    .array(
      strict({
        name: text(1, 200),
        failureCondition: strict({
          count: ranged(1, 1_000_000).optional(),
          percentage: ranged(1, 100).optional(),
          interval: duration,
          statusCodeRanges: z
            .array(
              strict({ min: ranged(200, 599), max: ranged(200, 599) }).refine(
                (r) => r.min <= r.max,
                'min must not be above max'
              )
            )
            .max(10)
            .optional(),
          errorReasons: oneOrMany(text(1, 200), 10).optional()
        }).refine(
          (f) => f.count !== undefined || f.percentage !== undefined,
          'give count or percentage'
        ),
        tripDuration: duration,
        acceptRetryAfter: boolText.optional()
      })
    )
    .min(1)
    .max(1, 'the service accepts exactly one rule')
})

/** pool: backend ids (or ARM ids of backends of the same service), with weight and priority. */
export const poolSchema = z
  .array(
    z.union([
      text(1, 2000).transform((id) => ({ id })),
      strict({
        id: text(1, 2000),
        weight: ranged(0, 100).optional(),
        priority: ranged(0, 100).optional()
      })
    ])
  )
  .min(1)
  .max(30, 'at most 30 backends are accepted in a pool')

export const proxySchema = strict({
  url: absoluteUrl,
  username: text(1, 2000).optional(),
  password: text(1, 2000).optional()
})

export const serviceFabricSchema = strict({
  managementEndpoints: oneOrMany(absoluteUrl).pipe(z.array(z.string()).min(1)),
  clientCertificateId: text(1, 2000).optional(),
  clientCertificatethumbprint: text(1, 2000).optional(),
  maxPartitionResolutionRetries: integer.optional(),
  serverCertificateThumbprints: oneOrMany(text(1, 2000)).optional(),
  serverX509Names: z
    .array(strict({ name: text(1, 2000), issuerCertificateThumbprint: text(1, 2000).optional() }))
    .optional()
})

/** Keys `az ad sp create-for-rbac --sdk-auth` writes that this action does not need. */
const SDK_AUTH_EXTRAS = [
  'activeDirectoryEndpointUrl',
  'resourceManagerEndpointUrl',
  'activeDirectoryGraphResourceId',
  'sqlManagementEndpointUrl',
  'galleryEndpointUrl',
  'managementEndpointUrl'
] as const

export const credsSchema = strict({
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  tenantId: z.string().optional(),
  subscriptionId: z.string().optional(),
  ...Object.fromEntries(SDK_AUTH_EXTRAS.map((k) => [k, z.string().optional()]))
})

/** Of an earlier `backend` output only the ARM id is read. */
export const backendOutputSchema = z.looseObject({ id: z.string() })

/** The secret-bearing leaves of backend-credentials, proxy and creds, read before validation. */
export function secretLeaves(value: unknown, kind: 'credentials' | 'proxy' | 'creds'): string[] {
  if (!value || typeof value !== 'object') return []
  if (kind !== 'creds') return secretValues(value, [kind])
  const secret = (value as Record<string, unknown>).clientSecret
  return typeof secret === 'string' ? [secret] : []
}
