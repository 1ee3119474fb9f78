// The same workflow on ubuntu-latest, windows-latest and macos-latest: a `backends` file in the
// workspace named with backslashes or another case, saved with CRLF and a byte-order mark, and
// the Azure CLI installed as az.cmd. The rules take the platform's path functions, so the
// Windows ones run here through path.win32.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { parse } from 'yaml'
import { readInfo, stepFiles } from '../../scripts/ci-emulator.js'
import { onPath } from '../../src/auth-plan.js'
import type { CreateRequest } from '../../src/operations/create/types.js'
import { decodeText, isInside, workspacePath } from '../../src/input-rules/workspace.js'
import { Secrets } from '../../src/secrets.js'
import { buildBatch } from '../../src/step/build-batch.js'
import { parseYamlOrJson } from '../../src/structured/parse.js'
import { create } from '../helpers/raw-inputs.js'

jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

const { win32, posix } = path
const WORKSPACE = 'D:\\a\\orders\\orders'

describe('a backends file in the workspace of a Windows runner', () => {
  it.each([
    ['apim\\backends.yml', 'D:\\a\\orders\\orders\\apim\\backends.yml'],
    ['apim/backends.yml', 'D:\\a\\orders\\orders\\apim\\backends.yml'],
    ['.\\apim\\..\\backends.yml', 'D:\\a\\orders\\orders\\backends.yml'],
    ['D:\\a\\orders\\orders\\apim\\backends.yml', 'D:\\a\\orders\\orders\\apim\\backends.yml'],
    ['D:/a/orders/orders/backends.yml', 'D:\\a\\orders\\orders\\backends.yml']
  ])('backends: %s is %s', (value, file) => {
    expect(workspacePath(value, WORKSPACE, win32)).toBe(file)
  })

  it.each([
    ['a file in a folder of the workspace', 'D:\\a\\orders\\orders\\apim\\backends.yml', true],
    ['the workspace spelt in another case', 'd:\\A\\ORDERS\\orders\\backends.yml', true],
    ['a name that starts with two dots', 'D:\\a\\orders\\orders\\..backends.yml', true],
    ['a file on another drive', 'C:\\Windows\\win.ini', false],
    ['a sibling folder', 'D:\\a\\orders\\orders-old\\backends.yml', false],
    ['the parent folder', 'D:\\a\\orders\\backends.yml', false],
    ['a network share', '\\\\server\\share\\backends.yml', false],
    ['the workspace itself', 'D:\\a\\orders\\orders', false]
  ])('%s: inside is %s', (_, file, inside) => {
    expect(isInside(file, WORKSPACE, win32)).toBe(inside)
  })

  it('on Linux and macOS too, a name that starts with two dots is inside, a sibling is not', () => {
    const ws = '/home/runner/work/orders/orders'
    expect(isInside(`${ws}/..backends.yml`, ws, posix)).toBe(true)
    expect(isInside(`${ws}/apim/backends.yml`, ws, posix)).toBe(true)
    expect(isInside(`${ws}-old/backends.yml`, ws, posix)).toBe(false)
    expect(isInside('/etc/passwd', ws, posix)).toBe(false)
  })
})

describe('a backends file saved on Windows', () => {
  const list =
    '- backend-id: a\r\n  url: https://a.example.com\r\n  description: |\r\n    Orders\r\n    API\r\n'
  const expected = [
    { 'backend-id': 'a', url: 'https://a.example.com', description: 'Orders\nAPI\n' }
  ]
  const utf8 = Buffer.from(list, 'utf8')
  const bom = Buffer.from([0xef, 0xbb, 0xbf])
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(list, 'utf16le')])
  const utf16be = Buffer.from(utf16le.map((_, i) => utf16le[i ^ 1]))

  it.each([
    ['UTF-8 with CRLF line ends', utf8],
    ['UTF-8 with a byte-order mark (Notepad)', Buffer.concat([bom, utf8])],
    ["UTF-16LE (Windows PowerShell's > and Out-File)", utf16le],
    ['UTF-16BE', utf16be]
  ])('%s: reads as the same list, no \\r in any value', (_, bytes) => {
    expect(parseYamlOrJson('backends', decodeText(bytes))).toEqual(expected)
  })

  const dir = mkdtempSync(path.join(tmpdir(), 'ws-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each([
    ['apim/backends.yml', Buffer.concat([bom, utf8])],
    ['apim/..backends.yml', utf16le]
  ])('backends: %s, read from the workspace', (name, bytes) => {
    mkdirSync(path.join(dir, 'apim'), { recursive: true })
    writeFileSync(path.join(dir, name), bytes)
    const raw = { ...create({}), backends: name }
    delete raw['backend-id']
    const batch = buildBatch(raw, new Secrets(), { GITHUB_WORKSPACE: dir })
    expect(batch.items.map((i) => i.target.backendId)).toEqual(['a'])
    expect((batch.items[0] as CreateRequest).backend.description).toBe('Orders\nAPI')
  })
})

