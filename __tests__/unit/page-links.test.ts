// When a listing stops following nextLinks: a link seen before, or more pages than any service holds.
import { describe, expect, it } from '@jest/globals'
import { LIMITS } from '../../src/catalog.js'
import { PageLinks } from '../../src/operations/shared/pages.js'

const link = (n: number) => `https://management.azure.com/x/backends?api-version=1&$skip=${n}`

describe('PageLinks', () => {
  it('follows new links up to the bound, and stops at the page that would pass it', () => {
    const links = new PageLinks("Listing the backends of 'apim-prod'")
    for (let n = 1; n < LIMITS.listPages; n++) links.page(link(n))
    expect(() => links.page(link(LIMITS.listPages))).toThrow(
      `Listing the backends of 'apim-prod' failed: the service still links to more pages after ${LIMITS.listPages}, more than any service holds (at most ${LIMITS.listPages} pages are read), so the listing stops.`
    )
  })

  it('the last page ends the listing without a check: an empty or absent nextLink', () => {
    const links = new PageLinks('Listing')
    links.page(link(1))
    expect(() => links.page('')).not.toThrow()
    expect(() => links.page(undefined)).not.toThrow()
  })

  it('a link seen before, however its query is ordered, stops the listing', () => {
    const links = new PageLinks('Listing')
    links.page('https://h/x?b=2&a=1')
    expect(() => links.page('https://h/x?a=1&b=2')).toThrow(/page 2 links to a page already read/)
  })
})
