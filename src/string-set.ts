// Finding every occurrence of many strings in a text in one pass, for the secret redaction
// (secrets.ts). A step may hold tens of thousands of secrets (a `list` of 240 backends with 190
// header values each), and every line it writes is searched for all of them: one pass per secret
// made that quadratic. modern-ahocorasick compiles the strings into one automaton whose scan is
// linear in the text, whatever their number.
//
// Around it:
// - A step holds a handful of secrets as a rule, and the library's first automaton costs ≈ 18 ms
//   however few strings it holds: it builds an Intl.Segmenter, and loading ICU's grapheme data is
//   that slow (measured on Node 24: a fifth of a step that fails at validation). Up to FEW
//   strings, a text is searched for each in turn instead, which costs less on any text the action
//   writes.
// - Strings arrive all along the step (each backend read back brings its own), between lines that
//   must be searched. Recompiling everything for each new batch is quadratic again, so the strings
//   are kept in automata of decreasing size, two of equal size merged into one (as a binary counter
//   carries): every string is compiled O(log n) times, and a text is scanned by O(log n) automata.
// - The library matches whole grapheme clusters: 'abce' is not found in 'abce\u0301', where a
//   combining accent joins the e (its README, "Unicode and compatibility"). A secret must be
//   found code unit for code unit, so texts and strings are searched as an image in which every
//   unit is a cluster of its own (imageOf).
import AhoCorasick from 'modern-ahocorasick'

const FEW = 64

interface Level {
  strings: string[]
  matcher: AhoCorasick
}

export class StringSet {
  private readonly levels: Level[] = []
  private pending: string[] = []

  /** Add a string (not empty); it is compiled at the next search. */
  add(value: string): void {
    this.pending.push(value)
  }

  /**
   * The ranges [start, end) of the text that hold one of the strings, in order, overlapping ones
   * merged. An automaton takes the earliest, longest string at a place and goes on after it (the
   * library's leftmost-longest): of two different strings that overlap in a text, the second is
   * found only when the first ends where it does. Every other way of choosing among an automaton's
   * matches takes time that grows with their number, which nested strings make quadratic.
   */
  ranges(text: string): [number, number][] {
    if (text === '') return []
    const found: [number, number][] = []
    if (this.levels.length === 0 && this.pending.length < FEW) {
      for (const s of this.pending)
        for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1))
          found.push([i, i + s.length])
    } else {
      this.compile()
      const { image, origin } = imageOf(text)
      for (const { matcher } of this.levels) {
        for (const m of matcher.iterate(image, { strategy: 'leftmost-longest' }))
          found.push([origin(m.start), origin(m.end)])
      }
    }
    // One automaton's ranges are in order already; those of several, or of a search for each
    // string in turn, are sorted here.
    if (this.levels.length !== 1) found.sort((a, b) => a[0] - b[0] || b[1] - a[1])
    const merged: [number, number][] = []
    for (const range of found) {
      const last = merged.at(-1)
      if (last && range[0] < last[1]) last[1] = Math.max(last[1], range[1])
      else merged.push(range)
    }
    return merged
  }

  /** The text with every range that holds one of the strings replaced by `by`. */
  replace(text: string, by: string): string {
    const ranges = this.ranges(text)
    if (ranges.length === 0) return text
    let out = ''
    let from = 0
    for (const [start, end] of ranges) {
      out += text.slice(from, start) + by
      from = end
    }
    return out + text.slice(from)
  }

  private compile(): void {
    if (this.pending.length === 0) return
    let strings = this.pending
    this.pending = []
    // Merge with every smaller-or-equal level before it, so sizes keep decreasing.
    while (this.levels.length > 0 && this.levels.at(-1)!.strings.length <= strings.length)
      strings = this.levels.pop()!.strings.concat(strings)
    this.levels.push({ strings, matcher: new AhoCorasick(strings.map((s) => imageOf(s).image)) })
  }
}

// A code unit that forms a grapheme cluster whatever surrounds it: ASCII but CR (CR LF is one
// cluster), or a private-use character (Unicode's grapheme break property Other). Every other
// unit u is written as two private-use ones, 0xE000 + (u >> 8) then 0xE100 + (u & 0xFF): from
// separate blocks, so an image match can only begin at the start of a unit's image.
const NEEDS_IMAGE = /[\r\u0080-\uffff]/

function imageOf(text: string): { image: string; origin: (at: number) => number } {
  if (!NEEDS_IMAGE.test(text)) return { image: text, origin: (at) => at }
  const units = new Uint16Array(text.length * 2)
  const origin = new Uint32Array(text.length * 2 + 1)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i)
    origin[n] = i
    if (u < 0x80 && u !== 0x0d) units[n++] = u
    else {
      units[n++] = 0xe000 + (u >> 8)
      origin[n] = i
      units[n++] = 0xe100 + (u & 0xff)
    }
  }
  origin[n] = text.length
  let image = ''
  for (let i = 0; i < n; i += 8192)
    image += String.fromCharCode(...units.subarray(i, Math.min(n, i + 8192)))
  return { image, origin: (at) => origin[at] }
}
