// The `health-status` input: which HTTP status codes count as a healthy answer, written as a
// comma-separated list of codes and ranges, e.g. `200-299,301`.
import { InputError, shown } from '../../messages.js'

export { DEFAULT_HEALTH_STATUS } from '../../catalog.js'

/** One inclusive range of status codes; a single code is a range with low === high. */
export interface StatusRange {
  readonly low: number
  readonly high: number
}

/** Sorted by `low`, overlapping and adjacent ranges merged; never empty. */
export type StatusRanges = readonly StatusRange[]

const INPUT = 'health-status'
const MIN = 100
const MAX = 599
const ACCEPTED = `status codes from ${MIN} to ${MAX} and ranges low-high, separated by commas, e.g. 200-299,301`

/**
 * Parses `200-299,301` (whitespace allowed around items and around the dash). Throws an
 * InputError for 'health-status' naming what was given and what is accepted.
 */
export function parseStatusRanges(text: string): StatusRanges {
  if (text.trim() === '') throw new InputError(INPUT, `is empty; expected ${ACCEPTED}.`)
  const ranges: StatusRange[] = []
  for (const raw of text.split(',')) {
    const item = raw.trim()
    if (item === '') {
      throw new InputError(INPUT, `${shown(text)} has an empty item; expected ${ACCEPTED}.`)
    }
    const match = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(item)
    if (!match) {
      throw new InputError(
        INPUT,
        `${shown(item)} is not a status code or a range of them; expected ${ACCEPTED}.`
      )
    }
    const low = Number(match[1])
    const high = match[2] === undefined ? low : Number(match[2])
    for (const code of [low, high]) {
      if (code < MIN || code > MAX) {
        throw new InputError(
          INPUT,
          `${shown(item)} holds ${code}, which is not an HTTP status code; expected ${ACCEPTED}.`
        )
      }
    }
    if (low > high) {
      throw new InputError(
        INPUT,
        `${shown(item)} is a range whose start is above its end; write it as ${high}-${low}.`
      )
    }
    ranges.push({ low, high })
  }
  return merge(ranges)
}

function merge(ranges: StatusRange[]): StatusRanges {
  const sorted = [...ranges].sort((a, b) => a.low - b.low || a.high - b.high)
  const merged: StatusRange[] = []
  for (const r of sorted) {
    const last = merged[merged.length - 1]
    if (last && r.low <= last.high + 1) {
      merged[merged.length - 1] = { low: last.low, high: Math.max(last.high, r.high) }
    } else {
      merged.push(r)
    }
  }
  return merged
}

/** Whether `status` is in one of the ranges. */
export function accepts(ranges: StatusRanges, status: number): boolean {
  return ranges.some((r) => status >= r.low && status <= r.high)
}

/** The ranges as the input writes them, e.g. `200-299,301`. */
export function describeRanges(ranges: StatusRanges): string {
  return ranges.map((r) => (r.low === r.high ? String(r.low) : `${r.low}-${r.high}`)).join(',')
}
