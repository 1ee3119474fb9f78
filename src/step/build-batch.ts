// Many backends in one step: the `backends` input (a YAML/JSON list, or a file inside the
// workspace) applies the step's operation to every item. Each item takes the step's backend
// inputs as keys; the step's own inputs are every item's defaults. Every item is validated
// before the first request, and a problem names the item: `backends[2].url`.
import {
  BACKEND_ITEM_KEYS,
  INPUTS,
  DEFAULT_MAX_PARALLEL,
  LIMITS,
  MAX_BACKENDS,
  type InputName,
  type Operation
} from '../catalog.js'
import { checkLengths, readOperation, UNREAD, type RawInputs } from '../inputs.js'
import { InputError, msg, shown } from '../messages.js'
import type { ActionRequest } from '../operations/registry.js'
import { InputErrors } from '../input-rules/model.js'
import { readInputFile } from '../input-rules/workspace-files.js'
import { buildRequest } from './build-single.js'
import type { Secrets } from '../secrets.js'
import { parseYamlOrJson } from '../structured/parse.js'
import { resolveReferences } from '../structured/references.js'
import { secretLeaves } from '../structured/schemas.js'
import { urlSecrets } from '../secret-fields.js'
import * as check from '../validators.js'

export interface BatchRequest {
  operation: Operation
  /** One request per item; the operations `backends` applies to are in its catalog scope. */
  items: ActionRequest[]
  maxParallel: number
}

const STRUCTURED = new Set<string>([
  'backend-credentials',
  'proxy',
  'service-fabric-cluster',
  'circuit-breaker',
  'pool'
])

export function buildBatch(raw: RawInputs, secrets: Secrets, env: NodeJS.ProcessEnv): BatchRequest {
  // Every value against its maximum before anything reads it (inputs.ts); without the operation
  // or the list there is nothing more to check.
  const lengths = checkLengths(raw)
  const stop = (e: InputError) => new InputErrors([...lengths.errors, e].filter(unique))
  if (lengths.errors.some((e) => e.input === 'operation' || e.input === 'backends'))
    throw new InputErrors(lengths.errors)
  const operation = (() => {
    try {
      return readOperation(raw)
    } catch (e) {
      if (e instanceof InputError) throw stop(e)
      throw e
    }
  })()
  if (!(INPUTS.backends.scope as readonly string[]).includes(operation)) {
    throw stop(new InputError('backends', msg.notForOperation(operation, INPUTS.backends.scope)))
  }
  let parsed: unknown
  // A value from ${NAME} is a secret wherever it lands (references.ts), registered at once.
  const source = {
    file: describeSource(raw.backends as string),
    env,
    resolved: (value: string) => secrets.add(value)
  }
  try {
    parsed = parseYamlOrJson('backends', readBackendsText(raw.backends as string, env))
  } catch (e) {
    if (e instanceof InputError) throw stop(e)
    throw e
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw stop(
      new InputError(
        'backends',
        'expected a non-empty list of backends (YAML or JSON), or the path of a file inside the workspace that holds one.'
      )
    )
  }
  if (parsed.length > MAX_BACKENDS) {
    throw stop(
      new InputError(
        'backends',
        `has ${parsed.length} items; at most ${MAX_BACKENDS} are accepted in one step.`
      )
    )
  }
  const errors: InputError[] = []
  const seen = new Set<string>()
  const add = (e: InputError) => {
    if (!seen.has(e.message)) errors.push(e)
    seen.add(e.message)
  }
  lengths.errors.forEach(add)
  // Each item's values against their inputs' maxima, before anything reads them (the secret
  // registration below included): an over-long value is refused unread, and replaced.
  const unread: Set<string>[] = []
  const list = parsed.map((item, i) => {
    const resolved = resolveReferences(item, `backends[${i}]`, source, add)
    const { kept, dropped } = withinLengths(resolved, `backends[${i}]`, add)
    unread.push(dropped)
    return kept
  })
  // Secrets first, before any check can fail and print something.
  for (const item of list) {
    if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>
      secrets.addAll(secretLeaves(o['backend-credentials'], 'credentials'))
      secrets.addAll(secretLeaves(o.proxy, 'proxy'))
      for (const url of [o.url, o['resource-id']])
        if (typeof url === 'string') secrets.addAll(urlSecrets(url))
    }
  }

  let maxParallel = DEFAULT_MAX_PARALLEL
  const parallel = lengths.within['max-parallel']
  if (parallel !== undefined) {
    try {
      maxParallel = check.wholeNumber('max-parallel', parallel, INPUTS['max-parallel'].range)
    } catch (e) {
      if (e instanceof InputError) add(e)
      else throw e
    }
  }

  const { backends: _b, 'max-parallel': _m, ...stepDefaults } = raw
  const items: ActionRequest[] = []
  const ids = new Map<string, number>()
  list.forEach((item, i) => {
    const where = `backends[${i}]`
    const itemRaw = itemInputs(item, where, add)
    if (!itemRaw) return
    // A pool has no url or protocol of its own: the step's are defaults for the other items.
    const defaults =
      itemRaw.pool === undefined
        ? stepDefaults
        : Object.fromEntries(
            Object.entries(stepDefaults).filter(([k]) => k !== 'url' && k !== 'protocol')
          )
    try {
      const request = buildRequest({ ...defaults, ...itemRaw }, secrets, env)
      items.push(request)
      const key = request.target.backendId.toLowerCase()
      if (ids.has(key))
        add(
          new InputError(
            `${where}.backend-id`,
            `'${request.target.backendId}' is also ${`backends[${ids.get(key)}]`}; each backend may appear once.`
          )
        )
      ids.set(key, i)
    } catch (e) {
      if (!(e instanceof InputErrors)) throw e
      // An item's own key is named with its place in the list; a step input stays as it is. A
      // value refused for its length was not read: nothing more is said about it.
      for (const err of e.errors) {
        if (unread[i].has(err.input)) continue
        add(err.input in itemRaw ? new InputError(`${where}.${err.input}`, err.detail) : err)
      }
    }
  })
  if (errors.length > 0) throw new InputErrors(errors)
  return { operation: items[0].operation, items, maxParallel }
}

