// The writes the operations share: what a PATCH sends (each touched property whole), the PATCH
// itself, and how a write whose answer was lost is settled by reading the backend again.
import type { BackendContract, BackendUpdateParameters } from '@azure/arm-apimanagement'
import { backendIdOfArmId, type ArmBackend } from '../../azure/backend-json.js'
import { describeAzureError, statusOf } from '../../azure/errors.js'
import { ActionError } from '../../messages.js'
import { scopeQuoted } from '../../input-rules/model.js'
import * as workflow from '../../workflow.js'
import {
  armProperties,
  errorContext,
  rawResponse,
  readBackend,
  snapshot,
  type OperationContext,
  type Snapshot
} from './context.js'
import { isPartialTls, withWholeTls } from './service-defaults.js'
import { DELETE_STEP, WRITE_STEP } from './steps.js'
import { backendApi } from './backend-api.js'
import { asInputs, describeChanges, diff, mergePatch, sendable, type Change } from './diff.js'

/**
 * Does the backend hold what a write sends? A PUT body replaces the whole backend; a PATCH body
 * (see planPatch) replaces each top-level property it carries — and, as it carries each one
 * whole, that is its effect whether the service merges nested objects or replaces them.
 */
export function holds(backend: ArmBackend, body: Record<string, unknown>, put: boolean): boolean {
  const current = backend.properties ?? {}
  return diff(current, put ? body : { ...current, ...body }).length === 0
}

/** A PATCH to send: its ARM `properties` body, and what it changes. */
export interface PatchPlan {
  body: Record<string, unknown>
  changes: Change[]
}

/**
 * The PATCH that applies `updates` to the backend as read. Each top-level property it touches
 * (credentials, proxy, tls, circuitBreaker, pool, properties.serviceFabricCluster) is sent whole:
 * the current value (the service returns credential values and the proxy password in GET bodies)
 * with the change merged in. Whether the service merges nested objects of a PATCH or replaces
 * them is undocumented (docs/backend-contract.md "Real traffic"), and sending only the changed leaf
 * would, on a service that replaces, drop every other header and query parameter.
 */
export function planPatch(current: Snapshot, updates: BackendUpdateParameters): PatchPlan {
  // The backend as read, with its fields spelled as the inputs spell them (asInputs).
  const now = asInputs(current.backend.properties ?? {}) as Record<string, unknown>
  const body: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(armProperties(updates)))
    body[k] = sendable(mergePatch(now[k], v))
  if (body.tls === undefined && isPartialTls(now.tls)) body.tls = sendable(now.tls)
  const whole = withWholeTls(body)
  return { body: whole, changes: diff(now, { ...now, ...whole }) }
}

/**
 * A write failed, and an attempt of it may have been applied all the same: the backend as it is
 * now when it holds what the write sent (the step goes on as if answered), else undefined (the
 * failure stands). Either of two cases: a retry met 412 after an attempt got no answer
 * (convergedAfterLostAttempt), or no readable answer came at all (settleLostWrite).
 */
export async function recoverLostWrite(
  ctx: OperationContext,
  error: unknown,
  method: 'PUT' | 'PATCH',
  body: Record<string, unknown>
): Promise<Snapshot | undefined> {
  return (
    (await convergedAfterLostAttempt(ctx, error, method, body)) ??
    (await settleLostWrite(ctx, error, method, body))
  )
}

/**
 * A write failed with 412 after an earlier attempt of it got no answer: that attempt may have
 * been applied (and changed the ETag, or — for a create-only PUT with If-None-Match: * — created
 * the backend). Read again; if the backend holds what was asked, the write converged and the
 * step goes on. If it holds something else, someone else wrote it: no convergence.
 */
async function convergedAfterLostAttempt(
  ctx: OperationContext,
  error: unknown,
  method: 'PUT' | 'PATCH',
  body: Record<string, unknown>
): Promise<Snapshot | undefined> {
  const request = (error as { request?: { url: string } }).request
  if (statusOf(error) !== 412 || !request || ctx.traffic.lostAttempts(method, request.url) === 0)
    return undefined
  const now = await readBackend(ctx)
  return now && holds(now.backend, body, method === 'PUT') ? now : undefined
}

