// The action: inputs -> validated request -> Azure call -> outputs and summary.
import * as core from './workflow.js'
import { readInputs } from './inputs.js'
import { buildRequest, serviceArmId, type ActionRequest } from './request.js'
import { CLOUDS } from './clouds.js'
import { buildBatch } from './batch-request.js'
import { writeBatchOutputs, writeOutputs } from './outputs.js'
import type { Report } from './report.js'
import { Secrets } from './secrets.js'
import { writeSummary } from './summary.js'
import { ActionError } from './messages.js'

export async function run(): Promise<void> {
  const secrets = new Secrets()
  core.redactWith((text) => secrets.redact(text))
  const report: Report = {}
  try {
    const raw = readInputs()
    report.operation = raw.operation
    const request =
      raw.backends !== undefined
        ? buildBatch(raw, secrets, process.env)
        : buildRequest(raw, secrets, process.env)
    if ('items' in request) {
      report.service = describeService(request.items[0].target)
    } else {
      report.backendId = request.target.backendId || undefined
      report.service = describeService(request.target)
      report.portalLink = portalLink(request)
      report.whatIf = 'whatIf' in request && request.whatIf
      if (request.operation === 'create') {
        report.url = request.backend.url
        report.protocol = request.backend.protocol
        if (request.target.generatedId) {
          core.info(
            `No backend-id given; generated '${request.target.backendId}' as New-AzApiManagementBackend does.`
          )
        }
      }
    }
    // Azure and @actions/github load only now that the inputs are known to be good.
    const { execute } = await import('./azure/execute.js')
    const executed = await execute(request, secrets, report)
    if (executed.kind === 'single') {
      const result = executed.result
      writeOutputs(result, report.backendId ?? '')
      report.result = result.result
      report.resetAt = result.resetAt
      report.url = result.backend?.properties?.url ?? report.url
      report.protocol = result.backend?.properties?.protocol ?? report.protocol
      report.changes = result.changes
      report.count = result.backends?.length
      core.info(
        `Result: ${result.result}${result.resetAt ? `; reconnect due at ${result.resetAt}` : ''}.`
      )
    } else {
      writeBatchOutputs(executed.results)
      report.items = executed.results
      const failed = executed.results.filter((r) => r.result === 'failed')
      report.result = `${executed.results.length - failed.length} of ${executed.results.length} done`
      if (failed.length > 0) {
        throw new ActionError(
          `${failed.length} of ${executed.results.length} backends failed: ${failed.map((f) => `${f['backend-id']} (${f.error})`).join('; ')}`
        )
      }
    }
  } catch (e) {
    // Redacted where it is written: the ::error:: line (workflow.ts) and the summary.
    const message = e instanceof Error ? e.message : String(e)
    report.error = message
    core.setFailed(message)
  } finally {
    try {
      await writeSummary(report, secrets)
    } catch (e) {
      core.warning(`Could not write the job summary: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
}

function describeService(t: { serviceName: string; resourceGroup: string }): string {
  return `${t.serviceName} (${t.resourceGroup})`
}

/** The backend (or, for a list, the service's backends) in the Azure portal of the cloud. */
function portalLink(request: ActionRequest): string {
  return `${CLOUDS[request.endpoints.cloud].portal}/#resource${serviceArmId(request.target)}/backends`
}
