// The first release, as a user and a maintainer meet it: the README says to pin @v1, so the
// first tag is v1.0.0; package.json and CHANGELOG.md say the same, and scripts/release refuses a
// tag they do not agree on.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import {
  changelogSection,
  pinnedMajors,
  readReleaseFiles,
  releaseProblems
} from '../../scripts/check-release.js'

const files = readReleaseFiles()
const version = (JSON.parse(files.packageJson) as { version: string }).version
const major = Number(version.split('.')[0])

describe('the version, as every file states it', () => {
  it('package.json names the first release, 1.0.0 or later, whose major tag users pin', () => {
    expect(version).toMatch(/^[1-9]\d*\.\d+\.\d+$/)
    const docs = [
      'README.md',
      'SECURITY.md',
      ...readdirSync('docs').map((f) => `docs/${f}`),
      ...readdirSync('examples')
        .filter((f) => f.endsWith('.yml'))
        .map((f) => `examples/${f}`)
    ].filter((f) => f.endsWith('.md') || f.endsWith('.yml'))
    const pinned = docs.flatMap((f) => pinnedMajors(readFileSync(f, 'utf8')).map((m) => ({ f, m })))
    expect(pinned.length).toBeGreaterThan(5)
    expect(pinned.filter(({ m }) => m !== major)).toEqual([])
  })

  it('CHANGELOG.md opens with its section, dated or Unreleased until tagged, and links it', () => {
    const first = /^## \[([^\]]+)\]/m.exec(files.changelog)?.[1]
    expect(first).toBe(version)
    expect(changelogSection(files.changelog, version)).toMatch(/^(\d{4}-\d{2}-\d{2}|Unreleased)$/)
    expect(files.changelog).toContain(
      `[${version}]: https://github.com/apim-backend-action/apim-backend-action/releases/tag/v${version}`
    )
  })
})

describe('the release check (scripts/release, the Release workflow)', () => {
  const dated = files.changelog.replace(
    `## [${version}] - Unreleased`,
    `## [${version}] - 2030-01-31`
  )

  it('passes the tag of the version once CHANGELOG.md has the release date', () => {
    expect(releaseProblems(`v${version}`, { ...files, changelog: dated })).toEqual([])
  })

  it('refuses an undated section, another tag, and a README that pins another major', () => {
    const undated = files.changelog.replace(/^(## \[[^\]]+\]) - .*$/m, '$1 - Unreleased')
    expect(releaseProblems(`v${version}`, { ...files, changelog: undated })).toEqual([
      `CHANGELOG.md's section for ${version} is dated 'Unreleased': write the release date, '## [${version}] - YYYY-MM-DD'`
    ])
    expect(releaseProblems('v0.1.0', { ...files, changelog: dated })[0]).toBe(
      `the tag v0.1.0 is not package.json's version ${version}: set it with 'npm version 0.1.0 --no-git-tag-version' and commit, or tag v${version}`
    )
    const readme = files.readme.replaceAll(
      `apim-backend-action@v${major}`,
      `apim-backend-action@v${major + 1}`
    )
    expect(releaseProblems(`v${version}`, { ...files, changelog: dated, readme })).toEqual([
      `README.md tells users to pin @v${major + 1}, but this release moves @v${major}`
    ])
  })

  it('scripts/release stops at a tag that is not the version, before any git or npm work', () => {
    const run = spawnSync('bash', ['scripts/release', '--dry-run', 'v99.0.0'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' }
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(
      `release: the tag v99.0.0 is not package.json's version ${version}`
    )
    expect(run.stderr).toContain('release: v99.0.0 cannot be released as the files stand')
    expect(run.stdout).toBe('')
  })
})
