// Finding every occurrence of many strings in a text, for the secret redaction (secrets.ts). A
// step may hold hundreds of thousands of strings (a `list` of 240 backends with 190 header values
// each, every value in a dozen encodings), arriving all along the step, between lines that must
// be searched. So adding a string must cost little (no automaton to rebuild), and a search must
// not cost a pass per string.
//
// The strings are kept in a tree keyed by 8-character chunks: a node holds the strings that
// continue from it, as a short list until it holds more than SPLIT, then in children keyed by
// their next chunk; remainders shorter than a chunk sit in one set per length. A search starts at
// every place of the text and walks down while the text agrees with some string's chunks: at a
// place where no string begins, that is a few hash lookups. Adding a string is one walk down.
// Matching is code unit for code unit, and every occurrence is found (overlapping ones too), so
// ranges merged from them cover any two secrets that overlap.
//
// The cost of a search is the text's length times how far, in chunks, the text agrees with a
// string at a place: linear for text that holds no long prefix of a secret, and at worst bounded
// by the longest string (64 KiB, catalog.ts) over 8.

const CHUNK = 8
/** Strings a node keeps in a list before it splits them by their next chunk. */
const SPLIT = 16

interface Node {
  /** A string ends here. */
  ends?: true
  /** Remainders of 1 to CHUNK-1 units, by length. */
  short?: Map<number, Set<string>>
  /** Remainders of CHUNK units or more, while the node has not split. */
  list?: string[]
  /** After the split: remainders by their first chunk. */
  next?: Map<string, Node>
}

export class StringSet {
  private readonly root: Node = {}

  /** Add a string (not empty). */
  add(value: string): void {
    insert(this.root, value)
  }

  /** The ranges [start, end) of the text that hold one of the strings, in order, overlapping ones merged. */
  ranges(text: string): [number, number][] {
    const merged: [number, number][] = []
    for (let start = 0; start < text.length; start++) {
      const end = longestAt(this.root, text, start, start)
      if (end <= start) continue
      const last = merged.at(-1)
      if (last && start < last[1]) last[1] = Math.max(last[1], end)
      else merged.push([start, end])
    }
    return merged
  }

  /**
   * The text with every range that holds one of the strings replaced by `by`. `searched`: the
   * text as it is searched, when that is a same-length rewriting of it (secrets.ts folds the case
   * of %-escapes).
   */
  replace(text: string, by: string, searched = text): string {
    const ranges = this.ranges(searched)
    if (ranges.length === 0) return text
    let out = ''
    let from = 0
    for (const [start, end] of ranges) {
      out += text.slice(from, start) + by
      from = end
    }
    return out + text.slice(from)
  }
}

function insert(node: Node, rest: string): void {
  if (rest === '') {
    node.ends = true
    return
  }
  if (rest.length < CHUNK) {
    node.short ??= new Map()
    const set = node.short.get(rest.length) ?? new Set<string>()
    set.add(rest)
    node.short.set(rest.length, set)
    return
  }
  if (node.next) {
    const key = rest.slice(0, CHUNK)
    let child = node.next.get(key)
    if (!child) node.next.set(key, (child = {}))
    insert(child, rest.slice(CHUNK))
    return
  }
  node.list ??= []
  node.list.push(rest)
  if (node.list.length > SPLIT) {
    const list = node.list
    node.list = undefined
    node.next = new Map()
    for (const r of list) insert(node, r)
  }
}

/** The end of the longest string that starts at `start`, continuing from `node` at `at`; else -1. */
function longestAt(node: Node, text: string, start: number, at: number): number {
  let best = -1
  for (let n: Node | undefined = node, i = at; n;) {
    if (n.ends && i > start) best = i
    if (n.short)
      for (const [length, set] of n.short)
        if (i + length <= text.length && i + length > best && set.has(text.slice(i, i + length)))
          best = i + length
    if (n.list)
      for (const r of n.list) if (i + r.length > best && text.startsWith(r, i)) best = i + r.length
    if (!n.next || i + CHUNK > text.length) break
    n = n.next.get(text.slice(i, i + CHUNK))
    i += CHUNK
  }
  return best
}
