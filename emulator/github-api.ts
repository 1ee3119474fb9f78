// GitHub's REST API for pull-request (issue) comments, as the action's comment step uses it, at
// GITHUB_API_BASE_PATH (a GitHub Enterprise Server's /api/v3, so the base URL's path is exercised
// too). Each rule cites where its behaviour was seen; a guess says so.
import { EmuRequest, EmuResponse, jsonResponse } from './http.js'

/** GHES serves its REST API under /api/v3 (docs/runner.md "Pull requests and the GitHub API"). */
export const GITHUB_API_BASE_PATH = '/api/v3'

export interface GithubIdentity {
  login: string
  /** 'Bot' for an installation token (GITHUB_TOKEN, a GitHub App's), 'User' for a person's. */
  type: 'Bot' | 'User'
}

export interface GithubComment {
  id: number
  body: string
  user: GithubIdentity
  html_url: string
  issue_url: string
  created_at: string
  updated_at: string
}

/** GITHUB_TOKEN's comments are written by this login (its user.type is Bot). */
export const ACTIONS_BOT: GithubIdentity = { login: 'github-actions[bot]', type: 'Bot' }

const DOCS = 'https://docs.github.com/rest'

export const isGithubApiPath = (path: string): boolean =>
  path === GITHUB_API_BASE_PATH || path.startsWith(`${GITHUB_API_BASE_PATH}/`)

/** The comments of the repositories' pull requests, and who each token is. */
export class GithubApi {
  private readonly comments = new Map<string, GithubComment[]>()
  private readonly tokens = new Map<string, GithubIdentity>()
  private nextId = 1001
  /** A fork's pull request: the token reads but every write is refused. */
  readOnly = false

  constructor(private readonly htmlBase = 'https://github.com') {}

  /** A token the API accepts, and whose comments it writes as `identity`. */
  addToken(token: string, identity: GithubIdentity = ACTIONS_BOT): void {
    this.tokens.set(token, identity)
  }

  /** A comment written by someone (e.g. another person quoting the marker); returns it. */
  seedComment(repo: string, issue: number, body: string, user: GithubIdentity): GithubComment {
    return this.add(repo, issue, body, user)
  }

  /** The comments of a pull request, oldest first (copies). */
  listComments(repo: string, issue: number): GithubComment[] {
    return (this.comments.get(`${repo.toLowerCase()}#${issue}`) ?? []).map((c) => ({ ...c }))
  }

  reset(): void {
    this.comments.clear()
    this.tokens.clear()
    this.readOnly = false
    this.nextId = 1001
  }