/**
 * A write got no answer (attempt timeouts, a dropped connection) or an unreadable one, and may
 * have been applied.
 * While the step has time, read the backend again: if it holds what was sent, the write was
 * applied and the step goes on as if it had been answered; if not, it was not. Either way the
 * traffic record learns it, so the advice of a failure says what is true (deadline.ts).
 */
async function settleLostWrite(
  ctx: OperationContext,
  error: unknown,
  method: 'PUT' | 'PATCH',
  body: Record<string, unknown>
): Promise<Snapshot | undefined> {
  const url = writeUrl(ctx, error, method)
  if (!url || ctx.deadline.signal.aborted) return undefined
  // An answer whose body was cut off: what it said is not readable (the SDK's PARSE_ERROR
  // carries neither the request nor the status).
  const unreadable = (error as { code?: string }).code === 'PARSE_ERROR'
  const lost = statusOf(error) === undefined && ctx.traffic.lostAttempts(method, url) > 0
  if (!unreadable && !lost) return undefined
  let now: Snapshot | undefined
  try {
    now = await readBackend(ctx)
  } catch {
    return undefined // still unknown: the advice says so
  }
  const applied = now !== undefined && holds(now.backend, body, method === 'PUT')
  ctx.traffic.settle(method, url, applied ? 'applied' : 'not-applied')
  if (applied)
    workflow.info(`The ${method} got no readable answer, but the backend now holds what it sent.`)
  return applied ? now : undefined
}

/** The URL a failed write went to: from the error, or else this backend's last such attempt. */
function writeUrl(ctx: OperationContext, error: unknown, method: string): string | undefined {
  const fromError = (error as { request?: { url?: string } }).request?.url
  if (fromError) return fromError
  const path = `/backends/${encodeURIComponent(ctx.target.backendId)}`.toLowerCase()
  return ctx.traffic.attempts
    .filter((a) => a.method === method && new URL(a.url).pathname.toLowerCase().endsWith(path))
    .at(-1)?.url
}

/** Every pool member must exist before a pool is written (the service checks too, less clearly). */
export async function checkPoolMembers(
  ctx: OperationContext,
  members: string[] | undefined
): Promise<void> {
  if (!members?.length) return
  const missing: string[] = []
  await Promise.all(
    members.map(async (armId) => {
      const id = backendIdOfArmId(armId)
      try {
        await backendApi(ctx.client, ctx.target).getEntityTag(id)
      } catch (e) {
        if (statusOf(e) === 404) missing.push(id)
        else throw describeAzureError(e, errorContext(ctx, `Checking pool member '${id}'`))
      }
    })
  )
  if (missing.length > 0) {
    throw new ActionError(
      `The pool's member${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist in ${scopeQuoted(ctx.target)}; create ${missing.length > 1 ? 'them' : 'it'} first (a pool refers to existing backends).`
    )
  }
}

/**
 * PATCH the planned body with the ETag of `current` (never `*`). When an earlier attempt was
 * applied but its answer lost, the retry meets a new ETag: read again and accept the backend
 * if it holds the body. Shared by update, reset, switch and its rollback (`verb`: how the log
 * and a failure name the write).
 */
