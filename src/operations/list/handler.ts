// operation: list — every backend of the service, every page followed, in the ARM shape.
import * as workflow from '../../workflow.js'
import type { ListRequest, ListResult } from './types.js'
import type { ArmBackend } from '../../azure/backend-json.js'
import { absorbSecrets, redactBackend } from '../../azure/backend-json.js'
import { listSummary } from './summary.js'
import { describeAzureError, statusOf } from '../../azure/errors.js'
import {
  errorContext,
  whichIsMissing,
  type OperationContext,
  type OperationResult
} from '../shared/context.js'
import { PageLinks } from '../shared/pages.js'
import { LIST_STEP } from '../shared/steps.js'

export async function list(
  ctx: OperationContext,
  request: ListRequest
): Promise<OperationResult<ListResult>> {
  const { target } = ctx
  const doing = `Listing the backends of '${target.serviceName}'`
  ctx.deadline.start(LIST_STEP)
  const backends: ArmBackend[] = []
  const links = new PageLinks(doing)
  try {
    const pages = ctx.client.backend
      .listByService(target.resourceGroup, target.serviceName, {
        filter: request.filter,
        // The SDK hands back flattened items; the raw pages keep the ARM shape.
        onResponse: (r) => {
          const page = JSON.parse(r.bodyAsText ?? '{}') as {
            value?: ArmBackend[]
            nextLink?: unknown
          }
          for (const b of page.value ?? []) {
            absorbSecrets(b, ctx.secrets)
            backends.push(b)
          }
          // Throwing here ends the SDK's paging before it follows the link.
          links.page(page.nextLink)
        }
      })
      .byPage()
    for await (const _page of pages) {
      // Each page's raw body was taken in onResponse.
    }
  } catch (e) {
    const missing = statusOf(e) === 404 ? await whichIsMissing(ctx) : undefined
    throw describeAzureError(e, {
      ...errorContext(ctx, doing),
      missing: missing === 'backend' ? undefined : missing,
      // Every request after the first page follows the nextLink of the page before.
      following: 'nextLink'
    })
  }
  ctx.deadline.done(LIST_STEP)
  workflow.info(
    `${backends.length} backend${backends.length === 1 ? '' : 's'} in ${target.serviceName}${request.filter ? ` matching ${request.filter}` : ''}.`
  )
  return {
    result: 'listed',
    outputs: { backends: JSON.stringify(backends.map(redactBackend)) },
    summary: listSummary(backends)
  }
}
