// After ncc: minify every chunk (ncc's --minify only touches the entry, and the Azure SDK and
// MSAL chunks are most of the size), and write a dist/package.json that only says "module".
// Terser is deterministic, so a rebuild of the same sources gives the same bytes (.ci/run checks).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { minify } from 'terser'

for (const file of readdirSync('dist').filter((f) => f.endsWith('.js'))) {
  const path = `dist/${file}`
  const out = await minify(readFileSync(path, 'utf8'), {
    module: true,
    compress: true,
    mangle: true,
    format: { comments: false }
  })
  writeFileSync(path, out.code)
}
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n')
