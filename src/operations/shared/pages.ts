// A listing follows the service's nextLinks; this decides when it must stop following them. The
// SDK follows any nextLink it is given, as often as it is given: a service (or something between
// the runner and it) that hands back a link already followed would be read forever.
import { LIMITS } from '../../catalog.js'
import { ActionError } from '../../messages.js'

export class PageLinks {
  private readonly seen = new Set<string>()
  private pages = 0

  /** `doing`: the listing as an error names it, e.g. "Listing the backends of 'apim-prod'". */
  constructor(private readonly doing: string) {}

  /**
   * One page arrived; `nextLink` is its link to the next page ('' or absent on the last one, as
   * the service answers). Throws when following it would repeat a page or pass the bound.
   */
  page(nextLink: unknown): void {
    this.pages += 1
    if (typeof nextLink !== 'string' || nextLink === '') return
    const link = normalized(nextLink)
    if (this.seen.has(link))
      throw new ActionError(
        `${this.doing} failed: page ${this.pages} links to a page already read, so the listing stops rather than read the same pages forever. Hint: the service, or a proxy between the runner and Azure, repeats a nextLink; re-run, and report it to Azure support if it persists.`
      )
    if (this.pages >= LIMITS.listPages)
      throw new ActionError(
        `${this.doing} failed: the service still links to more pages after ${this.pages}, more than any service holds (at most ${LIMITS.listPages} pages are read), so the listing stops. Hint: the service, or a proxy between the runner and Azure, keeps linking to new pages; narrow the listing with filter, and report it to Azure support if it persists.`
      )
    this.seen.add(link)
  }
}

/** The same link however its query is ordered or its characters escaped. */
function normalized(link: string): string {
  try {
    const url = new URL(link)
    url.searchParams.sort()
    return url.href
  } catch {
    return link
  }
}
