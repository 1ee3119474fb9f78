// The layers of src/, checked by dependency-cruiser (npm run check:layers, part of npm run lint):
// entry (index, main, outputs, summary, report) -> orchestration (step/) -> operations/ ->
// Azure plumbing (azure/) -> inputs and validation (input-rules/, structured/, the top-level
// modules). Each layer imports only those below it, and nothing imports in a circle.
// docs/architecture.md explains the layers.
/* global module */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'azure-below-operations',
      comment: 'Azure plumbing serves the operations; it never calls them.',
      severity: 'error',
      from: { path: '^src/azure/' },
      to: { path: '^src/(operations|step)/' }
    },
    {
      name: 'operations-below-orchestration',
      severity: 'error',
      from: { path: '^src/operations/' },
      to: { path: '^src/(step/|main\\.ts|index\\.ts|outputs\\.ts|summary\\.ts|report\\.ts)' }
    },
    {
      name: 'inputs-at-the-bottom',
      comment:
        'Validation runs before any Azure code loads: it imports no operation, step or Azure module.',
      severity: 'error',
      from: {
        path: '^src/(input-rules|structured)/|^src/[^/]+\\.ts$',
        pathNot: '^src/(index|main|outputs|summary|report)\\.ts$'
      },
      to: { path: '^src/(azure|operations|step)/' }
    },
    {
      name: 'operation-folders-apart',
      comment: 'An operation uses the shared modules, never another operation folder.',
      severity: 'error',
      from: { path: '^src/operations/([^/]+)/' },
      to: {
        path: '^src/operations/([^/]+)/',
        pathNot: ['^src/operations/$1/', '^src/operations/shared/']
      }
    },
    {
      name: 'pr-comment-from-the-entry',
      comment:
        'The pull-request comment (src/pr-comment/) is part of the entry: only main.ts calls it; an operation, the orchestration and Azure know nothing of GitHub.',
      severity: 'error',
      from: { pathNot: '^src/(main\\.ts|pr-comment/)' },
      to: { path: '^src/pr-comment/' }
    },
    {
      name: 'pr-comment-apart-from-azure',
      comment:
        'The comment renders the report; it never calls Azure, the orchestration or an operation.',
      severity: 'error',
      from: { path: '^src/pr-comment/' },
      to: { path: '^src/(azure|step)/|^src/operations/', pathNot: '^src/operations/shared/' }
    },
    {
      name: 'github-api-in-pr-comment-only',
      comment: '@actions/github (and its octokit) is loaded only to write the comment.',
      severity: 'error',
      from: { pathNot: '^src/pr-comment/' },
      to: { path: 'node_modules/@actions/github/' }
    },
    {
      name: 'product-apart-from-tooling',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(emulator|scripts|bench|__tests__)/' }
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] }
  }
}
