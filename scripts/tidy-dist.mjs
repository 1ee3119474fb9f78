// ncc writes dist/package.json for ESM; keep only what Node needs so rebuilds are byte-stable.
import { writeFileSync } from 'node:fs'
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n')
