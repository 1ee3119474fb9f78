// operation: export — its inputs and rules, and the steps it takes. The handler is handler.ts.
// The file is checked here, before any request: inside the workspace (as the `backends` input's
// file is: input-rules/workspace.ts), and not there already unless `if-exists` says what to do.
import { lstatSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { DEFAULT_IF_EXISTS, IF_EXISTS } from '../../catalog.js'
import { isInside, workspacePath } from '../../input-rules/workspace.js'
import { InputError, msg, shown } from '../../messages.js'
import * as check from '../../validators.js'
import { LIST_STEP } from '../shared/steps.js'
import type { OperationSpec } from '../spec.js'
import {
  RESULTS,
  WRITE_FILE_STEP,
  type ExportFile,
  type ExportRequest,
  type ExportResult
} from './types.js'

export const exportBackends: OperationSpec<ExportRequest, ExportResult> = {
  target: 'service',
  results: RESULTS,
  parse(reader, { common }) {
    const ifExists =
      reader.optional('if-exists', (v) => check.oneOf('if-exists', v, IF_EXISTS)) ??
      DEFAULT_IF_EXISTS
    // The workspace as build-batch.ts reads the `backends` file's: the runner's, else here.
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
    const file = reader.optional('export-file', (v) => exportFile(v, workspace))
    if (reader.raw['export-file'] === undefined)
      reader.add(
        new InputError(
          'export-file',
          msg.required(
            ' for operation export: the path, inside the workspace, of the backends file to write'
          )
        )
      )
    if (file?.exists && ifExists === 'fail')
      reader.add(
        new InputError(
          'export-file',
          `${shown(file.given)} exists; set if-exists: replace to replace it, or if-exists: skip to leave it as it is.`
        )
      )
    if (!common || !file) return undefined
    return { operation: 'export', ...common, file, ifExists }
  },
  steps: (request) =>
    request.file.exists && request.ifExists === 'skip' ? [] : [LIST_STEP, WRITE_FILE_STEP],
  load: () => import('./handler.js').then((m) => m.exportBackends)
}

/**
 * Where the file goes: its absolute path with the links of the part that exists resolved, which
 * must lie inside the workspace's real path (a link out of it, `..`, another drive: refused). A
 * directory that does not exist yet is made when the file is written.
 */
export function exportFile(given: string, workspace: string): ExportFile {
  const refuse = (why: string) => new InputError('export-file', `${shown(given)} ${why}`)
  const absolute = workspacePath(given, workspace)
  let workspaceReal: string
  try {
    workspaceReal = realpathSync.native(workspace)
  } catch {
    throw refuse(`cannot be written: the workspace (${workspace}) does not exist.`)
  }
  const outside = refuse(
    `is outside the workspace (${workspace}); the file is written only inside it.`
  )
  let exists = false
  let real: string
  if (existsLink(absolute)) {
    try {
      real = realpathSync.native(absolute)
    } catch {
      throw refuse('is a link to nothing; remove it, or name another file.')
    }
    if (!isInside(real, workspaceReal)) throw outside
    if (!statSync(real).isFile()) throw refuse('is not a file (a directory?); name a file.')
    exists = true
  } else {
    // The nearest directory that exists, its links resolved, and the names under it.
    let dir = path.dirname(absolute)
    while (!existsLink(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir)
    let dirReal: string
    try {
      dirReal = realpathSync.native(dir)
    } catch {
      throw outside
    }
    real = path.join(dirReal, path.relative(dir, absolute))
    if (!isInside(real, workspaceReal)) throw outside
    if (!statSync(dirReal).isDirectory())
      throw refuse(`cannot be written: ${shown(dir)} is a file, not a directory.`)
  }
  return { given, path: real, exists }
}

function existsLink(p: string): boolean {
  try {
    lstatSync(p)
    return true
  } catch {
    return false
  }
}
