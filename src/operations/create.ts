// operation: create — New-AzApiManagementBackend, with an explicit choice of what happens when
// the backend already exists (if-exists: fail | replace | skip).
import * as core from '@actions/core'
import type { CreateRequest } from '../request.js'
import { describeAzureError, statusOf } from '../azure/errors.js'
import { ActionError, msg } from '../messages.js'
import {
  errorContext,
  rawResponse,
  readBackend,
  snapshot,
  whichIsMissing,
  type OperationContext,
  type OperationResult
} from './context.js'

export async function create(
  ctx: OperationContext,
  request: CreateRequest
): Promise<OperationResult> {
  const { target } = ctx
  const existing = await readBackend(ctx, `Reading backend '${target.backendId}'`)
  if (existing) {
    if (request.ifExists === 'fail') throw new ActionError(msg.alreadyExists(target.backendId))
    if (request.ifExists === 'skip') {
      core.info(
        `Backend '${target.backendId}' already exists; if-exists: skip, so nothing was written.`
      )
      return { result: 'unchanged', ...existing }
    }
  }
  const doing = `${existing ? 'Replacing' : 'Creating'} backend '${target.backendId}'`
  core.info(`${doing} in ${target.serviceName}.`)
  const raw = rawResponse()
  try {
    await ctx.client.backend.createOrUpdate(
      target.resourceGroup,
      target.serviceName,
      target.backendId,
      request.backend,
      {
        // The ETag just read: a change made in between fails with 412 instead of being overwritten.
        ifMatch: existing?.etag,
        onResponse: raw.onResponse
      }
    )
  } catch (e) {
    const missing = statusOf(e) === 404 ? await whichIsMissing(ctx) : undefined
    throw describeAzureError(e, { ...errorContext(ctx, doing), missing })
  }
  const response = raw.get()
  return {
    result: response.status === 201 ? 'created' : 'replaced',
    ...snapshot(response, ctx.secrets)
  }
}
