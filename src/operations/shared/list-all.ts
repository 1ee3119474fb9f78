// Every backend of the service, every page followed (and the following bounded: pages.ts), in the
// ARM shape; the secrets Azure sends back are masked as each page arrives. Shared by list and plan.
import type { ArmBackend } from '../../azure/backend-json.js'
import { absorbSecrets } from '../../azure/backend-json.js'
import { describeAzureError, statusOf } from '../../azure/errors.js'
import { errorContext, whichIsMissing, type OperationContext } from './context.js'
import { PageLinks } from './pages.js'
import { ActionError } from '../../messages.js'
import { redactUrl, urlSecrets } from '../../secret-fields.js'
import { LIST_STEP } from './steps.js'
import { backendApi } from './backend-api.js'

export async function listAll(ctx: OperationContext, filter?: string): Promise<ArmBackend[]> {
  const { target } = ctx
  const doing =
    target.workspace === undefined
      ? `Listing the backends of '${target.serviceName}'`
      : `Listing the backends of workspace '${target.workspace}' of '${target.serviceName}'`
  ctx.deadline.start(LIST_STEP)
  const backends: ArmBackend[] = []
  const links = new PageLinks(doing)
  try {
    const pages = backendApi(ctx.client, target)
      .list({
        filter,
        // The SDK hands back flattened items; the raw pages keep the ARM shape.
        onResponse: (r) => {
          const page = JSON.parse(r.bodyAsText ?? '{}') as {
            value?: ArmBackend[]
            nextLink?: unknown
          }
          for (const b of page.value ?? []) {
            // Masking a page's secrets (tens of thousands of values, each in a dozen forms) is
            // work the deadline's timer cannot interrupt: it is checked between backends.
            if (ctx.deadline.remainingMs() === 0) throw ctx.deadline.error()
            absorbSecrets(b, ctx.secrets)
            backends.push(b)
          }
          // The link's user name, password and key parameters are secrets too: an error about
          // the next page may quote it, with or without debug logging.
          if (typeof page.nextLink === 'string') ctx.secrets.addAll(urlSecrets(page.nextLink))
          // Throwing here ends the SDK's paging before it follows the link.
          links.page(page.nextLink)
          if (target.workspace !== undefined) stayInWorkspace(doing, r.request.url, page.nextLink)
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
  return backends
}

/**
 * In a workspace, a page may only link to more of the same listing (the path the first page came
 * from, with another query): a nextLink to any other path (the service's own backends, another
 * workspace) would send a request outside the workspace and list what are not its backends.
 */
function stayInWorkspace(doing: string, pageUrl: string, nextLink: unknown): void {
  if (typeof nextLink !== 'string' || nextLink === '') return
  const listing = new URL(pageUrl).pathname
  let path: string
  try {
    path = new URL(nextLink, pageUrl).pathname
  } catch {
    path = nextLink
  }
  if (path.toLowerCase() === listing.toLowerCase()) return
  throw new ActionError(
    `${doing} failed: a page's nextLink points at ${redactUrl(path)}, not at more of this listing (${listing}), so the listing stops; no request is sent outside the workspace. Hint: the service, or a proxy between the runner and Azure, handed back a link elsewhere; re-run, and report it to Azure support if it persists.`
  )
}
