// Azure and Entra failures, turned into one readable line: status, error code and message,
// correlation id, and a hint that says what to do.
import { ActionError } from '../messages.js'
import { AttemptTimeoutError, isNetworkError, WaitTooLongError } from './retry.js'
import { rerunAdvice } from './deadline.js'
import { describeNetworkFailure, isCertificateFailure, originOf } from './network-errors.js'
import { backendsScopeId, type Target } from '../input-rules/model.js'
import type { Traffic } from './traffic.js'
import { describeDetails, inputsOf, parseArmError } from './arm-error-body.js'

interface RestErrorLike {
  name: string
  message: string
  statusCode?: number
  code?: string
  request?: { method: string; url: string; headers: { get(name: string): string | undefined } }
  response?: { bodyAsText?: string | null; headers: { get(name: string): string | undefined } }
}

/**
 * A request about to leave for an origin other than the ARM endpoint's: refused before it is
 * sent (armOnlyPolicy in client.ts), so the token never goes anywhere but the endpoint.
 */
export class ForeignOriginError extends ActionError {
  constructor(
    /** the origin the request was for, e.g. https://evil.example */
    readonly origin: string,
    /** the ARM endpoint's origin */
    readonly endpoint: string
  ) {
    super(foreignOriginText('a link the service returned', origin, endpoint))
    this.name = 'ForeignOriginError'
  }
}

function foreignOriginText(following: string, origin: string, endpoint: string): string {
  return `refusing to follow ${following} to ${origin}: it is not the ARM endpoint ${endpoint}; the token is sent only there.`
}

/**
 * A 3xx whose Location points at another origin than the request's (the ARM endpoint): the
 * pipeline's redirect policy does not follow those, so the answer surfaces as an error.
 */
function foreignRedirect(e: RestErrorLike): { origin: string; endpoint: string } | undefined {
  const location = e.response?.headers.get('location')
  if (!e.statusCode || e.statusCode < 300 || e.statusCode > 399 || !location || !e.request)
    return undefined
  try {
    const endpoint = new URL(e.request.url).origin
    const origin = new URL(location, e.request.url).origin
    return origin === endpoint ? undefined : { origin, endpoint }
  } catch {
    return undefined
  }
}

export function isRestError(e: unknown): e is RestErrorLike {
  return e instanceof Error && e.name === 'RestError'
}

export function statusOf(e: unknown): number | undefined {
  return isRestError(e) ? e.statusCode : undefined
}

/** The ARM error's code and message (details included), or the SDK's own when there is none. */
function armError(e: RestErrorLike): { code?: string; message: string; inputs: string[] } {
  const body = parseArmError(e.response?.bodyAsText)
  if (!body) return { code: e.code, message: (e.message ?? '').trim(), inputs: [] }
  const message = body.message ?? ''
  const details = describeDetails(body.details, body.code)
  if (!details) return { code: body.code, message, inputs: [] }
  const joined = !message
    ? `${details}.`
    : /[:]$/.test(message)
      ? `${message} ${details}.`
      : `${message.replace(/[.\s]+$/, '')}: ${details}.`
  return { code: body.code, message: joined, inputs: inputsOf(body.details) }
}

/** Azure's text on one line: a line break in a message would make the error several lines. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim()
}

/** Ends with a full stop (or the colon, question or exclamation mark it has). */
function asSentence(text: string): string {
  return text === '' || /[.!?:]$/.test(text) ? text : `${text}.`
}

export interface ErrorContext {
  /** What the action was doing, e.g. "Creating backend 'b1'". */
  doing: string
  target: Target
  principal: string
  traffic: Traffic
  /** For a 404: which resource is missing (decided by the caller, who can ask Azure). */
  missing?: 'service' | 'workspace' | 'backend'
  /** The operation takes if-missing (get, delete): a missing backend's hint names if-missing: ignore. */
  ifMissing?: boolean
  /** What a request to another origin was following, e.g. 'nextLink' (list pages). */
  following?: string
}

export function describeAzureError(e: unknown, ctx: ErrorContext): ActionError {
  if (e instanceof WaitTooLongError) return describeWaitTooLong(e, ctx)
  if (e instanceof ForeignOriginError) {
    return new ActionError(
      `${ctx.doing} failed: ${foreignOriginText(ctx.following ?? 'a link the service returned', e.origin, e.endpoint)} ` +
        'Hint: Azure Resource Manager links only to itself; check arm-endpoint, and any proxy or gateway between the runner and Azure.'
    )
  }
  // Already worded (the step's timeout, a wait that was too long).
  if (e instanceof ActionError) return e
  if (
    e instanceof AttemptTimeoutError ||
    isNetworkError(e) ||
    !isRestError(e) ||
    e.statusCode === undefined
  ) {
    return describeNoAnswer(e, ctx)
  }
  const status = e.statusCode
  const redirect = foreignRedirect(e)
  if (redirect) {
    return new ActionError(
      `${ctx.doing} failed: HTTP ${status}: ${foreignOriginText('the redirect (Location)', redirect.origin, redirect.endpoint)} ` +
        'Hint: Azure Resource Manager does not redirect to other hosts; check arm-endpoint, and any proxy or gateway between the runner and Azure.'
    )
  }
  const { code, message, inputs } = armError(e)
  const correlation =
    e.response?.headers.get('x-ms-correlation-request-id') ??
    e.request?.headers.get('x-ms-correlation-request-id')
  const retries = e.request ? ctx.traffic.retriesOf(e.request.method, e.request.url) : 0
  const parts = [
    `${ctx.doing} failed: HTTP ${status}${code ? ` ${code}` : ''}: ${asSentence(oneLine(message))}`
  ]
  if (correlation) parts.push(`Correlation id: ${correlation}.`)
  parts.push(`Hint: ${hint(status, ctx, retries, inputs)}`)
  return new ActionError(parts.join(' '))
}

