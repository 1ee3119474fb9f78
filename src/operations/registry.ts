// Every operation, by the name the `operation` input takes. Adding one: its folder (rules.ts
// with its spec, handler.ts with its work), a line here, its inputs' rows in catalog.ts, and
// action.yml.
import type { Operation } from '../catalog.js'
import { apply } from './apply/rules.js'
import { create } from './create/rules.js'
import { remove } from './delete/rules.js'
import { exportBackends } from './export/rules.js'
import { get } from './get/rules.js'
import { list } from './list/rules.js'
import { plan } from './plan/rules.js'
import { reset } from './reset/rules.js'
import type { OperationSpec, RequestBase } from './spec.js'
import { switchBackend } from './switch/rules.js'
import { update } from './update/rules.js'

export const REGISTRY = {
  create,
  reset,
  get,
  update,
  delete: remove,
  list,
  switch: switchBackend,
  plan,
  apply,
  export: exportBackends
} as const satisfies Record<Operation, unknown>

type RequestOf<S> = S extends OperationSpec<infer R extends RequestBase, string> ? R : never

/** A validated request of any operation, told apart by `operation`. */
export type ActionRequest = { [K in Operation]: RequestOf<(typeof REGISTRY)[K]> }[Operation]

/** Every result an operation can report. */
export type Result = (typeof REGISTRY)[Operation]['results'][number]

/** The spec of a request's operation. */
export function specOf<R extends ActionRequest>(request: R): OperationSpec<R> {
  return REGISTRY[request.operation] as unknown as OperationSpec<R>
}
