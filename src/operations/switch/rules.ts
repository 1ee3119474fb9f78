// operation: switch — its inputs and rules, and the steps it takes. The handler is handler.ts.
import {
  DEFAULT_HEALTH_INTERVAL_SECONDS,
  DEFAULT_HEALTH_STATUS,
  DEFAULT_HEALTH_SUCCESSES,
  DEFAULT_HEALTH_TIMEOUT_SECONDS,
  DEFAULT_RESET_SECONDS,
  DEFAULT_ROLLBACK,
  INPUTS,
  ROLLBACK_RESERVE_SECONDS
} from '../../catalog.js'
import { InputError, msg, shown } from '../../messages.js'
import { parseYamlOrJson } from '../../structured/parse.js'
import { checkShape, healthHeadersSchema } from '../../structured/schemas.js'
import * as check from '../../validators.js'
import { HEALTH_STEP, READ_STEP, RECONNECT_STEP, UPDATE_STEP, WAIT_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import { RESULTS, type SwitchRequest, type SwitchResult } from './types.js'
import { parseStatusRanges } from './status-ranges.js'

export const switchBackend: OperationSpec<SwitchRequest, SwitchResult> = {
  target: 'backend',
  results: RESULTS,
  parse(reader, { common, fields, limits, secrets }) {
    const { raw } = reader
    // Every header value is a secret (an APIM subscription key, a token): masked as it is read.
    const headers =
      reader.optional('health-headers', (text) => {
        const parsed = parseYamlOrJson('health-headers', text)
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          for (const value of Object.values(parsed))
            if (typeof value === 'string') secrets.add(value)
        return checkShape('health-headers', healthHeadersSchema, parsed)
      }) ?? {}
    if (raw.url === undefined)
      reader.add(new InputError('url', msg.required(' for operation switch: the new deployment')))
    if (raw['health-url'] === undefined)
      reader.add(
        new InputError('health-url', msg.required(' for operation switch: what to probe after it'))
      )
    const healthUrl = reader.optional('health-url', (v) => {
      const url = check.backendUrl('health-url', v)
      // fabric:/ is not something a GET can reach; a user:password@ would become an
      // Authorization header the user did not write down: credentials go in health-headers.
      if (!/^https?:\/\//i.test(url))
        throw new InputError(
          'health-url',
          `${shown(v)} is not an absolute http:// or https:// URL.`
        )
      const { username, password } = new URL(url)
      if (username || password)
        throw new InputError(
          'health-url',
          'holds a user name or password; put credentials in health-headers (every value there is masked).'
        )
      return url
    })
    const accept = reader.optional('health-status', (v) => parseStatusRanges(v))
    const successes = reader.optional('health-successes', (v) =>
      check.wholeNumber('health-successes', v, INPUTS['health-successes'].range)
    )
    const interval = reader.optional('health-interval-seconds', (v) =>
      check.wholeNumber('health-interval-seconds', v, INPUTS['health-interval-seconds'].range)
    )
    const probeFor = reader.optional('health-timeout-seconds', (v) =>
      check.wholeNumber('health-timeout-seconds', v, INPUTS['health-timeout-seconds'].range)
    )
    const rollback =
      reader.optional('rollback', (v) => check.boolean('rollback', v)) ?? DEFAULT_ROLLBACK
    const afterSeconds = reader.optional('time-until-reset', (v) =>
      check.wholeNumber('time-until-reset', v, INPUTS['time-until-reset'].range)
    )
    const whatIf = reader.optional('what-if', (v) => check.boolean('what-if', v)) ?? false
    // In a workspace there is no reconnect, so nothing to wait for (and no delay to give it).
    const inWorkspace = common?.target.workspace !== undefined
    if (inWorkspace && afterSeconds !== undefined)
      reader.add(
        new InputError(
          'time-until-reset',
          `does not apply in a workspace: its backends have no reconnect, so a switch there probes right after the write. Remove it.`
        )
      )
    const waitSeconds = inWorkspace ? 0 : (afterSeconds ?? DEFAULT_RESET_SECONDS)
    const healthSeconds = probeFor ?? DEFAULT_HEALTH_TIMEOUT_SECONDS
    // The step must live through the wait, the probes and a rollback: without timeout-seconds,
    // it gets that; with one too short, the user hears so before anything is written.
    // One attempt may outlast the gate by its own limit, which the gate caps (handler.ts).
    const attemptSeconds = Math.min(limits.attemptTimeoutMs / 1000, healthSeconds)
    const needed = waitSeconds + healthSeconds + attemptSeconds + ROLLBACK_RESERVE_SECONDS
    const timeoutMs =
      raw['timeout-seconds'] === undefined
        ? Math.max(limits.timeoutMs, needed * 1000)
        : limits.timeoutMs
    if (timeoutMs < needed * 1000 && !whatIf)
      reader.add(
        new InputError(
          'timeout-seconds',
          `is ${timeoutMs / 1000}, but a switch needs at least ${needed}: ${inWorkspace ? 'no wait (a workspace has no reconnect)' : `the wait for the reconnect (time-until-reset, ${waitSeconds} s)`}, health-timeout-seconds (${healthSeconds} s), one more probe (request-timeout-seconds, ${attemptSeconds} s) and ${ROLLBACK_RESERVE_SECONDS} s for the writes and a rollback. Raise it, or leave it out to get exactly that.`
        )
      )
    // A gate that cannot pass in time would roll back every healthy deployment.
    const need = successes ?? DEFAULT_HEALTH_SUCCESSES
    const every = interval ?? DEFAULT_HEALTH_INTERVAL_SECONDS
    if (probeFor !== undefined || successes !== undefined || interval !== undefined)
      if ((need - 1) * every >= healthSeconds)
        reader.add(
          new InputError(
            'health-timeout-seconds',
            `is ${healthSeconds}, too short for ${need} good answers in a row ${every} s apart (they take at least ${(need - 1) * every} s): every deployment would be rolled back. Raise it above ${(need - 1) * every}, or lower health-successes or health-interval-seconds.`
          )
        )
    if (!common || !healthUrl || raw.url === undefined) return undefined
    if (
      Object.keys(fields.contract).some(
        (k) => !['url', 'protocol', 'credentials', 'proxy'].includes(k)
      )
    )
      return undefined // inputs of other operations were refused by their scope already
    return {
      operation: 'switch',
      ...common,
      limits: { ...common.limits, timeoutMs },
      updates: fields.contract,
      afterSeconds,
      health: {
        url: healthUrl,
        headers,
        accept: accept ?? parseStatusRanges(DEFAULT_HEALTH_STATUS),
        successes: successes ?? DEFAULT_HEALTH_SUCCESSES,
        intervalMs: (interval ?? DEFAULT_HEALTH_INTERVAL_SECONDS) * 1000,
        timeoutMs: healthSeconds * 1000
      },
      rollback,
      whatIf
    }
  },
  steps: (request) =>
    request.whatIf
      ? [READ_STEP]
      : request.target.workspace !== undefined
        ? [READ_STEP, UPDATE_STEP, HEALTH_STEP]
        : [READ_STEP, UPDATE_STEP, RECONNECT_STEP, WAIT_STEP, HEALTH_STEP],
  load: () => import('./handler.js').then((m) => m.switchBackend),
  asked: (request) => ({ url: request.updates.url, protocol: request.updates.protocol })
}