/**
 * No HTTP answer at all, after the retries: a timeout, a connection that failed (named with its
 * host), or a certificate the runner does not trust. The advice says what the writes did.
 */
function describeNoAnswer(e: unknown, ctx: ErrorContext): ActionError {
  const request = (e as { request?: { method: string; url: string } }).request
  const attempts = request ? ctx.traffic.retriesOf(request.method, request.url) + 1 : 1
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`
  const network = request ? describeNetworkFailure(e, request.url) : undefined
  const origin = request ? originOf(request.url) : 'the ARM endpoint'
  let what: string
  let hint: string
  if (e instanceof AttemptTimeoutError) {
    what = `no answer within ${Math.round(e.timeoutMs / 1000)} s (request-timeout-seconds), ${tries}`
    hint = 'Azure or the network was too slow; raise request-timeout-seconds, or re-run later.'
  } else if (network && isCertificateFailure(e)) {
    what = network
    hint = `the runner must trust the certificate ${origin} presents: check arm-endpoint, and if a proxy inspects TLS or the endpoint is private, give its CA certificate in NODE_EXTRA_CA_CERTS.`
  } else if (network) {
    what = `${network}, ${tries}`
    hint = `the request did not get an answer from Azure Resource Manager; check arm-endpoint (or environment), DNS, and any proxy or firewall between the runner and ${origin}.`
  } else {
    const code = (e as { code?: string }).code
    what = `the connection failed (${code ?? (e instanceof Error ? e.message : String(e))}), ${tries}`
    hint = 'Azure or the network did not answer; re-run later.'
  }
  return new ActionError(`${ctx.doing} failed: ${what}. ${rerunAdvice(ctx.traffic)} Hint: ${hint}`)
}

function describeWaitTooLong(e: WaitTooLongError, ctx: ErrorContext): ActionError {
  const body = parseArmError(e.response.bodyAsText)
  const seconds = Math.ceil(e.waitMs / 1000)
  const correlation = e.response.headers.get('x-ms-correlation-request-id')
  const limit =
    e.limit === 'max-wait-seconds'
      ? 'longer than max-wait-seconds allows'
      : 'longer than the time left before timeout-seconds'
  return new ActionError(
    `${ctx.doing} failed: HTTP ${e.status}${body?.code ? ` ${body.code}` : ''}${body?.message ? `: ${oneLine(body.message).replace(/\.$/, '')}` : ''}. ` +
      `Azure asked to wait ${seconds} s before retrying (Retry-After), ${limit}, so the step stops now instead of sleeping.` +
      `${correlation ? ` Correlation id: ${correlation}.` : ''} Hint: Azure is throttling this subscription; re-run later, or raise ${e.limit}.`
  )
}

function hint(status: number, ctx: ErrorContext, retries: number, inputs: string[]): string {
  const { target } = ctx
  const service = `'${target.serviceName}' (resource group '${target.resourceGroup}', subscription ${target.subscriptionId})`
  const tried = retries > 0 ? ` (retried ${retries} time${retries === 1 ? '' : 's'})` : ''
  const workspace = target.workspace
  if ((status === 401 || status === 403) && workspace !== undefined) {
    // A team with rights in its workspace only: the role is assigned on the workspace's scope
    // (learn.microsoft.com api-management-role-based-access-control, "Built-in workspace roles").
    return `${ctx.principal} needs a role assignment on the workspace '${workspace}' (scope ${backendsScopeId(target)}) that allows backend reads and writes, such as 'API Management Workspace Contributor' assigned at that scope; a new assignment can take a few minutes to apply.`
  }
  if (status === 401 || status === 403) {
    return `${ctx.principal} needs a role assignment on the API Management service ${service} that allows backend writes, such as 'API Management Service Contributor'; a new assignment can take a few minutes to apply.`
  }
  if (status === 404) {
    if (ctx.missing === 'workspace')
      return `the workspace '${workspace}' of API Management service ${service} was not found; check workspace (and service-name, resource-group, subscription-id).`
    if (ctx.missing !== 'backend')
      return `the API Management service ${service} was not found; check subscription-id, resource-group and service-name.`
    const where =
      workspace === undefined
        ? `API Management service ${service}`
        : `workspace '${workspace}' of API Management service ${service}`
    const absent = `backend '${target.backendId}' does not exist in ${where}; check backend-id`
    return ctx.ifMissing
      ? `${absent}, or set if-missing: ignore to let the step succeed with result absent.`
      : `${absent}, or create it first with operation: create.`
  }
  if (status === 409 || status === 412) {
    return `backend '${target.backendId}' was changed by someone else while this step ran (its ETag no longer matches), so nothing was overwritten; re-run the step.`
  }
  if (status === 429) return `Azure is throttling requests${tried}; wait and re-run the step.`
  if (status >= 500)
    return `Azure failed to answer${tried}; this is on Azure's side, re-run the step.`
  if (status === 400)
    return inputs.length > 0
      ? `Azure refused the request as invalid; check ${inputs.length === 1 ? 'the input' : 'the inputs'} ${inputs.join(', ')}.`
      : 'Azure refused the request as invalid; check the inputs named in the message.'
  return 'see the Azure message above.'
}
