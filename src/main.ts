// The action: inputs -> validated request -> Azure call -> outputs and summary.
import * as core from '@actions/core'
import { readInputs } from './inputs.js'
import { buildRequest } from './request.js'
import { writeOutputs } from './outputs.js'
import type { Report } from './report.js'
import { Secrets } from './secrets.js'
import { writeSummary } from './summary.js'

export async function run(): Promise<void> {
  const secrets = new Secrets()
  const report: Report = {}
  try {
    const raw = readInputs()
    report.operation = raw.operation
    const request = buildRequest(raw, secrets, process.env)
    report.backendId = request.target.backendId
    report.service = `${request.target.serviceName} (${request.target.resourceGroup})`
    if (request.operation === 'create') {
      report.url = request.backend.url
      report.protocol = request.backend.protocol
      if (request.target.generatedId)
        core.info(
          `No backend-id given; generated '${request.target.backendId}' as New-AzApiManagementBackend does.`
        )
    }
    // Azure and @actions/github load only now that the inputs are known to be good.
    const { execute } = await import('./azure/execute.js')
    const result = await execute(request, secrets, report)
    writeOutputs(result, request.target.backendId, secrets)
    report.result = result.result
    report.resetAt = result.resetAt
    report.url = result.backend.properties?.url
    report.protocol = result.backend.properties?.protocol
    core.info(
      `Result: ${result.result}${result.resetAt ? `; reconnect due at ${result.resetAt}` : ''}.`
    )
  } catch (e) {
    const message = secrets.redact(e instanceof Error ? e.message : String(e))
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
