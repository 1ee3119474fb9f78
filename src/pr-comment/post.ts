// The pull-request comment, written through @actions/github: the step's one comment (found by its
// marker) is updated in place, or created. Loaded by main.ts only when a step asked for a comment,
// after its outputs are written. Never fails the step: outside a pull request it says so in a
// notice, and a refused token (a fork's read-only GITHUB_TOKEN: 403; a bad one: 401) is a warning.
//
// Whose comment is ours: only one whose body holds the marker AND whose author is the token's
// identity. A person's token (PAT) says who it is (GET /user). An installation token — the
// workflow's GITHUB_TOKEN (author github-actions[bot]) or a GitHub App's — cannot ask (GET /user
// answers 403 "Resource not accessible by integration"); its comments are written by a bot
// (user.type 'Bot'), so a bot's comment with the marker is ours, github-actions[bot]'s first. A
// person quoting the marker is never touched either way.
import { context, getOctokit } from '@actions/github'
import { existsSync } from 'node:fs'
import type { Report } from '../report.js'
import type { Secrets } from '../secrets.js'
import * as workflow from '../workflow.js'
import { markerOf, type CommentSubject } from './marker.js'
import { renderComment } from './render.js'

type Octokit = ReturnType<typeof getOctokit>

export const PERMISSION = 'pull-requests: write'
const ACTIONS_BOT = 'github-actions[bot]'
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

export interface CommentPost {
  token: string | undefined
  marker: string
  body: string
  /** The longest the GitHub calls may take together. */
  timeoutMs: number
}

/** The step's comment: its report rendered under the subject's marker, then written. */
export async function commentOnPullRequest(
  subject: CommentSubject,
  report: Report,
  secrets: Secrets,
  token: string | undefined,
  timeoutMs: number
): Promise<void> {
  const marker = markerOf(subject)
  await postComment({ token, marker, body: renderComment(report, secrets, marker), timeoutMs })
}

/** The pull request of this run, from the event the runner handed the step (at call time). */
function pullRequest():
  { owner: string; repo: string; number: number; apiUrl: string } | { reason: string } {
  const event = process.env.GITHUB_EVENT_NAME ?? ''
  const path = process.env.GITHUB_EVENT_PATH
  if (!PULL_REQUEST_EVENTS.includes(event)) return { reason: `the event is ${event || 'not set'}` }
  if (!path || !existsSync(path)) return { reason: 'GITHUB_EVENT_PATH names no file' }
  // A new Context, not the module's: it reads GITHUB_EVENT_PATH and GITHUB_* as they are now.
  const Context = context.constructor as new () => typeof context
  const ctx = new Context()
  const number = (ctx.payload.pull_request as { number?: unknown } | undefined)?.number
  if (typeof number !== 'number') return { reason: 'its payload has no pull_request.number' }
  const repository = process.env.GITHUB_REPOSITORY ?? ''
  if (!/^[^/]+\/[^/]+$/.test(repository)) return { reason: 'GITHUB_REPOSITORY is not owner/name' }
  const { owner, repo } = ctx.repo
  return { owner, repo, number, apiUrl: ctx.apiUrl }
}

/** Writes the comment and the comment-url output; reports every failure as a warning. */
export async function postComment(post: CommentPost): Promise<void> {
  const pr = pullRequest()
  if ('reason' in pr) {
    workflow.notice(
      `comment: true, but this run is not for a pull request (${pr.reason}): no comment was written.`
    )
    return
  }
  if (!post.token) {
    workflow.warning(
      `No pull-request comment: github-token is empty. Give it a token with ${PERMISSION} (the default, \${{ github.token }}, needs \`permissions: ${PERMISSION}\` in the job).`
    )
    return
  }
  const signal = AbortSignal.timeout(post.timeoutMs)
  // baseUrl from GITHUB_API_URL as it is now (@actions/github reads it once, at import); its
  // fetch honours NODE_EXTRA_CA_CERTS and the runner's proxy variables.
  const octokit = getOctokit(post.token, {
    baseUrl: pr.apiUrl,
    log: { debug: () => {}, info: () => {}, warn: workflow.debug, error: workflow.debug }
  })
  try {
    const where = { owner: pr.owner, repo: pr.repo }
    const author = await whoAmI(octokit, signal)
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      ...where,
      issue_number: pr.number,
      per_page: 100,
      request: { signal }
    })
    const mine = comments.filter(
      // The marker heads our body (render.ts): one quoted further down is someone else's.
      (c) => (c.body ?? '').startsWith(`${post.marker}\n`) && isOurs(c.user, author)
    )
    const existing = mine.find((c) => c.user?.login === (author ?? ACTIONS_BOT)) ?? mine.at(0)
    const written = existing
      ? await octokit.rest.issues.updateComment({
          ...where,
          comment_id: existing.id,
          body: post.body,
          request: { signal }
        })
      : await octokit.rest.issues.createComment({
          ...where,
          issue_number: pr.number,
          body: post.body,
          request: { signal }
        })
    workflow.setOutput('comment-url', written.data.html_url)
    workflow.info(
      `Pull-request comment ${existing ? 'updated' : 'created'}: ${written.data.html_url}`
    )
  } catch (e) {
    if (e instanceof workflow.RunnerFileError) throw e
    workflow.warning(refusal(e, pr.number))
  }
}

/**
 * The token's login (a person's token), or undefined for an installation token, which GET /user
 * refuses with 403 (GITHUB_TOKEN, a GitHub App's).
 */
async function whoAmI(octokit: Octokit, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated({ request: { signal } })).data.login
  } catch (e) {
    if (statusOf(e) === 403) return undefined
    throw e
  }
}

function isOurs(
  user: { login?: string; type?: string } | null | undefined,
  author: string | undefined
): boolean {
  if (!user) return false
  return author !== undefined ? user.login === author : user.type === 'Bot'
}

function statusOf(e: unknown): number | undefined {
  const status = (e as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** The warning for a failed comment: what GitHub said, and what to change. */
function refusal(e: unknown, number: number): string {
  const status = statusOf(e)
  const said = e instanceof Error ? e.message : String(e)
  const start = `The comment on pull request #${number} was not written`
  if (status === 403)
    return `${start}: GitHub answered 403 (${said}). The github-token needs ${PERMISSION} (\`permissions: ${PERMISSION}\` in the job); on a pull request from a fork the GITHUB_TOKEN is read-only, and no comment can be written.`
  if (status === 401)
    return `${start}: GitHub answered 401 (${said}): the github-token was refused. Give it a valid token with ${PERMISSION}.`
  return `${start}: ${said}`
}
