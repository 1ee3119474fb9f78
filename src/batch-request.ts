// Many backends in one step: the `backends` input (a YAML/JSON list, or a file inside the
// workspace) applies the step's operation to every item. Each item takes the step's backend
// inputs as keys; the step's own inputs are every item's defaults. Every item is validated
// before the first request, and a problem names the item: `backends[2].url`.
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import {
  BACKEND_ITEM_KEYS,
  INPUTS,
  DEFAULT_MAX_PARALLEL,
  MAX_BACKENDS,
  type InputName,
  type Operation
} from './catalog.js'
import { readOperation, type RawInputs } from './inputs.js'
import { InputError, msg } from './messages.js'
import { buildRequest, InputErrors, type CreateRequest, type ResetRequest } from './request.js'
import type { Secrets } from './secrets.js'
import { parseYamlOrJson, secretLeaves } from './structured.js'
import { urlSecrets } from './secret-fields.js'
import * as check from './validators.js'

export interface BatchRequest {
  operation: Operation
  items: (CreateRequest | ResetRequest)[]
  maxParallel: number
}

const STRUCTURED = new Set<string>(['backend-credentials', 'proxy', 'service-fabric-cluster'])

export function buildBatch(raw: RawInputs, secrets: Secrets, env: NodeJS.ProcessEnv): BatchRequest {
  const operation = (() => {
    try {
      return readOperation(raw)
    } catch (e) {
      if (e instanceof InputError) throw new InputErrors([e])
      throw e
    }
  })()
  if (!(INPUTS.backends.scope as readonly string[]).includes(operation)) {
    throw new InputErrors([
      new InputError('backends', msg.notForOperation(operation, INPUTS.backends.scope))
    ])
  }
  const text = readBackendsText(raw.backends as string, env)
  const list = parseYamlOrJson('backends', text)
  if (!Array.isArray(list) || list.length === 0) {
    throw new InputErrors([
      new InputError(
        'backends',
        'expected a non-empty list of backends (YAML or JSON), or the path of a file inside the workspace that holds one.'
      )
    ])
  }
  if (list.length > MAX_BACKENDS) {
    throw new InputErrors([
      new InputError(
        'backends',
        `has ${list.length} items; at most ${MAX_BACKENDS} are accepted in one step.`
      )
    ])
  }
  // Secrets first, before any check can fail and print something.
  for (const item of list) {
    if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>
      for (const v of secretLeaves(o['backend-credentials'], 'credentials')) secrets.add(v)
      for (const v of secretLeaves(o.proxy, 'proxy')) secrets.add(v)
      if (typeof o.url === 'string') for (const v of urlSecrets(o.url)) secrets.add(v)
    }
  }

  const errors: InputError[] = []
  const seen = new Set<string>()
  const add = (e: InputError) => {
    if (!seen.has(e.message)) errors.push(e)
    seen.add(e.message)
  }
  let maxParallel = DEFAULT_MAX_PARALLEL
  try {
    if (raw['max-parallel'] !== undefined)
      maxParallel = check.wholeSeconds('max-parallel', raw['max-parallel'], 1)
    if (maxParallel > 64)
      throw new InputError(
        'max-parallel',
        `'${raw['max-parallel']}' is too many; at most 64 are accepted.`
      )
  } catch (e) {
    if (e instanceof InputError)
      add(new InputError('max-parallel', e.detail.replace('seconds', 'parallel requests')))
    else throw e
  }

  const { backends: _b, 'max-parallel': _m, ...stepDefaults } = raw
  const items: (CreateRequest | ResetRequest)[] = []
  const ids = new Map<string, number>()
  list.forEach((item, i) => {
    const where = `backends[${i}]`
    const itemRaw = itemInputs(item, where, add)
    if (!itemRaw) return
    try {
      const request = buildRequest({ ...stepDefaults, ...itemRaw }, secrets, env)
      if (request.operation === 'create' || request.operation === 'reset') items.push(request)
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
      // An item's own key is named with its place in the list; a step input stays as it is.
      for (const err of e.errors)
        add(err.input in itemRaw ? new InputError(`${where}.${err.input}`, err.detail) : err)
    }
  })
  if (errors.length > 0) throw new InputErrors(errors)
  return { operation: items[0].operation, items, maxParallel }
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

/**
 * The list itself, or the contents of the file it names. A file must be inside the workspace
 * (GITHUB_WORKSPACE): a step must not be talked into reading the runner's other files.
 */
function readBackendsText(value: string, env: NodeJS.ProcessEnv): string {
  if (/[\n[{]/.test(value) || value.startsWith('- ')) return value
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const path = isAbsolute(value) ? value : resolve(workspace, value)
  let real: string
  try {
    real = realpathSync(path)
    if (!statSync(real).isFile()) throw new Error('not a file')
  } catch {
    throw new InputErrors([
      new InputError(
        'backends',
        `'${value}' is neither a YAML/JSON list nor a file in the workspace (${workspace}).`
      )
    ])
  }
  const inside = relative(realpathSync(workspace), real)
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new InputErrors([
      new InputError(
        'backends',
        `'${value}' is outside the workspace (${workspace}); only files inside it are read.`
      )
    ])
  }
  return readFileSync(real, 'utf8')
}
