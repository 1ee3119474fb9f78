// An operation over a backends file as the desired state of the service (plan): the file is read
// and validated as a `backends` step of creates would read it — every item a whole backend, the
// step's backend inputs its defaults, ${NAME} references resolved, secrets masked — and the step
// is one request that holds every item.
import { INPUTS, type InputName } from '../catalog.js'
import type { RawInputs } from '../inputs.js'
import { REGISTRY, type ActionRequest } from '../operations/registry.js'
import type { DesiredBackend } from '../operations/spec.js'
import type { Secrets } from '../secrets.js'
import { buildBatch } from './build-batch.js'
import { buildRequest } from './build-single.js'

/** Does this step's operation take its `backends` input as the desired state? */
export function takesDesiredState(raw: RawInputs): boolean {
  const op = raw.operation?.toLowerCase()
  return (
    raw.backends !== undefined &&
    op !== undefined &&
    op in REGISTRY &&
    REGISTRY[op as keyof typeof REGISTRY].desiredState === true
  )
}

export function buildDesiredState(
  raw: RawInputs,
  secrets: Secrets,
  env: NodeJS.ProcessEnv
): ActionRequest {
  const operation = raw.operation!.toLowerCase()
  // The items, as creates that replace: the inputs only this operation takes are left out.
  const asCreate: RawInputs = { operation: 'create' }
  for (const [name, value] of Object.entries(raw) as [InputName, string][]) {
    const scope = INPUTS[name].scope
    if (
      name !== 'operation' &&
      (scope === 'all' || (scope as readonly string[]).includes('create'))
    )
      asCreate[name] = value
  }
  asCreate['if-exists'] = 'replace'
  const items: DesiredBackend[] = []
  for (const r of buildBatch(asCreate, secrets, env).items) {
    // Read as creates, the items can be nothing else.
    if (r.operation !== 'create') throw new Error(`a backends item read as ${r.operation}`)
    items.push({ backendId: r.target.backendId, backend: r.backend, poolMembers: r.poolMembers })
  }
  const { backends: _file, ...own } = raw
  return buildRequest({ ...own, operation }, secrets, env, items)
}
