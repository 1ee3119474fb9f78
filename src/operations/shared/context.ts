// What every operation handler gets, and the reads they share. The writes they share are in
// writes.ts.
import type { ApiManagementClient, BackendContract } from '@azure/arm-apimanagement'
import type { ExactBodies } from '../../azure/exact-body.js'
import type { FullOperationResponse } from '@azure/core-client'
import type { Target } from '../../input-rules/model.js'
import type { Secrets } from '../../secrets.js'
import { absorbSecrets, type ArmBackend } from '../../azure/backend-json.js'
import type { Deadline } from '../../azure/deadline.js'
import { describeAzureError, statusOf } from '../../azure/errors.js'
import type { Traffic } from '../../azure/traffic.js'
import type { Change } from './diff.js'
import { READ_STEP } from './steps.js'
import { backendApi } from './backend-api.js'

export interface OperationContext {
  client: ApiManagementClient
  /** Makes a PUT or PATCH send exactly the body that was compared (exact-body.ts). */
  bodies: ExactBodies
  target: Target
  secrets: Secrets
  traffic: Traffic
  deadline: Deadline
  /** The signed-in client id, for hints about role assignments. */
  principal: string
}

export interface OperationResult<Result extends string = string> {
  result: Result
  /** The backend afterwards (before, for a delete); absent when there is none. */
  backend?: ArmBackend
  etag?: string
  resetAt?: string
  /** What the write changed, or would change (what-if). */
  changes?: Change[]
  /**
   * The operation's own outputs, by name (declared in action.yml and catalog.ts OUTPUTS), each
   * value as written: a backend in them is redacted by place (redactBackend) by the operation.
   */
  outputs?: Record<string, string>
  /** The operation's own parts of the job summary, after the common table (summary.ts escapes them). */
  summary?: SummaryPart[]
  /**
   * The step fails with this after its outputs are written: the result (e.g. rolled-back) is
   * reported, and the job stops.
   */
  failure?: string
}

/**
 * A part of the job summary in an operation's words. Every string is a plain value that
 * summary.ts redacts and escapes (no HTML or Markdown gets through); `{ code }` shows an id as
 * code, unredacted (ids hold no secret, and a short secret must not cut them up).
 */
export type SummaryPart =
  /** A row of the summary's main table. */
  | { row: string; value: string }
  /** A heading and a paragraph. */
  | { heading: string; text: string }
  /** A table of its own, and a line under it. */
  | { head: string[]; rows: SummaryCell[][]; note?: string }
export type SummaryCell = string | { code: string }

export interface Snapshot {
  backend: ArmBackend
  etag: string
}

/** Capture the raw response of an SDK call: its status, ETag and unflattened body. */
export function rawResponse(): {
  onResponse: (r: FullOperationResponse) => void
  get: () => FullOperationResponse
} {
  let captured: FullOperationResponse | undefined
  return {
    onResponse: (r) => {
      captured = r
    },
    get: () => {
      if (!captured) throw new Error('internal: the SDK returned without a response')
      return captured
    }
  }
}

/** Turn a raw response into the backend and its ETag, registering any secrets in it. */
export function snapshot(response: FullOperationResponse, secrets: Secrets): Snapshot {
  // bodyAsText, not parsedBody: the SDK replaces parsedBody with its flattened model.
  const backend = JSON.parse(response.bodyAsText ?? '{}') as ArmBackend
  absorbSecrets(backend, secrets)
  return { backend, etag: response.headers.get('etag') ?? '' }
}

/**
 * GET the backend: undefined when it does not exist, unless it must (then a clear 404, whose hint
 * names if-missing: ignore when the operation takes it: 'if-missing: fail'). With
 * 'if-missing: ignore' (get, delete), a backend is absent only when its workspace is there: a
 * misspelt workspace is an error, not an absent backend.
 */
export async function readBackend(
  ctx: OperationContext,
  mustExist: true | 'if-missing: fail'
): Promise<Snapshot>
export async function readBackend(
  ctx: OperationContext,
  mustExist?: false | 'if-missing: ignore'
): Promise<Snapshot | undefined>
export async function readBackend(
  ctx: OperationContext,
  mustExist: boolean | 'if-missing: fail' | 'if-missing: ignore' = false
): Promise<Snapshot | undefined> {
  const { client, target } = ctx
  const doing = `Reading backend '${target.backendId}'`
  ctx.deadline.start(READ_STEP)
  const raw = rawResponse()
  try {
    await backendApi(client, target).get(target.backendId, { onResponse: raw.onResponse })
  } catch (e) {
    const notFound = statusOf(e) === 404
    const ignore = mustExist === false || mustExist === 'if-missing: ignore'
    // A 404 that if-missing: ignore would make `absent` is checked first: a misspelt service or
    // workspace must not pass for a backend already gone (one GET, only when it is absent).
    const check = !ignore || mustExist === 'if-missing: ignore'
    const missing = notFound && check ? await whichIsMissing(ctx) : undefined
    if (notFound && ignore && (missing === undefined || missing === 'backend')) {
      ctx.deadline.done(READ_STEP)
      return undefined
    }
    const ifMissing = mustExist === 'if-missing: fail'
    throw describeAzureError(e, { ...errorContext(ctx, doing), missing, ifMissing })
  }
  ctx.deadline.done(READ_STEP)
  return snapshot(raw.get(), ctx.secrets)
}

/**
 * A 404 on a backend path: ask Azure whether what holds the backends is there — the service, or
 * (with `workspace`) the workspace, never the service: a role on the workspace may not read it.
 */
export async function whichIsMissing(
  ctx: OperationContext
): Promise<'service' | 'workspace' | 'backend'> {
  if (await backendApi(ctx.client, ctx.target).scopeExists()) return 'backend'
  return ctx.target.workspace === undefined ? 'service' : 'workspace'
}

export function errorContext(ctx: OperationContext, doing: string) {
  return { doing, target: ctx.target, principal: ctx.principal, traffic: ctx.traffic }
}

/** The ARM `properties` a PUT or PATCH of this SDK contract sends. */
export function armProperties(contract: BackendContract): Record<string, unknown> {
  const { typePropertiesType, ...rest } = contract
  const props: Record<string, unknown> = { ...rest }
  if (typePropertiesType !== undefined) props.type = typePropertiesType
  return props
}
