// What an operation is, for the rest of the action: its own input rules, the steps it takes (for
// the timeout message), and its handler, loaded — with the Azure SDK — only once the inputs are
// known to be good. Each operation is one folder (src/operations/<name>/) exporting one spec;
// the registry (registry.ts) lists them.
import type { BackendContract } from '@azure/arm-apimanagement'
import type { BackendFields } from '../input-rules/backend-fields.js'
import type { Common, Limits } from '../input-rules/model.js'
import type { InputReader } from '../input-rules/reader.js'
import type { TargetKind } from '../input-rules/target.js'
import type { Secrets } from '../secrets.js'
import type { OperationContext, OperationResult, SummaryPart } from './shared/context.js'

/** What every operation's request has. */
export interface RequestBase extends Common {
  operation: string
  /** Reads only, and says what it would write. */
  whatIf?: boolean
}

/** What was read before an operation's own rules run. */
export interface ReadSoFar {
  /** Undefined when the target or sign-in was refused (the problems are in the reader). */
  common?: Common
  /** The time limits, read even when `common` is not. */
  limits: Limits
  /** The backend fields the inputs set. */
  fields: BackendFields
  /** Where a rule registers the secrets of an input it parses, before anything can print. */
  secrets: Secrets
  /**
   * For an operation over a backends file (`desiredState`): each item, validated as a create of
   * it would be, as the whole backend it asks for. Undefined without a `backends` input.
   */
  desired?: DesiredBackend[]
  /** The step's environment: GITHUB_WORKSPACE, for the files an input names. */
  env: NodeJS.ProcessEnv
}

/** One item of a backends file: the whole backend it asks for (a PUT's body, both TLS flags). */
export interface DesiredBackend {
  backendId: string
  backend: BackendContract
  /** A pool's members, as ARM ids. */
  poolMembers?: string[]
}

export type Handler<R, Result extends string> = (
  ctx: OperationContext,
  request: R
) => Promise<OperationResult<Result>>

export interface OperationSpec<R extends RequestBase, Result extends string = string> {
  /** What it points at: an existing backend, one it may create, or the whole service. */
  target: TargetKind
  /** The results it reports, for the `result` output. */
  results: readonly Result[]
  /**
   * The operation's own inputs and rules, read after the common ones. They run even when the
   * common inputs were refused, so every problem is reported at once.
   */
  parse(reader: InputReader, read: ReadSoFar): R | undefined
  /** The steps it will take, in order, named for the timeout message. */
  steps(request: R): string[]
  load(): Promise<Handler<R, Result>>
  /**
   * Its `backends` input is the desired state of the service, read whole by this operation (one
   * request, `read.desired`), not a list of backends to apply the operation to one by one.
   */
  desiredState?: true
  /** With `backends`: its own rows of the summary, said of every item (e.g. whether each waited). */
  batchSummary?(items: R[]): SummaryPart[]
  /** The url and protocol it asks for, shown in the summary even when the step fails. */
  asked?(request: R): { url?: string; protocol?: string }
  /**
   * The setting under which a re-run fails once this request's write was applied, and the one
   * that would not (create with if-exists: fail meets the backend it made).
   */
  failsOnRepeat?(request: R): { setting: string; instead: string } | undefined
}
