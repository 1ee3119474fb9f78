// The whole-step time limit (timeout-seconds) and what the step has done so far, so a timeout
// can say what was done and what was not, and give re-run advice that holds for what was
// written (from the traffic record).
import { LIMITS } from '../catalog.js'
import { ActionError } from '../messages.js'
import { pathOf, type Traffic } from './traffic.js'

export class Deadline {
  private readonly controller = new AbortController()
  private readonly timer: NodeJS.Timeout
  private readonly endsAt: number
  private readonly steps: { name: string; done: boolean }[] = []
  private current?: string

  constructor(
    readonly timeoutMs: number,
    /** The step's requests, for what its writes did; without it the advice claims nothing. */
    readonly traffic?: Traffic
  ) {
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
    const advice = this.traffic ? ` ${rerunAdvice(this.traffic)}` : ''
    return new ActionError(
      `Timed out after ${Math.round(this.timeoutMs / 1000)} s (timeout-seconds)${this.current ? ` while ${this.current}` : ''}. ` +
        `Done: ${done.length ? done.join('; ') : 'nothing'}. Not done: ${notDone.length ? notDone.join('; ') : 'nothing'}.` +
        `${advice} Hint: raise timeout-seconds.`
    )
  }

  dispose(): void {
    clearTimeout(this.timer)
  }
}

/**
 * What a re-run would meet, from what the step's writes did, as one or two sentences. Only
 * what is known is promised: a write that got no answer may have been applied, and with
 * if-exists: fail a re-run fails on a backend this step created (Traffic.failsOnRepeat).
 */
export function rerunAdvice(traffic: Traffic): string {
  const outcomes = traffic.writeOutcomes()
  const unknown = outcomes.filter((w) => w.outcome === 'unknown')
  const applied = outcomes.filter((w) => w.outcome === 'applied')
  const caveat = traffic.failsOnRepeat
  if (unknown.length > 0) {
    return (
      `${listWrites(unknown)} got no answer and may have been applied: check the backend before re-running` +
      `${caveat ? ` (with ${caveat.setting} a re-run would fail if it was)` : ''}.`
    )
  }
  if (applied.length > 0) {
    const it = applied.length === 1 ? 'it' : 'them'
    return caveat
      ? `Already applied: ${listWrites(applied)}; with ${caveat.setting} a re-run would fail on ${it}, so re-run with ${caveat.instead}.`
      : `Already applied: ${listWrites(applied)}; a re-run is safe.`
  }
  return 'Nothing was written, so a re-run starts clean.'
}

/** "PUT /backends/orders", at most three of them, for a message line. */
function listWrites(writes: { method: string; url: string }[]): string {
  const shown = writes.slice(0, 3).map((w) => `${w.method} ${pathOf(w.url)}`)
  const more = writes.length > 3 ? ` and ${writes.length - 3} more` : ''
  return shown.join(', ') + more
}
