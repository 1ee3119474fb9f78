// Step 1 of the data flow: read the raw inputs the runner passed (INPUT_* variables), refuse
// variables that name no input, values longer than their input's maximum before anything parses
// them, and inputs that do not belong to the chosen operation.
import { distance } from 'fastest-levenshtein'
import * as workflow from './workflow.js'
import { INPUTS, LIMITS, OPERATIONS, type InputName, type Operation } from './catalog.js'
import { InputError, msg } from './messages.js'

export type RawInputs = Partial<Record<InputName, string>>

/** Every input that was given a non-empty value. */
export function readInputs(): RawInputs {
  const raw: RawInputs = {}
  for (const name of Object.keys(INPUTS) as InputName[]) {
    const value = workflow.getInput(name)
    if (value !== '') raw[name] = value
  }
  return raw
}

/** The variable the runner hands an input in: INPUT_, the name upper-cased, spaces as '_'. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

const KNOWN_VARIABLES = new Set(Object.keys(INPUTS).map(inputVariable))

/**
 * INPUT_* variables that name no input of this action. The runner only warns about a `with:` key
 * that action.yml does not define and hands it to the step all the same, so a misspelt
 * `backendid` would otherwise be ignored and its backend created under a random id. Each is named
 * lower-case (the runner upper-cased it; a space in the key became '_'), never with its value,
 * which may be a secret the runner does not know to mask.
 */
export function unknownInputs(env: NodeJS.ProcessEnv): InputError[] {
  return Object.keys(env)
    .filter((key) => key.startsWith('INPUT_') && key.length > 6 && !KNOWN_VARIABLES.has(key))
    .sort()
    .map((key) => {
      const given = key.slice(6).toLowerCase()
      const near = closestInput(given)
      return new InputError(
        given,
        `is not an input of this action${near ? `; did you mean '${near}'?` : `. Its inputs: ${Object.keys(INPUTS).join(', ')}.`} Every \`with:\` key reaches the action, and so does an INPUT_* variable set in \`env:\`: rename or remove it.`
      )
    })
}

/** Spelling alone: case, hyphens, underscores and spaces do not count. */
const bare = (name: string) => name.toLowerCase().replace(/[-_ ]/g, '')

/**
 * The defined input a misspelt name most likely meant: the nearest by edit distance when at most
 * a third of it differs, or one that holds it whole (`timeout` for `timeout-seconds`).
 */
export function closestInput(given: string): InputName | undefined {
  const want = bare(given)
  let best: { name: InputName; cost: number } | undefined
  for (const name of Object.keys(INPUTS) as InputName[]) {
    const have = bare(name)
    const cost = distance(want, have)
    const close =
      cost <= Math.max(1, Math.floor(Math.max(want.length, have.length) / 3)) ||
      (want.length >= 4 && (have.includes(want) || want.includes(have)))
    if (close && (best === undefined || cost < best.cost)) best = { name, cost }
  }
  return best?.name
}

/**
 * Stands in for a value refused for its length, so the input still counts as given (no 'is
 * required' follows) while nothing reads the value itself. No input can hold NUL (environment
 * variables cannot), every check but client-secret's refuses it, and no request is built while a
 * length error stands.
 */
export const UNREAD = '\u0000'

/**
 * Every value against its input's maximum length (catalog.ts), before any parsing or pattern
 * matching. In `within` an over-long value is replaced by UNREAD; what the later checks say about
 * an input refused here is not to be reported.
 */
export function checkLengths(raw: RawInputs): { errors: InputError[]; within: RawInputs } {
  const errors: InputError[] = []
  const within: RawInputs = {}
  for (const [name, value] of Object.entries(raw) as [InputName, string | undefined][]) {
    if (value === undefined) continue
    const max = INPUTS[name]?.maxLength ?? LIMITS.scalarLength
    if (value.length > max) {
      errors.push(new InputError(name, msg.inputTooLong(value.length, max)))
      within[name] = UNREAD
    } else within[name] = value
  }
  return { errors, within }
}

export function readOperation(raw: RawInputs): Operation {
  const value = raw.operation
  if (value === undefined) {
    throw new InputError(
      'operation',
      msg.required(`; choose ${OPERATIONS.slice(0, -1).join(', ')} or ${OPERATIONS.at(-1)}`)
    )
  }
  const op = value.toLowerCase()
  if (!(OPERATIONS as readonly string[]).includes(op)) {
    throw new InputError('operation', msg.notOneOf(value, OPERATIONS))
  }
  return op as Operation
}

/** Inputs given for another operation are mistakes (a `title` on a reset would be ignored). */
export function checkApplicable(raw: RawInputs, operation: Operation): InputError[] {
  const errors: InputError[] = []
  for (const name of Object.keys(raw) as InputName[]) {
    const scope = INPUTS[name].scope
    if (scope !== 'all' && !(scope as readonly string[]).includes(operation)) {
      errors.push(new InputError(name, msg.notForOperation(operation, scope)))
    }
  }
  return errors
}
