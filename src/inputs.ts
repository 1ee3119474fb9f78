// Step 1 of the data flow: read the raw inputs the runner passed (INPUT_* variables), refuse
// values longer than their input's maximum before anything parses them, and refuse inputs that do
// not belong to the chosen operation.
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
