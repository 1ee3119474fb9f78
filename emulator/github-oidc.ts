// GitHub Actions' ID-token endpoint, as `@actions/core` getIDToken() calls it: a GET on
// ACTIONS_ID_TOKEN_REQUEST_URL (+ `&audience=`) with ACTIONS_ID_TOKEN_REQUEST_TOKEN as bearer,
// answering {"value": "<jwt>"}. The JWT is what ClientAssertionCredential hands to Entra.
import { randomUUID } from 'node:crypto'
import { EmuRequest, EmuResponse, jsonResponse, pathSegments, sameText } from './http.js'
import { publicJwk, signJwt } from './jwt.js'
import { EmulatorContext, GITHUB_ISSUER, TOKEN_EXCHANGE_AUDIENCE } from './types.js'

export const OIDC_BASE_PATH = '/_github/oidc'
const ID_TOKEN_LIFETIME_SECONDS = 300

export function isGithubOidcPath(path: string): boolean {
  return path.toLowerCase().startsWith(`${OIDC_BASE_PATH}/`)
}

export function handleGithubOidc(req: EmuRequest, ctx: EmulatorContext): EmuResponse | undefined {
  const s = pathSegments(req.path)?.slice(2) ?? []
  if (s.length === 1 && sameText(s[0], 'token') && req.method === 'GET') return idToken(req, ctx)
  if (s.length === 2 && s[0] === '.well-known' && s[1] === 'openid-configuration') {
    return jsonResponse(200, {
      issuer: GITHUB_ISSUER,
      jwks_uri: `${ctx.url}${OIDC_BASE_PATH}/.well-known/jwks`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid']
    })
  }
  if (s.length === 2 && s[0] === '.well-known' && s[1] === 'jwks') {
    return jsonResponse(200, { keys: [publicJwk(ctx.oidcKey)] })
  }
  return undefined
}

function idToken(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  if (req.headers.authorization !== `Bearer ${ctx.oidcRequestToken}`) {
    return jsonResponse(401, {
      message:
        'Bad credentials: the bearer token is not this run\u2019s ACTIONS_ID_TOKEN_REQUEST_TOKEN.'
    })
  }
  const now = Math.floor(Date.now() / 1000)
  const sub = ctx.oidcSubject
  // "repo:OWNER/REPO:..." is the usual subject; the other claims follow from it.
  const repository = /^repo:([^:]+):/.exec(sub)?.[1] ?? 'octo-org/octo-repo'
  const owner = repository.split('/')[0]
  const ref = /:ref:(.+)$/.exec(sub)?.[1] ?? 'refs/heads/main'
  const workflowRef = `${repository}/.github/workflows/deploy.yml@${ref}`
  const value = signJwt(
    {
      jti: randomUUID(),
      sub,
      aud: req.query.audience ?? TOKEN_EXCHANGE_AUDIENCE,
      ref,
      sha: '0000000000000000000000000000000000000000',
      repository,
      repository_owner: owner,
      repository_visibility: 'private',
      run_id: '1',
      run_number: '1',
      run_attempt: '1',
      actor: owner,
      workflow: 'deploy',
      event_name: 'push',
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      workflow_ref: workflowRef,
      job_workflow_ref: workflowRef,
      runner_environment: 'github-hosted',
      iss: GITHUB_ISSUER,
      nbf: now - 5,
      iat: now,
      exp: now + ID_TOKEN_LIFETIME_SECONDS
    },
    ctx.oidcKey
  )
  return jsonResponse(200, { value })
}
