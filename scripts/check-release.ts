// What a release must agree on: the tag vX.Y.Z, package.json's version, a dated CHANGELOG.md
// section `## [X.Y.Z] - YYYY-MM-DD`, and the major tag the README tells users to pin (`@vX`).
// scripts/release runs it before it tags, the Release workflow on the pushed tag.
// Usage: tsx scripts/check-release.ts vX.Y.Z   (exit 1 and one line per problem)
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export interface ReleaseFiles {
  packageJson: string
  changelog: string
  readme: string
}

export function readReleaseFiles(): ReleaseFiles {
  return {
    packageJson: readFileSync('package.json', 'utf8'),
    changelog: readFileSync('CHANGELOG.md', 'utf8'),
    readme: readFileSync('README.md', 'utf8')
  }
}

/** The major versions a text tells users to pin: `apim-backend-action/apim-backend-action@v1`. */
export function pinnedMajors(text: string): number[] {
  const majors = [...text.matchAll(/apim-backend-action\/apim-backend-action@v(\d+)\b/g)]
  return [...new Set(majors.map((m) => Number(m[1])))]
}

/** The version of a CHANGELOG section heading `## [X.Y.Z] - …`, with what follows the dash. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const escaped = version.replace(/\./g, '\\.')
  return new RegExp(`^## \\[${escaped}\\] - (.+)$`, 'm').exec(changelog)?.[1].trim()
}

/** Why `tag` cannot be released from these files; empty when it can. */
export function releaseProblems(tag: string, files: ReleaseFiles): string[] {
  const version = (JSON.parse(files.packageJson) as { version: string }).version
  const problems: string[] = []
  if (tag !== `v${version}`)
    problems.push(
      `the tag ${tag} is not package.json's version ${version}: set it with 'npm version ${tag.replace(/^v/, '')} --no-git-tag-version' and commit, or tag v${version}`
    )
  const dated = changelogSection(files.changelog, version)
  if (dated === undefined)
    problems.push(`CHANGELOG.md has no section '## [${version}] - YYYY-MM-DD'`)
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(dated))
    problems.push(
      `CHANGELOG.md's section for ${version} is dated '${dated}': write the release date, '## [${version}] - YYYY-MM-DD'`
    )
  const major = Number(version.split('.')[0])
  const pinned = pinnedMajors(files.readme)
  if (pinned.length !== 1 || pinned[0] !== major)
    problems.push(
      `README.md tells users to pin @v${pinned.join(', @v') || '?'}, but this release moves @v${major}`
    )
  return problems
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = releaseProblems(process.argv[2] ?? '', readReleaseFiles())
  for (const problem of problems) process.stderr.write(`release: ${problem}\n`)
  process.exitCode = problems.length > 0 ? 1 : 0
}
