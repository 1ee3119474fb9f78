// YAML/JSON inputs (backend-credentials, proxy, service-fabric-cluster, creds, backend, backends)
// are parsed here with the `yaml` library, bounded first (bounds.ts); their shapes are checked in
// schemas.ts. Messages never quote the input text: these inputs carry secrets.
import { LineCounter, parseDocument } from 'yaml'
import { LIMITS } from '../catalog.js'
import { InputError, msg } from '../messages.js'
import { describeCode, measure, prescan } from './bounds.js'

/**
 * Parse YAML or JSON (JSON is YAML's flow style). The failsafe schema keeps every scalar a
 * string, so `version: 1.10` stays "1.10" and nothing is silently coerced; merge keys and
 * anchors work; duplicate keys are an error rather than a silent last-one-wins.
 *
 * Hostile text is bounded before the parser sees it (prescan) and before its value is built
 * (measure): the parser's time grows with the tokens it reads, its stack with nesting, and
 * building the value with what aliases repeat. Every refusal names the input and a line.
 */
export function parseYamlOrJson(input: string, text: string): unknown {
  // inputs.ts checked the input's length; a value written back from a list item is checked here.
  if (text.length > LIMITS.documentLength)
    throw new InputError(input, msg.inputTooLong(text.length, LIMITS.documentLength))
  prescan(input, text)
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    schema: 'failsafe',
    merge: true,
    // Checked in measure() with a Set: the library compares each key with every other one of its
    // mapping, 12 s for a mapping of 50 000 keys.
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter
  })
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.pos[0])
    throw new InputError(input, msg.notYamlOrJson(describeCode(problem.code), line, col))
  }
  measure(input, doc, lineCounter)
  try {
    return doc.toJS({ maxAliasCount: LIMITS.maxAliasCount })
  } catch (e) {
    // The library's own alias guard (measure() should have refused first); never its text.
    if (e instanceof ReferenceError) throw new InputError(input, msg.yamlLimit(msg.aliasBomb))
    throw e
  }
}