describe('the Azure CLI on PATH, for auth-type auto', () => {
  const WBIN = 'C:\\Program Files\\Microsoft SDKs\\Azure\\CLI2\\wbin'
  const files =
    (...present: string[]) =>
    (file: string) =>
      present.includes(file)

  it('Windows: az.cmd, found through PATHEXT in a quoted entry of Path', () => {
    const env = { Path: `C:\\Windows\\system32;"${WBIN}"`, PATHEXT: '.COM;.EXE;.BAT;.CMD' }
    expect(onPath('az', env, 'win32', files(`${WBIN}\\az.cmd`))).toBe(true)
  })

  it('Windows: the extensionless az (for Git Bash) alone is not a command cmd.exe runs', () => {
    expect(onPath('az', { PATH: WBIN }, 'win32', files(`${WBIN}\\az`))).toBe(false)
  })

  it('Windows: without PATHEXT, the default extensions', () => {
    expect(onPath('az', { PATH: WBIN }, 'win32', files(`${WBIN}\\az.cmd`))).toBe(true)
  })

  it('Linux and macOS: az in a PATH entry; names are case-sensitive, empty entries skipped', () => {
    expect(onPath('az', { PATH: '::/usr/bin:/opt/az/bin' }, 'linux', files('/opt/az/bin/az'))).toBe(
      true
    )
    expect(onPath('az', { Path: '/opt/az/bin' }, 'darwin', files('/opt/az/bin/az'))).toBe(false)
    expect(onPath('az', { PATH: '/opt/az/bin' }, 'linux', files('/opt/az/bin/az.cmd'))).toBe(false)
  })
})

describe('CI runs the action as a step on every hosted runner', () => {
  const ci = parse(readFileSync('.github/workflows/ci.yml', 'utf8')) as {
    jobs: Record<
      string,
      {
        'runs-on': string
        strategy?: { matrix?: { os?: string[] } }
        defaults?: { run?: { shell?: string } }
        steps: { uses?: string; run?: string; shell?: string }[]
      }
    >
  }
  const job = ci.jobs.action

  it('on ubuntu-latest, windows-latest and macos-latest, each step in bash or node', () => {
    expect(job['runs-on']).toBe('${{ matrix.os }}')
    expect(job.strategy?.matrix?.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest'])
    expect(job.defaults?.run?.shell).toBe('bash')
    expect(job.steps.filter((s) => s.uses === './').length).toBeGreaterThanOrEqual(8)
    for (const step of job.steps.filter((s) => s.run))
      expect([undefined, 'node {0}']).toContain(step.shell)
  })

  it('with no tool a runner may lack or spell differently: jq, GNU date, curl, a job in &', () => {
    const scripts = job.steps.map((s) => s.run ?? '').join('\n')
    expect(scripts).not.toMatch(/\bjq\b|\bdate -d|\bcurl\b|&\s*$|\bcase "\$cert"/m)
    expect(scripts).toContain('npx tsx scripts/ci-emulator.ts')
  })

  it("hands the emulator's certificate to the action's steps as a path of the runner's platform", () => {
    const info = {
      url: 'https://127.0.0.1:50123',
      tenantId: 't',
      subscriptionId: 's',
      resourceGroup: 'rg1',
      serviceName: 'apim',
      certPath: '.emulator\\cert.pem',
      env: { AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 'x' }
    }
    const windows = stepFiles(info, 'D:\\a\\apim\\apim', win32)
    expect(windows.env).toBe('NODE_EXTRA_CA_CERTS=D:\\a\\apim\\apim\\.emulator\\cert.pem\n')
    expect(windows.output).toContain('url=https://127.0.0.1:50123\nsubscription-id=s\n')
    const macos = stepFiles(
      { ...info, certPath: '/Users/runner/work/apim/apim/.emulator/cert.pem' },
      '/x',
      posix
    )
    expect(macos.env).toBe('NODE_EXTRA_CA_CERTS=/Users/runner/work/apim/apim/.emulator/cert.pem\n')
  })

  it("reads the emulator's JSON line only once it is written in full", () => {
    expect(readInfo('')).toBeUndefined()
    expect(readInfo('{"url": "https://127.0.0.1:1"')).toBeUndefined()
    expect(readInfo('{"url": "https://127.0.0.1:1"}\r\n')).toMatchObject({
      url: 'https://127.0.0.1:1'
    })
  })
})
