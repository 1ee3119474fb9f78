// The redaction's matcher against the plain definition: every place where any of the strings
// occurs, overlapping ones merged, over random strings drawn from a small alphabet (so strings
// share prefixes, nest and overlap) and enough of them for nodes to split.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { StringSet } from '../../src/string-set.js'

/** Every [start, end) where one of the strings occurs, overlapping ranges merged. */
function naive(strings: string[], text: string): [number, number][] {
  const covered = new Array<boolean>(text.length).fill(false)
  for (const s of strings)
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1))
      for (let j = i; j < i + s.length; j++) covered[j] = true
  const ranges: [number, number][] = []
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) continue
    const last = ranges.at(-1)
    if (last && last[1] === i) last[1] = i + 1
    else ranges.push([i, i + 1])
  }
  return ranges
}

/** The characters a set of ranges covers (adjacent ranges and merged ones cover the same). */
const coveredBy = (ranges: [number, number][]) =>
  ranges.flatMap(([a, b]) => Array.from({ length: b - a }, (_, k) => a + k))

const alphabet = fc.constantFrom('a', 'b', '%', 'é', '\u0301')
const str = (min: number, max: number) =>
  fc.array(alphabet, { minLength: min, maxLength: max }).map((cs) => cs.join(''))

describe('StringSet', () => {
  it('covers exactly the characters some string covers, however many strings', () => {
    fc.assert(
      fc.property(
        fc.array(str(4, 30), { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        str(0, 80),
        (strings, picks, noise) => {
          // Texts that hold some of the strings, among noise.
          const text =
            picks.map((p) => strings[p % strings.length] + noise.slice(0, p % 7)).join('') + noise
          const set = new StringSet()
          for (const s of strings) set.add(s)
          expect(coveredBy(set.ranges(text))).toEqual(coveredBy(naive(strings, text)))
        }
      ),
      { numRuns: 400 }
    )
  })

  it('finds both of two secrets that overlap, among many', () => {
    const set = new StringSet()
    for (let i = 0; i < 200; i++) set.add(`filler-secret-${i}-xyz`)
    set.add('Tenant-Key-7Q2x')
    set.add('7Q2x-Private-Part-99')
    expect(set.replace('id Tenant-Key-7Q2x-Private-Part-99 end', '***')).toBe('id *** end')
  })
})
