// After `ncc build -s --no-source-map-register` (package.json "bundle"): minify every chunk with
// its source map carried through, make the maps independent of the checkout, drop what the
// action never runs, and write a dist/package.json that only says "module".
//
// Why terser: ncc's --minify only touches dist/index.js, while the Azure SDK, MSAL and undici
// chunks are most of the bytes. Measured (npm run bench, Node 24): unminified chunks are 3× the
// JavaScript (6.0 MB instead of 2.0 MB, over the 2.5 MB budget of dist/**/*.js), every job
// downloads them with the action, and a cold start was no faster (bad input ~10% slower).
//
// The maps: each dist/N.index.js ends with `//# sourceMappingURL=N.index.js.map`; Node reads it
// only with source maps enabled (src/index.ts does so when the job runs with debug logging).
// `sources` are rewritten relative to dist/ as in a clean clone (../src/..., ../node_modules/...),
// whatever the layout of the build machine (node_modules may be a symlink), so a rebuild gives
// the same bytes (.ci/run compares). The sources themselves are not embedded (sourcesContent):
// they are src/ at the same commit and the node_modules that package-lock.json pins, and
// embedding them would add 6 MB to every download of the action.
//
// Terser is deterministic: a rebuild of the same sources gives the same bytes. ncc runs with
// --no-cache (package.json "bundle"): its webpack cache lives in ~/.cache/ncc/<hash of the
// folder>, outlives a checkout at the same path, and once gave a fresh clone stale source maps.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { minify } from 'terser'

/** A source map's `sources`, relative to dist/ of a clean clone; no embedded sources. */
function portable(map) {
  map.sources = map.sources.map((source) => {
    const i = source.indexOf('node_modules/')
    // webpack writes '.././src/x.ts' and '.././webpack/runtime/...' for its own code
    return i >= 0 ? `../${source.slice(i)}` : source.replace(/^\.\.\/\.\//, '../')
  })
  delete map.sourcesContent
  delete map.sourceRoot
  return map
}

for (const file of readdirSync('dist').filter((f) => f.endsWith('.js'))) {
  const path = `dist/${file}`
  const out = await minify(readFileSync(path, 'utf8'), {
    module: true,
    compress: true,
    mangle: true,
    format: { comments: false },
    sourceMap: {
      content: portable(JSON.parse(readFileSync(`${path}.map`, 'utf8'))),
      url: `${file}.map`
    }
  })
  writeFileSync(path, out.code)
  writeFileSync(`${path}.map`, JSON.stringify(portable(JSON.parse(out.map))))
}

// The `open` package (pulled in by @azure/identity for InteractiveBrowserCredential, which this
// action never constructs) ships a copy of the xdg-open shell script, and ncc copies it as an
// asset. Unused, and without it `open` would call the system's xdg-open anyway.
rmSync('dist/xdg-open', { force: true })

// What else is in dist/: licenses.txt, the licenses of the bundled packages (ncc --license,
// required by their MIT/BSD/Apache terms), and this file: dist/*.js are ES modules, and Node
// needs {"type": "module"} beside them to load them as such.
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n')