export async function patchBackend(
  ctx: OperationContext,
  current: Snapshot,
  plan: PatchPlan,
  step: string,
  verb = 'Updating'
): Promise<Snapshot> {
  const { target } = ctx
  const doing = `${verb} backend '${target.backendId}' (${Object.keys(plan.body).join(', ')})`
  workflow.info(`${doing}.`)
  for (const line of describeChanges(plan.changes)) workflow.info(line)
  ctx.deadline.start(step)
  const raw = rawResponse()
  let after: Snapshot | undefined
  try {
    ctx.bodies.set('PATCH', target.backendId, plan.body)
    await backendApi(ctx.client, target).update(
      target.backendId,
      current.etag,
      // The SDK builds the request from this; the body sent is plan.body (exact-body.ts).
      plan.body as BackendUpdateParameters,
      { onResponse: raw.onResponse }
    )
    after = snapshot(raw.get(), ctx.secrets)
  } catch (e) {
    // 204 No Content: the PATCH was applied but the answer has no backend (recorded at
    // api-version 2019-12-01-preview, azure-sdk-for-net SessionRecords/BackendTests/
    // CreateListUpdateDelete.json; the SDK knows only 200 and reports it as an error): read it.
    after =
      statusOf(e) === 204
        ? await readBackend(ctx, true)
        : await recoverLostWrite(ctx, e, 'PATCH', plan.body)
    if (!after) throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' })
  }
  ctx.deadline.done(step)
  return after
}

/**
 * The precondition of a PUT that must only create: RFC 9110 §13.1.2, and ARM's resource
 * provider contract lists `If-None-Match: *` on PUT (201 when absent, 412 when present). The
 * SDK's createOrUpdate options have no ifNoneMatch, so it goes in as a custom header.
 */
const CREATE_ONLY = { customHeaders: { 'If-None-Match': '*' } }

/** What a PUT did: the backend after it, and the answer's status and URL (none: converged). */
export interface PutOutcome {
  after: Snapshot
  status?: number
  url?: string
}

/**
 * PUT the whole backend: with If-Match of the ETag read (a change made in between fails with 412
 * instead of being overwritten), or, with no ETag, create-only (If-None-Match: *: a backend
 * created in between fails with 412 instead of being overwritten). When an attempt's answer was
 * lost and the backend now holds exactly the body sent, the write converged (recoverLostWrite):
 * the outcome has no status. Otherwise the SDK's error is thrown for the caller to describe.
 */
export async function putBackend(
  ctx: OperationContext,
  backend: BackendContract,
  etag: string | undefined
): Promise<PutOutcome> {
  const { target } = ctx
  const desired = armProperties(backend)
  ctx.deadline.start(WRITE_STEP)
  const raw = rawResponse()
  try {
    ctx.bodies.set('PUT', target.backendId, desired)
    await backendApi(ctx.client, target).createOrUpdate(target.backendId, backend, {
      ifMatch: etag,
      requestOptions: etag ? undefined : CREATE_ONLY,
      onResponse: raw.onResponse
    })
  } catch (e) {
    // A 412 after an attempt of this very PUT got no answer: that attempt may have been applied
    // (created the backend, or changed its ETag). If the backend now holds exactly the body this
    // step sent, the write converged — this step's own attempt did it. (Another writer storing
    // the very same body is indistinguishable, and harmless.) With no answer at all, the same
    // read tells whether the PUT was applied.
    const converged = await recoverLostWrite(ctx, e, 'PUT', desired)
    if (!converged) throw e
    ctx.deadline.done(WRITE_STEP)
    return { after: converged }
  }
  ctx.deadline.done(WRITE_STEP)
  const response = raw.get()
  return {
    after: snapshot(response, ctx.secrets),
    status: response.status,
    url: response.request.url
  }
}

/**
 * DELETE the backend with the ETag read (a change made in between fails with 412 instead of
 * being deleted unseen). A retried DELETE whose first attempt was applied finds nothing: that is
 * the goal reached. Otherwise the SDK's error is thrown for the caller to describe.
 */
export async function deleteBackend(ctx: OperationContext, etag: string): Promise<void> {
  const { target } = ctx
  ctx.deadline.start(DELETE_STEP)
  try {
    await backendApi(ctx.client, target).delete(target.backendId, etag)
  } catch (e) {
    const request = (e as { request?: { url: string } }).request
    const lost = request ? ctx.traffic.lostAttempts('DELETE', request.url) : 0
    if (!(statusOf(e) === 404 && lost > 0)) throw e
  }
  ctx.deadline.done(DELETE_STEP)
}
