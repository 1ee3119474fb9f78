// A PATH chosen by the test, never the host's: GitHub-hosted runners have `az` installed and
// logged out (docs/runner.md), a developer machine may have it logged in, a CI image may
// not have it at all. Each directory holds only what the situation needs, and its `az` needs
// nothing from PATH (AzureCliCredential runs `az` through /bin/sh -c).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export type AzOnPath =
  /** no az at all: a self-hosted runner without the Azure CLI */
  | 'none'
  /** az installed, nobody logged in: a hosted runner without an azure/login step */
  | 'logged-out'
  /** the emulator's az stand-in (emulator/az-standin/az.mjs): a session from azure/login */
  | 'session'

const made = new Map<AzOnPath, string>()

/** A PATH of one fresh directory with the `az` the situation calls for. */
export function runnerPath(az: AzOnPath): string {
  const known = made.get(az)
  if (known) return known
  const dir = mkdtempSync(join(tmpdir(), `apim-path-${az}-`))
  const script =
    az === 'logged-out'
      ? // What `az account get-access-token` prints before any `az login` (azure-cli 2.x).
        `#!/bin/sh\necho "ERROR: Please run 'az login' to setup account." >&2\nexit 1\n`
      : az === 'session'
        ? `#!/bin/sh\nexec '${process.execPath}' '${resolve('emulator/az-standin/az.mjs')}' "$@"\n`
        : undefined
  if (script !== undefined) {
    writeFileSync(join(dir, 'az'), script)
    chmodSync(join(dir, 'az'), 0o755)
  }
  made.set(az, dir)
  return dir
}