const unique = (e: InputError, i: number, all: InputError[]) =>
  all.findIndex((o) => o.message === e.message) === i

/**
 * An item with its over-long values replaced by UNREAD (in a copy: aliases may share the item);
 * each one refused is reported and named.
 */
function withinLengths(
  item: unknown,
  where: string,
  add: (e: InputError) => void
): { kept: unknown; dropped: Set<string> } {
  const dropped = new Set<string>()
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { kept: item, dropped }
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(item)) {
    const max =
      (INPUTS as Record<string, { maxLength: number } | undefined>)[key]?.maxLength ??
      LIMITS.scalarLength
    if (typeof value === 'string' && value.length > max) {
      add(new InputError(`${where}.${key}`, msg.inputTooLong(value.length, max)))
      dropped.add(key)
      kept[key] = UNREAD
    } else kept[key] = value
  }
  return { kept, dropped }
}

/** One item as raw inputs: strings as given, nested YAML/JSON written back as JSON. */
function itemInputs(
  item: unknown,
  where: string,
  add: (e: InputError) => void
): RawInputs | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    add(
      new InputError(
        where,
        'expected a mapping of backend inputs, such as {backend-id: orders, url: https://…, protocol: http}.'
      )
    )
    return undefined
  }
  const raw: RawInputs = {}
  for (const [key, value] of Object.entries(item)) {
    if (!(BACKEND_ITEM_KEYS as readonly string[]).includes(key)) {
      add(
        new InputError(
          `${where}.${key}`,
          `is not a backend input; accepted: ${BACKEND_ITEM_KEYS.join(', ')}.`
        )
      )
      continue
    }
    if (typeof value === 'string') raw[key as InputName] = value.trim()
    else if (STRUCTURED.has(key) && value && typeof value === 'object')
      raw[key as InputName] = JSON.stringify(value)
    else
      add(
        new InputError(
          `${where}.${key}`,
          STRUCTURED.has(key)
            ? 'expected a mapping or its YAML/JSON text.'
            : 'expected a single value.'
        )
      )
  }
  return raw
}

/** How a message names where the list came from: the input itself, or the file it names. */
function describeSource(value: string): string {
  return isInline(value) ? 'the backends input' : `file ${shown(value)}`
}

/** Is `backends` the list itself (else the path of a file)? */
export const isInline = (value: string) => /[\n[{]/.test(value) || value.startsWith('- ')

/**
 * The list itself, or the contents of the file it names. A file must be inside the workspace
 * (GITHUB_WORKSPACE): a step must not be talked into reading the runner's other files.
 */
function readBackendsText(value: string, env: NodeJS.ProcessEnv): string {
  if (isInline(value)) return value
  return readInputFile(
    'backends',
    value,
    env,
    INPUTS.backends.maxLength,
    'neither a YAML/JSON list nor a file'
  )
}
