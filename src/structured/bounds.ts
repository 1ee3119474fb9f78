// Hostile YAML/JSON is bounded before the parser sees it (prescan, on the text with the parser's
// own lexer) and before its value is built (measure, on the parsed document): the parser's time
// grows with the tokens it reads, its stack with nesting, and building the value with what
// aliases repeat. Each bound is in catalog.ts LIMITS; each refusal names the input and a line.
// Kept as one module (about 270 lines): the two walks share the limits and their wording.
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
import { LIMITS } from '../catalog.js'
import { InputError, msg } from '../messages.js'

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
export function prescan(input: string, text: string): void {
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
export function measure(input: string, doc: Parsed, lineCounter: LineCounter): void {
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

/** A parser error code in words. */
export function describeCode(code: string): string {
  if (code === 'TAG_RESOLVE_FAILED') return 'unsupported tag; only plain YAML or JSON is accepted'
  if (code === 'DUPLICATE_KEY') return 'duplicate key'
  return code.toLowerCase().replace(/_/g, ' ')
}
