// operation: reset — Reset-AzApiManagementBackendConnection: read the backend, apply the given
// connection settings with the ETag just read, then ask the gateway to reconnect.
import * as core from '@actions/core'
import { DEFAULT_RESET_SECONDS } from '../catalog.js'
import type { ResetRequest } from '../request.js'
import { describeAzureError } from '../azure/errors.js'
import {
  errorContext,
  rawResponse,
  readBackend,
  snapshot,
  type OperationContext,
  type OperationResult
} from './context.js'

export async function reset(
  ctx: OperationContext,
  request: ResetRequest
): Promise<OperationResult> {
  const { client, target } = ctx
  let current = await readBackend(ctx, `Reading backend '${target.backendId}'`, true)

  if (request.updates) {
    const doing = `Updating backend '${target.backendId}' (${Object.keys(request.updates).join(', ')})`
    core.info(`${doing}.`)
    const raw = rawResponse()
    try {
      await client.backend.update(
        target.resourceGroup,
        target.serviceName,
        target.backendId,
        current.etag,
        request.updates,
        {
          onResponse: raw.onResponse
        }
      )
    } catch (e) {
      throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' })
    }
    current = snapshot(raw.get(), ctx.secrets)
  }

  const seconds = request.afterSeconds ?? DEFAULT_RESET_SECONDS
  const doing = `Requesting a reconnect of backend '${target.backendId}'`
  core.info(
    `${doing} ${request.afterSeconds === undefined ? 'with the service default (after 2 minutes)' : `after ${seconds} s`}.`
  )
  try {
    await client.backend.reconnect(
      target.resourceGroup,
      target.serviceName,
      target.backendId,
      request.afterSeconds === undefined
        ? {}
        : { parameters: { after: `PT${request.afterSeconds}S` } }
    )
  } catch (e) {
    throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' })
  }
  const resetAt = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return { result: 'reset-requested', ...current, resetAt }
}
