// The inputs every operation over a backends file reads the same way.
import { InputError } from '../../messages.js'
import type { InputReader } from '../../input-rules/reader.js'
import type { DesiredBackend } from '../spec.js'

/** `backends` must be given: it is what the operation compares the service with. */
export function backendsFileRequired(
  reader: InputReader,
  operation: string,
  desired: DesiredBackend[] | undefined
): void {
  if (desired === undefined)
    reader.add(
      new InputError(
        'backends',
        `is required for operation ${operation}: the backends file (a YAML/JSON list, or the path of a file inside the workspace) whose items are the backends the service should have.`
      )
    )
}