  handle(req: EmuRequest, baseUrl: string): EmuResponse {
    const path = req.path.slice(GITHUB_API_BASE_PATH.length)
    // Every REST call needs the token: `Authorization: token X` (what @actions/github sends) or
    // `Bearer X`; a missing or unknown one is 401 with this body (hisxo/gitGraber#32,
    // evenchange4/gh-polls-bot#12 quote it: {"message":"Bad credentials","documentation_url":…}).
    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')
    const who = auth ? this.tokens.get(auth[1]) : undefined
    if (!who) return jsonResponse(401, { message: 'Bad credentials', documentation_url: DOCS })

    // GET /user: an installation token (GITHUB_TOKEN, a GitHub App's) is refused with 403
    // "Resource not accessible by integration" (actions/create-github-app-token#258,
    // googleapis/repo-automation-bots#3935: "GitHub apps cannot use the /user API"); a person's
    // token gets its login.
    if (path === '/user' && req.method === 'GET') {
      if (who.type === 'Bot') return integrationRefused('users/users#get-the-authenticated-user')
      return jsonResponse(200, { login: who.login, type: who.type })
    }

    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path)
    if (list) {
      const repo = `${decodeURIComponent(list[1])}/${decodeURIComponent(list[2])}`
      const issue = Number(list[3])
      if (req.method === 'GET') return this.page(req, baseUrl, repo, issue)
      if (req.method === 'POST') {
        // A fork's pull request: the GITHUB_TOKEN is read-only and a write answers 403 with this
        // message (peter-evans/create-or-update-comment#188 and #238, jayamanikharyono/
        // airflow-dag-action#23 quote the body).
        if (this.readOnly) return integrationRefused('issues/comments#create-an-issue-comment')
        const body = bodyOf(req)
        if (body === undefined) return invalid()
        // The body's limit: 65,536 characters (docs/runner.md). guess: the 422's exact wording.
        if (body.length > 65536) return invalid('body is too long (maximum is 65536 characters)')
        const comment = this.add(repo, issue, body, who)
        // 201 Created with the comment (docs.github.com REST "Create an issue comment").
        return jsonResponse(201, comment, {
          location: `${baseUrl}/repos/${repo}/issues/comments/${comment.id}`
        })
      }
    }

    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path)
    if (one && req.method === 'PATCH') {
      const repo = `${decodeURIComponent(one[1])}/${decodeURIComponent(one[2])}`
      const comment = this.find(repo, Number(one[3]))
      if (!comment) return jsonResponse(404, { message: 'Not Found', documentation_url: DOCS })
      if (this.readOnly) return integrationRefused('issues/comments#update-an-issue-comment')
      // guess: editing someone else's comment without admin rights is refused as a fork's write is.
      if (comment.user.login !== who.login)
        return integrationRefused('issues/comments#update-an-issue-comment')
      const body = bodyOf(req)
      if (body === undefined) return invalid()
      if (body.length > 65536) return invalid('body is too long (maximum is 65536 characters)')
      comment.body = body
      comment.updated_at = new Date().toISOString()
      return jsonResponse(200, comment)
    }
    return jsonResponse(404, { message: 'Not Found', documentation_url: DOCS })
  }

  /**
   * One page of comments, oldest first: per_page (default 30, at most 100) and page (from 1), and
   * a Link header with rel="next" while more remain, as GitHub pages every list (docs.github.com
   * "Using pagination in the REST API"; octokit's paginate follows rel="next").
   */
  private page(req: EmuRequest, baseUrl: string, repo: string, issue: number): EmuResponse {
    const all = this.listComments(repo, issue)
    const perPage = Math.min(100, Math.max(1, Number(req.query.per_page) || 30))
    const page = Math.max(1, Number(req.query.page) || 1)
    const items = all.slice((page - 1) * perPage, page * perPage)
    const headers: Record<string, string> = {}
    if (page * perPage < all.length) {
      const url = `${baseUrl}/repos/${repo}/issues/${issue}/comments?per_page=${perPage}&page=${page + 1}`
      const last = Math.ceil(all.length / perPage)
      headers.link = `<${url}>; rel="next", <${url.replace(/page=\d+$/, `page=${last}`)}>; rel="last"`
    }
    return jsonResponse(200, items, headers)
  }

  private add(repo: string, issue: number, body: string, user: GithubIdentity): GithubComment {
    const key = `${repo.toLowerCase()}#${issue}`
    const id = this.nextId++
    const now = new Date().toISOString()
    const comment: GithubComment = {
      id,
      body,
      user: { ...user },
      html_url: `${this.htmlBase}/${repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${this.htmlBase}/${repo}/issues/${issue}`,
      created_at: now,
      updated_at: now
    }
    this.comments.set(key, [...(this.comments.get(key) ?? []), comment])
    return comment
  }

  private find(repo: string, id: number): GithubComment | undefined {
    for (const [key, list] of this.comments)
      if (key.startsWith(`${repo.toLowerCase()}#`)) {
        const found = list.find((c) => c.id === id)
        if (found) return found
      }
    return undefined
  }
}

function integrationRefused(doc: string): EmuResponse {
  return jsonResponse(403, {
    message: 'Resource not accessible by integration',
    documentation_url: `${DOCS}/${doc}`
  })
}

/** guess: GitHub's 422 for a missing body, in its usual validation shape. */
function invalid(message = 'Invalid request.\n\n"body" wasn\'t supplied.'): EmuResponse {
  return jsonResponse(422, { message, documentation_url: DOCS })
}

function bodyOf(req: EmuRequest): string | undefined {
  try {
    const parsed = JSON.parse(req.body) as { body?: unknown }
    return typeof parsed.body === 'string' ? parsed.body : undefined
  } catch {
    return undefined
  }
}
