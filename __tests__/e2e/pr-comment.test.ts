// comment: true — a workflow on a pull request puts the plan (or a what-if) on the pull request as
// one comment, which later runs update in place. The GitHub API is the emulator's (/api/v3, as on
// GitHub Enterprise Server), reached by @actions/github over HTTPS.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import type { GithubIdentity } from '../../emulator/server.js'
import { BODY_LIMIT } from '../../src/pr-comment/render.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { expectNoSecrets } from '../helpers/secrets.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
const TOKEN = 'ghs_emulatorToken0123456789abcdefABCDEF'
const REPO = 'octo-org/octo-repo'
const PR = 17
const dir = mkdtempSync(join(tmpdir(), 'pr-comment-'))

function eventFile(name: string, payload: unknown): string {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify(payload))
  return file
}

const pullRequestEnv = () => ({
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: eventFile('pr', { number: PR, pull_request: { number: PR } }),
  GITHUB_REPOSITORY: REPO,
  GITHUB_API_URL: emulator.githubApiUrl(),
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '4242'
})

beforeEach(() => {
  emulator = emu()
  emulator.github.addToken(TOKEN)
  put('orders', { url: 'https://orders.example.com', protocol: 'http', title: 'Orders' })
  put('billing', {
    url: 'https://billing.example.com',
    protocol: 'http',
    credentials: { header: { 'x-api-key': ['billing-key-old-4711'] } }
  })
})

const put = (id: string, properties: Record<string, unknown>) =>
  emulator.putBackend(SUB, RG, SERVICE, id, properties)

const FILE = [
  '- backend-id: orders',
  '  url: https://orders.example.com',
  '  title: Orders v2',
  '- backend-id: billing',
  '  url: https://billing.example.com',
  '  backend-credentials: { header: { x-api-key: "${BILLING_KEY}" } }',
  '- backend-id: search',
  '  url: https://search.example.com'
].join('\n')

