// Step 1 of the data flow: read the raw inputs the runner passed (INPUT_* variables) and
// refuse inputs that do not belong to the chosen operation.
import * as core from './workflow.js'
import { INPUTS, OPERATIONS, type InputName, type Operation } from './catalog.js'
import { InputError, msg } from './messages.js'

export type RawInputs = Partial<Record<InputName, string>>

/** Every input that was given a non-empty value. */
export function readInputs(): RawInputs {
  const raw: RawInputs = {}
  for (const name of Object.keys(INPUTS) as InputName[]) {
    const value = core.getInput(name)
    if (value !== '') raw[name] = value
  }
  return raw
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
