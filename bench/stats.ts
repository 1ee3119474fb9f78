// Summary statistics of a list of samples. The bench prints median and min–max: with 10 runs
// p10/p90 are little more than the 2nd and 9th values, and min–max shows the outliers a reader
// should know about. p10/p90 are kept in results.json for longer runs.

export interface Summary {
  n: number
  median: number
  min: number
  max: number
  p10: number
  p90: number
}

/** Percentile with linear interpolation between the closest ranks (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo)
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    p10: percentile(sorted, 10),
    p90: percentile(sorted, 90)
  }
}

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

export const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a')

export const mb = (bytes: number): string => `${(bytes / MIB).toFixed(2)} MB`

/** Sizes are in MB of 2^20 bytes, as ncc prints them. */
export const MIB = 1024 * 1024
