// operation: export — its inputs and rules, and the steps it takes. The handler is handler.ts.
// The file is checked here, before any request: inside the workspace (as every file an input
// names: input-rules/workspace-files.ts), and not there already unless `if-exists` says what to do.
import { existsSync } from 'node:fs'
import { DEFAULT_IF_EXISTS, IF_EXISTS } from '../../catalog.js'
import { outputFilePath } from '../../input-rules/workspace-files.js'
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
  parse(reader, { common, env }) {
    const ifExists =
      reader.optional('if-exists', (v) => check.oneOf('if-exists', v, IF_EXISTS)) ??
      DEFAULT_IF_EXISTS
    const file = reader.optional('export-file', (given): ExportFile => {
      const path = outputFilePath('export-file', given, env)
      return { given, path, exists: existsSync(path) }
    })
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
