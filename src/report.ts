// What the run did, for the job summary (written even when the step fails): built from the plan
// and what executing it returned.
import { CLOUDS } from './clouds.js'
import { specOf, type ActionRequest } from './operations/registry.js'
import type { SummaryPart } from './operations/shared/context.js'
import type { Change } from './operations/shared/diff.js'
import { backendsScopeId, serviceArmId } from './input-rules/model.js'
import type { Execution, ItemResult, Plan, WriteRecord } from './step/plan.js'

export interface Report {
  operation?: string
  service?: string
  backendId?: string
  url?: string
  protocol?: string
  result?: string
  resetAt?: string
  error?: string
  /** What the write changed, or (what-if) would change. */
  changes?: Change[]
  whatIf?: boolean
  /** Many backends: each one's result. */
  items?: ItemResult[]
  runLink?: string
  portalLink?: string
  /** The operation's own parts of the summary (its spec's words, escaped by summary.ts). */
  parts?: SummaryPart[]
  /** The writes sent, for the correlation ids a support ticket needs. */
  writes?: WriteRecord[]
}

/** What is known before anything is sent. */
export function planned(plan: Plan): Report {
  if (plan.kind === 'batch') {
    const items = plan.batch.items
    return {
      operation: plan.batch.operation,
      service: describeService(items[0].target),
      parts: specOf(items[0]).batchSummary?.(items)
    }
  }
  const request = plan.request
  return {
    operation: request.operation,
    backendId: request.target.backendId || undefined,
    service: describeService(request.target),
    portalLink: portalLink(request),
    whatIf: request.whatIf ?? false,
    ...specOf(request).asked?.(request)
  }
}

/** The plan's report with what the execution returned. */
export function executedReport(report: Report, execution: Execution): Report {
  const out: Report = { ...report, runLink: execution.runLink, writes: execution.writes }
  const executed = execution.executed
  if (executed?.kind === 'single') {
    const r = executed.result
    out.result = r.result
    out.resetAt = r.resetAt
    out.url = r.backend?.properties?.url ?? report.url
    out.protocol = r.backend?.properties?.protocol ?? report.protocol
    out.changes = r.changes
    out.parts = r.summary
  } else if (executed?.kind === 'batch') {
    const failed = executed.results.filter((r) => r.result === 'failed').length
    out.items = executed.results
    out.result = `${executed.results.length - failed} of ${executed.results.length} done`
  }
  return out
}

function describeService(t: {
  serviceName: string
  resourceGroup: string
  workspace?: string
}): string {
  const service = `${t.serviceName} (${t.resourceGroup})`
  return t.workspace === undefined ? service : `workspace ${t.workspace} of ${service}`
}

/**
 * The service's backends in the Azure portal of the cloud; with `workspace`, the workspace's page
 * (the portal opens any ARM id after #resource; where its backends blade is, is not documented).
 */
function portalLink(request: ActionRequest): string {
  const portal = CLOUDS[request.endpoints.cloud].portal
  return request.target.workspace === undefined
    ? `${portal}/#resource${serviceArmId(request.target)}/backends`
    : `${portal}/#resource${backendsScopeId(request.target)}`
}

/** What a single backend's result did to it, when the step wrote. */
const DONE: Record<string, string> = {
  created: 'was created',
  replaced: 'was replaced',
  updated: 'was updated',
  deleted: 'was deleted',
  'reset-requested': 'had its reconnect requested',
  switched: 'was switched',
  'rolled-back': 'was switched and rolled back',
  unhealthy: 'was switched and left unhealthy'
}

/**
 * What the step had already written to Azure, as the start of a line that goes on to say what
 * failed after it (the outputs or the summary could not be written).
 */
export function writtenToAzure(report: Report): string {
  const writes = report.writes ?? []
  if (writes.length === 0) return 'Nothing was written to Azure'
  const sent =
    writes.length <= 5
      ? writes.map((w) => `${w.method} ${w.path}${w.status ? ` → ${w.status}` : ''}`).join(', ')
      : `${writes.length} writes`
  if (report.items) {
    const tally = new Map<string, number>()
    for (const item of report.items) tally.set(item.result, (tally.get(item.result) ?? 0) + 1)
    const counts = [...tally].map(([result, n]) => `${result}: ${n}`).join(', ')
    return `${report.items.length} backends were worked on (${counts}; ${sent})`
  }
  const done = report.result && DONE[report.result]
  if (report.backendId && done) return `Backend '${report.backendId}' ${done} (${sent})`
  return `Azure was written to (${sent})`
}
