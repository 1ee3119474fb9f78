// The whole-step time limit (timeout-seconds) and what the step has done so far, so a timeout
// can say what was done and what was not.
import { LIMITS } from '../catalog.js'
import { ActionError } from '../messages.js'

export class Deadline {
  private readonly controller = new AbortController()
  private readonly timer: NodeJS.Timeout
  private readonly endsAt: number
  private readonly steps: { name: string; done: boolean }[] = []
  private current?: string

  constructor(readonly timeoutMs: number) {
    // Node fires a longer timer at once (after a TimeoutOverflowWarning): the step would time out
    // before its first request. timeout-seconds is at most 21600 (catalog.ts); this is the net.
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > LIMITS.timerMs)
      throw new RangeError(`A time limit of ${timeoutMs} ms is outside 1..${LIMITS.timerMs} ms.`)
    this.endsAt = Date.now() + timeoutMs
    this.timer = setTimeout(() => this.controller.abort(), timeoutMs)
    // A pending timer must not keep the process alive after the work is done.
    this.timer.unref()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now())
  }

  /** Declare the steps an operation will take, in order. */
  plan(...names: string[]): void {
    for (const name of names) this.steps.push({ name, done: false })
  }

  start(name: string): void {
    this.current = name
    if (!this.steps.some((s) => s.name === name)) this.steps.push({ name, done: false })
  }

  done(name: string): void {
    const step = this.steps.find((s) => s.name === name)
    if (step) step.done = true
    if (this.current === name) this.current = undefined
  }

  /** Skip a planned step that turned out not to be needed. */
  drop(name: string): void {
    const i = this.steps.findIndex((s) => s.name === name && !s.done)
    if (i >= 0) this.steps.splice(i, 1)
  }

  /** Many backends: the timeout message counts backends instead of naming steps. */
  progress?: () => { done: string[]; notDone: string[] }

  error(): ActionError {
    const custom = this.progress?.()
    const done = custom?.done ?? this.steps.filter((s) => s.done).map((s) => s.name)
    const notDone = custom?.notDone ?? this.steps.filter((s) => !s.done).map((s) => s.name)
    return new ActionError(
      `Timed out after ${Math.round(this.timeoutMs / 1000)} s (timeout-seconds)${this.current ? ` while ${this.current}` : ''}. ` +
        `Done: ${done.length ? done.join('; ') : 'nothing'}. Not done: ${notDone.length ? notDone.join('; ') : 'nothing'}. ` +
        'Raise timeout-seconds, or re-run the step: every write it makes is safe to repeat.'
    )
  }

  dispose(): void {
    clearTimeout(this.timer)
  }
}
