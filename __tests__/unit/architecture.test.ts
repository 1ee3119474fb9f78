// docs/architecture.md tells a newcomer where the next operation, input, output or emulator rule
// goes: each of those is there, and every file it names exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { OUTPUTS } from '../../src/catalog.js'

const doc = readFileSync('docs/architecture.md', 'utf8')
const whereToAdd = doc.slice(
  doc.indexOf('## Where to add'),
  doc.indexOf('\n## ', doc.indexOf('## Where to add') + 1)
)

describe('docs/architecture.md: where to add', () => {
  it.each(['An operation', 'An input', 'An output', 'An emulator rule'])(
    'says where %s goes',
    (what) => {
      expect(whereToAdd).toContain(`- **${what}**:`)
    }
  )

  it('names only files that exist', () => {
    const files = [
      ...whereToAdd.matchAll(/`((?:src|scripts|__tests__|emulator|\.github)\/[^`<]+?\.\w+)`/g)
    ].map((m) => m[1])
    expect(files).toEqual(
      expect.arrayContaining(['src/outputs.ts', 'src/operations/shared/context.ts'])
    )
    expect(files.filter((f) => !existsSync(f))).toEqual([])
  })
})

describe('operations own their outputs and summary parts', () => {
  // Written by writeOutputs for every operation; every other output is an operation's own.
  const COMMON = ['backend', 'backend-id', 'etag', 'result', 'reset-at', 'changes', 'results']
  const shared = ['src/outputs.ts', 'src/report.ts', 'src/summary.ts'].map((f) => [
    f,
    readFileSync(f, 'utf8')
  ])

  it.each(OUTPUTS.filter((name) => !COMMON.includes(name)))(
    "the shared entry files never name the output '%s'",
    (name) => {
      const naming = shared.filter(([, text]) => new RegExp(`['.]${name}\\b`).test(text))
      expect(naming.map(([f]) => f)).toEqual([])
    }
  )
})

describe('one way to the backend API', () => {
  // A step with `workspace` must send nothing outside the workspace: every backend call goes
  // through backend-api.ts, which picks client.backend or client.workspaceBackend.
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `src/${f}`)

  it('only operations/shared/backend-api.ts calls the SDK’s backend operations', () => {
    const calling = files.filter(
      (f) =>
        f !== 'src/operations/shared/backend-api.ts' &&
        /client\.(backend|workspaceBackend|apiManagementService|workspace)\b/.test(
          readFileSync(f, 'utf8')
        )
    )
    expect(calling).toEqual([])
  })
})
