// Parses action.yml and the workflow files with GitHub's own parser (@actions/workflow-parser,
// the one behind the Actions editor/language service), so what the runner would reject fails
// here first. The runner reads action.yml as a template: `${{ … }}` is an expression anywhere,
// descriptions included, and an unknown context there (`secrets`) stops the action loading.
// Usage: tsx scripts/check-workflow-files.ts [file…] (default: action.yml, examples/*.yml,
// .github/workflows/*.yml). A file named action.yml/action.yaml is an action, any other a
// workflow. Run it with tsx: the parser imports JSON without import attributes.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow
} from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'

const isYaml = (name: string) => /\.ya?ml$/.test(name)
const isAction = (file: string) => /^action\.ya?ml$/.test(basename(file))

/** The files checked by default: the action and every workflow of examples/ and .github/workflows/. */
export function defaultFiles(): string[] {
  const files = ['action.yml', 'action.yaml'].filter((f) => existsSync(f))
  for (const dir of ['examples', '.github/workflows']) {
    if (!existsSync(dir)) continue
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && isYaml(e.name))
      .map((e) => join(dir, e.name))
    files.push(...names.sort())
  }
  return files
}

/** The parser's errors for one file, each with the file and position: `f (Line: l, Col: c): …`. */
export async function parseErrors(file: string): Promise<string[]> {
  const source = { name: file, content: readFileSync(file, 'utf8') }
  const trace = new NoOperationTraceWriter()
  if (isAction(file)) {
    const { context, value } = parseAction(source, trace)
    if (value) convertActionTemplate(context, value)
    return context.errors.getErrors().map((e) => e.message)
  }
  const { context, value } = parseWorkflow(source, trace)
  if (value) await convertWorkflowTemplate(context, value)
  return context.errors.getErrors().map((e) => e.message)
}

/** Prints `ok  <file>` or the file's errors; returns the exit code (1 when any error). */
export async function main(files: string[]): Promise<number> {
  let failed = false
  for (const file of files.length ? files : defaultFiles()) {
    const errors = await parseErrors(file)
    if (errors.length === 0) console.log(`ok  ${file}`)
    for (const error of errors) console.error(`error  ${error}`)
    failed ||= errors.length > 0
  }
  return failed ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2))