const planStep = (extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runInProcess(
    {
      operation: 'plan',
      ...TARGET,
      ...secretSignIn(emulator),
      protocol: 'http',
      backends: FILE,
      comment: 'true',
      'github-token': TOKEN,
      ...extra
    },
    { BILLING_KEY: 'billing-key-new-4711', ...pullRequestEnv(), ...env }
  )

const comments = () => emulator.github.listComments(REPO, PR)
const githubCalls = () =>
  emulator.requests
    .filter((r) => r.path.startsWith('/api/v3/'))
    .map((r) => `${r.method} ${r.path.slice('/api/v3'.length)}`)

describe('comment: true on a pull request', () => {
  it('plan: creates one comment with the marker, the counts, each change old → new, secrets as *** and the run link', async () => {
    const outcome = await planStep()
    expect(outcome.failure).toBeUndefined()
    const [comment] = comments()
    expect(comments()).toHaveLength(1)
    expect(comment.user.login).toBe('github-actions[bot]')
    const body = comment.body
    expect(body.split('\n')[0]).toBe(
      `<!-- apim-backend-action plan /subscriptions/${SUB}/resourcegroups/${RG}/providers/microsoft.apimanagement/service/${SERVICE.toLowerCase()} file=inline -->`
    )
    expect(body).toContain('1 to create')
    expect(body).toContain('2 to replace')
    expect(body).toContain(
      '| ` orders ` | would&#45;replace | ` title ` | &#39;Orders&#39; → &#39;Orders v2&#39; |'
    )
    expect(body).toMatch(/` credentials\.header\.x-api-key ` \| (&#42;){3} → (&#42;){3} \|/)
    expect(body).toContain(
      '[Workflow run](https://github.com/octo-org/octo-repo/actions/runs/4242)'
    )
    expect(outcome.outputs['comment-url']).toBe(comment.html_url)
    expect(outcome.outputs['comment-url']).toMatch(
      /\/octo-org\/octo-repo\/pull\/17#issuecomment-\d+$/
    )
    // Who the token is (403 for an installation token), the comments, then the new one.
    expect(githubCalls()).toEqual([
      'GET /user',
      `GET /repos/${REPO}/issues/${PR}/comments`,
      `POST /repos/${REPO}/issues/${PR}/comments`
    ])
    expectNoSecrets(outcome, [TOKEN, 'billing-key-new-4711', 'billing-key-old-4711'])
  })

  it('a second plan updates the same comment in place, and leaves a person quoting the marker alone', async () => {
    await planStep()
    const [first] = comments()
    const marker = first.body.split('\n')[0]
    const person: GithubIdentity = { login: 'octocat', type: 'User' }
    const quoted = emulator.github.seedComment(REPO, PR, `Why does it say\n${marker}\n?`, person)
    // Many comments before ours: every page (100 a page) is searched.
    for (let i = 0; i < 150; i++) emulator.github.seedComment(REPO, PR, `lgtm ${i}`, person)
    put('search', { url: 'https://search.example.com', protocol: 'http' })
    const outcome = await planStep()
    const after = comments()
    expect(after).toHaveLength(152)
    const ours = after.filter((c) => c.user.login === 'github-actions[bot]')
    expect(ours).toHaveLength(1)
    expect(ours[0].id).toBe(first.id)
    expect(ours[0].body).not.toContain('1 to create')
    expect(after.find((c) => c.id === quoted.id)?.body).toBe(quoted.body)
    expect(outcome.outputs['comment-url']).toBe(first.html_url)
    expect(githubCalls().filter((c) => c.startsWith('GET /repos')).length).toBe(3) // 1, then 2 pages
    expect(githubCalls().at(-1)).toBe(`PATCH /repos/${REPO}/issues/comments/${first.id}`)
  })

  it('a person’s token (PAT) updates only its own comment', async () => {
    const pat = 'ghp_personalToken0123456789abcdefABCD'
    emulator.github.addToken(pat, { login: 'octo-dev', type: 'User' })
    await planStep({ 'github-token': pat })
    const [mine] = comments()
    expect(mine.user.login).toBe('octo-dev')
    await planStep({ 'github-token': pat })
    expect(comments().map((c) => c.id)).toEqual([mine.id])
  })

  it('renders hostile values inert: no mention, HTML, emphasis, table cell, link or comment end', async () => {
    const hostile = '@octocat <img src=x> **bold** | pipe `tick` --> [x](https://evil.example) #1'
    put('orders', { url: 'https://orders.example.com', protocol: 'http', title: hostile })
    const outcome = await planStep()
    expect(outcome.failure).toBeUndefined()
    const body = comments()[0].body
    const row = body.split('\n').find((line) => line.startsWith('| ` orders'))!
    const cell = row.split(' | ')[3].replace(/ \|$/, '')
    // Outside character references only letters, digits, spaces and the arrow are left: no
    // character Markdown, HTML or GitHub's mentions and references could act on.
    expect(cell.replace(/&#\d+;/g, '')).toMatch(/^[A-Za-z0-9 →]+$/)
    expect(body).toContain('&#64;&#8203;octocat &#60;img src&#61;x&#62;')
    // The marker is one line and ends once.
    expect(body.split('-->').length).toBe(2)
  })

  it('a hostile backend id from the service stays in its code span and its marker cannot end', async () => {
    put('a`b|c', { url: 'https://x.example.com', protocol: 'http' })
    const outcome = await planStep({ prune: 'true' })
    expect(outcome.failure).toBeUndefined()
    expect(comments()[0].body).toContain('| `` a`b\\|c `` | would&#45;delete |')
  })

  it('a plan of thousands of changes stays within 65,536 characters, with a note and the run link', async () => {
    // 600 backends to create, 3 fields each; punctuation takes 5 characters escaped.
    const items: string[] = []
    for (let i = 0; i < 600; i++)
      items.push(
        `- {backend-id: b${i}, url: "https://b${i}.example.com/${'a/'.repeat(150)}", description: "${'!'.repeat(1000)}"}`
      )
    const outcome = await planStep({ backends: items.join('\n') })
    expect(outcome.failure).toBeUndefined()
    const body = comments()[0].body
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT)
    expect(body.length).toBeGreaterThan(BODY_LIMIT - 2000)
    expect(body).toMatch(
      /Cut to fit GitHub's 65,536-character limit:\*\* \d+ more rows are not shown; the \[Workflow run\]\(https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/4242\) has every change/
    )
  }, 60_000)

  it('what-if of create: a comment per backend', async () => {
    const create = (id: string) =>
      runInProcess(
        {
          operation: 'create',
          ...TARGET,
          ...secretSignIn(emulator),
          'backend-id': id,
          url: `https://${id}.example.com`,
          protocol: 'http',
          'what-if': 'true',
          comment: 'true',
          'github-token': TOKEN
        },
        pullRequestEnv()
      )
    const outcome = await create('payments')
    expect(outcome.outputs.result).toBe('would-create')
    await create('ledger')
    await create('payments')
    const bodies = comments().map((c) => c.body)
    expect(bodies).toHaveLength(2)
    expect(bodies[0]).toMatch(
      /^<!-- apim-backend-action create \/subscriptions\/.* backend=payments -->/
    )
    expect(bodies[1]).toMatch(/backend=ledger -->/)
    expect(bodies[0]).toContain('| ` payments ` | would&#45;create | ` url ` |')
    expect(outcome.outputs['comment-url']).toBe(comments()[0].html_url)
  })

  it('a backends step with what-if: one comment for the file, a row per backend', async () => {
    const outcome = await runInProcess(
      {
        operation: 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        protocol: 'http',
        'if-exists': 'replace',
        backends:
          '[{backend-id: orders, url: https://orders-v2.example.com}, {backend-id: cart, url: https://cart.example.com}]',
        'what-if': 'true',
        comment: 'true',
        'github-token': TOKEN
      },
      pullRequestEnv()
    )
    expect(outcome.failure).toBeUndefined()
    const [comment] = comments()
    expect(comments()).toHaveLength(1)
    expect(comment.body).toMatch(
      /^<!-- apim-backend-action create \/subscriptions\/.* file=inline -->/
    )
    // A row per field each backend would change, old → new.
    expect(comment.body).toContain(
      '| ` orders ` | would&#45;replace | ` url ` | &#39;https&#58;&#47;&#47;orders&#46;example&#46;com&#39; → &#39;https&#58;&#47;&#47;orders&#45;v2&#46;example&#46;com&#39; |'
    )
    expect(comment.body).toContain('| ` cart ` | would&#45;create | ` url ` |')
    expect(JSON.parse(outcome.outputs.results)[0]).toEqual({
      'backend-id': 'orders',
      result: 'would-replace',
      error: null,
      // create with if-exists: replace: the whole backend, so the title set by hand goes too.
      changes: ['properties.title', 'properties.url']
    })
  })

  it('comment: true without what-if on a write is refused before any request, naming both inputs', async () => {
    const outcome = await runInProcess(
      {
        operation: 'update',
        ...TARGET,
        ...secretSignIn(emulator),
        'backend-id': 'orders',
        title: 'Orders v3',
        comment: 'true',
        'github-token': TOKEN
      },
      pullRequestEnv()
    )
    expect(outcome.failure).toContain("Input 'comment': true needs what-if: true")
    expect(emulator.requests).toEqual([])
  })
})

describe('comment: true where no comment can be written', () => {
  it('outside a pull request (push): a notice, and no request to GitHub', async () => {
    const outcome = await planStep(
      {},
      {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: eventFile('push', { ref: 'refs/heads/main' })
      }
    )
    expect(outcome.failure).toBeUndefined()
    expect(outcome.stdout).toMatch(
      /::notice::comment: true, but this run is not for a pull request \(the event is push\)/
    )
    expect(githubCalls()).toEqual([])
    expect(outcome.outputs['comment-url']).toBeUndefined()
  })

  it('a fork’s read-only token (403): a warning naming pull-requests: write, and the step succeeds', async () => {
    emulator.github.readOnly = true
    const outcome = await planStep()
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('planned')
    expect(outcome.stdout).toMatch(
      /::warning::The comment on pull request #17 was not written: GitHub answered 403 \(Resource not accessible by integration.*pull-requests: write/
    )
    expect(comments()).toEqual([])
    expectNoSecrets(outcome, [TOKEN])
  })

  it('a refused token (401): a warning, and the step succeeds', async () => {
    const outcome = await planStep({ 'github-token': 'ghs_notAToken0123456789' })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.stdout).toMatch(/::warning::.*401 \(Bad credentials.*pull-requests: write/)
    expectNoSecrets(outcome, ['ghs_notAToken0123456789'])
  })

  it('the token never shows, not even with debug logging on a failure', async () => {
    const outcome = await planStep({ 'fail-on-changes': 'true' })
    expect(outcome.failure).toContain('fail-on-changes')
    // The comment is written all the same, before the step fails.
    expect(comments()).toHaveLength(1)
    expect(outcome.outputs['comment-url']).toBe(comments()[0].html_url)
    expectNoSecrets(outcome, [TOKEN])
  })
})
