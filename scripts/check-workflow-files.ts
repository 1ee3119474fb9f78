// Parses action.yml and the workflow files with GitHub's own parser (@actions/workflow-parser,
// the one behind the Actions editor/language service), so what the runner would reject fails
// here first. The runner reads action.yml as a template: `${{ … }}` is an expression anywhere,
// descriptions included, and an unknown context there (`secrets`) stops the action loading.
// The runner only warns about a `with:` key the action does not define, so the steps that run
// this action (`uses: ./` in a workflow, `uses: apim-backend-action/apim-backend-action@…` in
// an example) are also checked against action.yml's inputs: unknown keys and missing required
// ones are errors here.
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
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml'
import { closestInput } from '../src/inputs.js'

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

/** A step that runs this action: from the repository itself, or as a user's workflow names it. */
export const THIS_ACTION = /^(?:\.\/?|apim-backend-action\/apim-backend-action(?:@.*)?)$/

interface ActionInputs {
  inputs: Record<string, { required?: boolean }>
}

/**
 * The `with:` keys of the workflow's steps that run this action, against action.yml's inputs:
 * `f (Line: l, Col: c): …` for each key it does not define (compared without case, as the
 * runner does) and each required input a step leaves out.
 */
export function withErrors(file: string, actionYml = 'action.yml'): string[] {
  const { inputs } = parseDocument(readFileSync(actionYml, 'utf8')).toJS() as ActionInputs
  const defined = new Map(Object.keys(inputs).map((name) => [name.toLowerCase(), name]))
  const required = Object.keys(inputs).filter((name) => inputs[name].required)
  const lines = new LineCounter()
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines })
  const at = (node: Node | null | undefined) => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0)
    return `${file} (Line: ${line}, Col: ${col})`
  }
  const errors: string[] = []
  const jobs = doc.get('jobs')
  if (!isMap(jobs)) return errors
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get('steps', true) : undefined
    if (!steps || !('items' in steps) || !Array.isArray(steps.items)) continue
    for (const step of steps.items as Node[]) {
      if (!isMap(step)) continue
      const uses = step.get('uses')
      if (typeof uses !== 'string' || !THIS_ACTION.test(uses.trim())) continue
      const withNode = step.get('with', true)
      const keys = isMap(withNode) ? withNode.items : []
      const given = new Set<string>()
      for (const pair of keys) {
        const key = isScalar(pair.key) ? String(pair.key.value) : ''
        given.add(key.toLowerCase())
        if (defined.has(key.toLowerCase())) continue
        const near = closestInput(key)
        errors.push(
          `${at(pair.key as Node)}: '${key}' is not an input of action.yml${near ? `; did you mean '${near}'?` : ''}`
        )
      }
      for (const name of required)
        if (!given.has(name))
          errors.push(`${at(step)}: the step of ${uses} leaves out the required input '${name}'`)
    }
  }
  return errors
}

/** Prints `ok  <file>` or the file's errors; returns the exit code (1 when any error). */
export async function main(files: string[]): Promise<number> {
  let failed = false
  for (const file of files.length ? files : defaultFiles()) {
    const errors = await parseErrors(file)
    if (!isAction(file)) errors.push(...withErrors(file))
    if (errors.length === 0) console.log(`ok  ${file}`)
    for (const error of errors) console.error(`error  ${error}`)
    failed ||= errors.length > 0
  }
  return failed ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2))
