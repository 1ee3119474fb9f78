// Reads the step's inputs and collects every problem instead of stopping at the first, so the
// user sees all of them at once. Values refused for their length (inputs.ts) are read as a
// stand-in, and what the checks say about such a value is left out of the report.
import type { InputName } from '../catalog.js'
import type { RawInputs } from '../inputs.js'
import { checkLengths } from '../inputs.js'
import { InputError } from '../messages.js'
import { InputErrors } from './model.js'

export class InputReader {
  /** The inputs, each within its maximum length. */
  readonly raw: RawInputs
  private readonly errors: InputError[] = []
  private readonly lengthErrors: InputError[]
  private readonly unread: Set<string>

  constructor(given: RawInputs) {
    const lengths = checkLengths(given)
    this.raw = lengths.within
    this.lengthErrors = lengths.errors
    this.errors.push(...lengths.errors)
    this.unread = new Set(lengths.errors.map((e) => e.input))
  }

  /** Run a check; an InputError is collected and undefined returned. */
  attempt<T>(check: () => T): T | undefined {
    try {
      return check()
    } catch (e) {
      if (e instanceof InputError) {
        this.errors.push(e)
        return undefined
      }
      throw e
    }
  }

  /** A given input's value through `check`; undefined when not given or refused. */
  optional<T>(name: InputName, check: (value: string) => T): T | undefined {
    const value = this.raw[name]
    return value === undefined ? undefined : this.attempt(() => check(value))
  }

  add(...errors: InputError[]): void {
    this.errors.push(...errors)
  }

  get ok(): boolean {
    return this.errors.length === 0
  }

  /** Everything collected, as one error (only what is not about a value refused unread). */
  refused(): InputErrors {
    return new InputErrors(
      this.errors.filter((e) => !this.unread.has(e.input) || this.lengthErrors.includes(e))
    )
  }
}
