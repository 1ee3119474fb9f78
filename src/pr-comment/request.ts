// Whether the step asked for a pull-request comment, read before any request: `comment: true`
// is for a preview only — operation plan, or a write with `what-if: true` — since a comment on
// a pull request reviews what would change, before it does.
import { INPUTS } from '../catalog.js'
import type { RawInputs } from '../inputs.js'
import { InputError } from '../messages.js'
import * as check from '../validators.js'

/** The operations whose `what-if: true` may be commented (plan is a preview by itself). */
const WHAT_IF_OPERATIONS = INPUTS['what-if'].scope as readonly string[]

/**
 * `comment: true` on a write without `what-if: true`, refused with the step's other input errors;
 * none otherwise.
 */
export function commentInputErrors(raw: RawInputs): InputError[] {
  let asked: boolean
  try {
    asked = commentAsked(raw)
  } catch {
    // A value that is not a boolean: refused with the other inputs (input-rules/common.ts).
    return []
  }
  const operation = raw.operation?.toLowerCase() ?? ''
  // Not an operation of `comment`: the scope check (inputs.ts) says so.
  if (!asked || operation === 'plan' || !WHAT_IF_OPERATIONS.includes(operation)) return []
  let whatIf: boolean
  try {
    whatIf = raw['what-if'] !== undefined && check.boolean('what-if', raw['what-if'])
  } catch {
    // A bad what-if value is reported by the operation's own rules.
    return []
  }
  if (whatIf) return []
  return [
    new InputError(
      'comment',
      `true needs what-if: true on operation ${operation}: the pull-request comment shows what a preview would change, and a step that writes has nothing left to preview. Set what-if: true (or use operation: plan), or remove comment.`
    )
  ]
}

/** Did the step ask for a comment? (Only once commentInputErrors found nothing.) */
export function commentAsked(raw: RawInputs): boolean {
  return raw.comment !== undefined && check.boolean('comment', raw.comment)
}
