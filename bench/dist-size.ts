// Size of dist/: every file, the JavaScript the runner may load (dist/**/*.js), the source maps.
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

export interface DistSize {
  allBytes: number
  jsBytes: number
  /** the source maps, *.js.map: read only when source maps are enabled (src/index.ts) */
  mapBytes: number
  files: { path: string; bytes: number }[]
}

export function distSize(dir = 'dist'): DistSize {
  const files: { path: string; bytes: number }[] = []
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (entry.isFile()) files.push({ path: relative(dir, p), bytes: statSync(p).size })
    }
  }
  walk(dir)
  files.sort((a, b) => b.bytes - a.bytes)
  const sum = (list: typeof files) => list.reduce((n, f) => n + f.bytes, 0)
  return {
    allBytes: sum(files),
    jsBytes: sum(files.filter((f) => f.path.endsWith('.js'))),
    mapBytes: sum(files.filter((f) => f.path.endsWith('.js.map'))),
    files
  }
}
