// The inputs and outputs tables, rendered from action.yml (what GitHub reads) so the docs never
// disagree with it: a short table in README.md (the gist of each input's description, and the
// operations an input belongs to, from src/catalog.ts) and the full descriptions in
// docs/operations.md. Each table sits between marker comments; prettier leaves it as written.
//   tsx scripts/render-action-tables.ts           rewrite the tables
//   tsx scripts/render-action-tables.ts --check   exit 1 when a table is stale (npm run check:readme)
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { INPUTS, OPERATIONS } from '../src/catalog.js'

export const START =
  '<!-- action-tables:start — generated from action.yml by scripts/render-action-tables.ts -->'
export const END = '<!-- action-tables:end -->'

/** The files that hold the tables, and which kind each holds. */
export const TARGETS = { 'README.md': 'short', 'docs/operations.md': 'full' } as const
type Kind = (typeof TARGETS)[keyof typeof TARGETS]

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

/** A table cell on one line: line breaks folded, pipes escaped. */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim()
}

/**
 * The gist of an input's description for the short table: without the operations it starts with
 * ("`create`, `update`: …", shown in their own column), up to the first '.' or ';' followed by a
 * space, outside backticks and brackets and not in "e.g." or "i.e."; a sentence still longer than
 * LONG characters ends at its first such ':' instead.
 */
export function gist(description: string): string {
  const prefix = /^(?:`[a-z]+`(?: \([^)]*\))?(?:, (?:or )?| or )?)+: /.exec(description)?.[0] ?? ''
  const named = [...prefix.matchAll(/`([a-z]+)`/g)].map((m) => m[1])
  const operations = named.every((n) => (OPERATIONS as readonly string[]).includes(n))
  const text = operations ? description.slice(prefix.length) : description
  const sentence = cutAt(text, '.;')
  const before = cutAt(sentence, ':')
  const short = sentence.length > LONG && before.length >= 30 ? before : sentence
  return short.charAt(0).toUpperCase() + short.slice(1)
}

const LONG = 160

/** The text up to the first of `marks` followed by a space, outside backticks and brackets. */
function cutAt(text: string, marks: string): string {
  let quoted = false
  let depth = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]
    if (c === '`') quoted = !quoted
    else if (quoted || text[i + 1] !== ' ') {
      if (!quoted && '({['.includes(c)) depth += 1
      else if (!quoted && ')}]'.includes(c)) depth = Math.max(0, depth - 1)
    } else if (depth === 0 && marks.includes(c)) {
      if (/\b(?:e\.g|i\.e)$/.test(text.slice(0, i))) continue
      return `${text.slice(0, i)}.`
    } else if ('({['.includes(c)) depth += 1
    else if (')}]'.includes(c)) depth = Math.max(0, depth - 1)
  }
  return text
}

function operationsOf(name: string): string {
  const scope = INPUTS[name as keyof typeof INPUTS]?.scope
  if (scope === undefined) return ''
  return scope === 'all' ? 'all' : scope.join(', ')
}

/** The block between the markers (markers included), from action.yml's text. */
export function renderTables(actionYml: string, kind: Kind): string {
  const action = parse(actionYml) as ActionYml
  const given = (spec: { required?: boolean; default?: string }) =>
    spec.required ? 'required' : spec.default ? `\`${spec.default}\`` : ''
  const entries = Object.entries(action.inputs)
  // The short table: each operation's own inputs; the target, sign-in and limit inputs every
  // operation takes are one line under it (docs/operations.md has them in full).
  const common = entries.filter(([name]) => kind === 'short' && operationsOf(name) === 'all')
  const inputs = entries
    .filter((entry) => !common.includes(entry))
    .map(([name, spec]) =>
      kind === 'short'
        ? `| \`${name}\` | ${operationsOf(name)} | ${cell(gist(spec.description))} |`
        : `| \`${name}\` | ${given(spec)} | ${cell(spec.description)} |`
    )
  const outputs = Object.entries(action.outputs).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`
  )
  return [
    START,
    '<!-- prettier-ignore-start -->',
    '',
    ...(kind === 'short'
      ? ['| input | operations | what it is |', '| --- | --- | --- |']
      : ['| input | required / default | description |', '| --- | --- | --- |']),
    ...inputs,
    ...(common.length > 0
      ? [
          '',
          `Every operation: ${common.map(([name, spec]) => `\`${name}\`${given(spec) ? ` (${given(spec).replace(/^`(.*)`$/, '$1')})` : ''}`).join(', ')}.`
        ]
      : []),
    '',
    '| output | value |',
    '| --- | --- |',
    ...outputs,
    '',
    '<!-- prettier-ignore-end -->',
    END
  ].join('\n')
}

/** The file's text with its tables rendered anew; throws when the markers are missing. */
export function withTables(file: string, actionYml: string, kind: Kind): string {
  const start = file.indexOf(START)
  const end = file.indexOf(END)
  if (start < 0 || end < start) throw new Error(`no '${START}' … '${END}' markers for the tables`)
  return file.slice(0, start) + renderTables(actionYml, kind) + file.slice(end + END.length)
}

/** The files whose tables differ from action.yml (and, unless checking, rewrites them). */
export function renderAll(check: boolean): string[] {
  const actionYml = readFileSync('action.yml', 'utf8')
  const stale: string[] = []
  for (const [path, kind] of Object.entries(TARGETS)) {
    const text = readFileSync(path, 'utf8')
    let fresh: string
    try {
      fresh = withTables(text, actionYml, kind)
    } catch (e) {
      throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (fresh === text) continue
    stale.push(path)
    if (!check) writeFileSync(path, fresh)
  }
  return stale
}

function main(args: string[]): number {
  const check = args.includes('--check')
  const stale = renderAll(check)
  if (check && stale.length > 0) {
    process.stderr.write(
      `${stale.join(' and ')}: the inputs and outputs tables differ from action.yml. ` +
        "Run 'npx tsx scripts/render-action-tables.ts' and commit the result.\n"
    )
    return 1
  }
  if (!check)
    process.stdout.write(stale.length ? `Rewrote ${stale.join(', ')}.\n` : 'Up to date.\n')
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 1
  }
}
