// operation: export — the service's backends written as a backends file (the `backends` input's
// items), so that `plan` with that file reports every backend unchanged. Reads only: one listing,
// every page, no GET per backend. Secrets are never written: each becomes a `${NAME}` reference,
// and the log and the summary name the variables to create. The file is written whole or not at
// all (a temporary file beside it, renamed over it).
import { Document } from 'yaml'
import { backendsScopeId, scopeName } from '../../input-rules/model.js'
import { FileAppearedError, writeWholeFile } from '../../input-rules/workspace-files.js'
import { ActionError, shown } from '../../messages.js'
import * as workflow from '../../workflow.js'
import type { OperationContext, OperationResult, SummaryCell } from '../shared/context.js'
import { listAll } from '../shared/list-all.js'
import { SecretNames } from './secret-names.js'
import { toItem, type ExportedItem } from './to-item.js'
import {
  WRITE_FILE_STEP,
  type ExportRequest,
  type ExportResult,
  type SecretReference
} from './types.js'

/** Rows of the summary's table of variables; the log and the results output name every one. */
export const SECRET_ROWS = 200

export async function exportBackends(
  ctx: OperationContext,
  request: ExportRequest
): Promise<OperationResult<ExportResult>> {
  const { file } = request
  if (file.exists && request.ifExists === 'skip') {
    workflow.info(`${shown(file.given)} exists; left as it is (if-exists: skip), nothing read.`)
    return {
      result: 'skipped',
      summary: [
        { row: 'Export file', value: `${file.given}: exists, left as it is (if-exists: skip)` }
      ]
    }
  }
  const listed = await listAll(ctx)
  const names = new SecretNames()
  // Pool members beside the backend (the service's, or the workspace's) are written as ids.
  const serviceId = backendsScopeId(ctx.target)
  const items = listed.map((b) => toItem(b, serviceId, names))

  ctx.deadline.start(WRITE_FILE_STEP)
  writeAtomically(file.path, fileText(ctx, items), request.ifExists === 'replace', file.given)
  ctx.deadline.done(WRITE_FILE_STEP)

  const secrets = items.flatMap((i) => i.secrets)
  const count = `${items.length} backend${items.length === 1 ? '' : 's'}`
  workflow.info(`Exported ${count} of ${scopeName(ctx.target)} to ${shown(file.given)}.`)
  if (items.length === 0)
    workflow.warning(
      `${scopeName(ctx.target)} has no backends: the file holds an empty list, which plan and create refuse until it names one.`
    )
  for (const i of items)
    if (i.leftOut.length > 0)
      workflow.warning(
        `backend '${i.backendId}': ${i.leftOut.join(', ')} ${i.leftOut.length === 1 ? 'has' : 'have'} no key in a backends file and ${i.leftOut.length === 1 ? 'is' : 'are'} not exported; a plan of the file will show ${i.leftOut.length === 1 ? 'it' : 'them'} changed.`
      )
  if (secrets.length > 0) {
    workflow.info(
      `The file reads ${secrets.length} secret${secrets.length === 1 ? '' : 's'} from environment variables; create each as a secret and pass it to the step that reads the file (env: NAME: the secret):`
    )
    for (const s of secrets) workflow.info(`  ${s.name}: backend '${s.backendId}', ${s.field}`)
  }
  return {
    result: 'exported',
    outputs: {
      results: JSON.stringify(
        items.map((i) => ({
          'backend-id': i.backendId,
          result: 'exported',
          secrets: i.secrets.map((s) => s.name)
        }))
      )
    },
    summary: summaryOf(count, file.given, secrets)
  }
}

function summaryOf(count: string, given: string, secrets: SecretReference[]) {
  const rows: SummaryCell[][] = secrets.map((s) => [
    { code: s.name },
    { code: s.backendId },
    { code: s.field }
  ])
  return [
    { row: 'Exported', value: `${count} to ${given}` },
    {
      row: 'Secrets in the file',
      value:
        secrets.length === 0
          ? 'none'
          : `${secrets.length} \${NAME} references: create each as a secret, and pass it to the step that reads the file as env: NAME`
    },
    ...(secrets.length === 0
      ? []
      : [
          {
            head: ['Environment variable', 'Backend id', 'Field'],
            rows: rows.slice(0, SECRET_ROWS),
            note:
              secrets.length > SECRET_ROWS
                ? `… and ${secrets.length - SECRET_ROWS} more; the log and the results output name every one.`
                : undefined
          }
        ])
  ]
}

/** The file: a header comment, then the items as a YAML list. */
export function fileText(ctx: Pick<OperationContext, 'target'>, items: ExportedItem[]): string {
  const t = ctx.target
  const doc = new Document(
    items.map((i) => i.item),
    { aliasDuplicateObjects: false }
  )
  const whose =
    t.workspace === undefined
      ? `the API Management service '${t.serviceName}'`
      : `workspace '${t.workspace}' of the API Management service '${t.serviceName}'`
  doc.commentBefore = [
    ` Backends of ${whose} (resource group '${t.resourceGroup}',`,
    ` subscription ${t.subscriptionId}), exported by apim-backend-action (operation: export).`,
    ' A value ${NAME} is read from the environment variable NAME of the step that reads this file',
    ' (pass the secret there: env: NAME); $${ is a literal ${. Read it with `backends:` (plan, create).'
  ].join('\n')
  return doc.toString({ lineWidth: 0 })
}

/** The file, whole or not at all (writeWholeFile); a failure says the old file is as it was. */
function writeAtomically(file: string, text: string, replace: boolean, given: string): void {
  try {
    writeWholeFile(file, text, replace)
  } catch (e) {
    if (e instanceof FileAppearedError)
      throw new ActionError(
        `${shown(given)} was created while the step ran; set if-exists: replace to replace it.`
      )
    throw new ActionError(
      `Writing ${shown(given)} failed, and the file is as it was: ${e instanceof Error ? e.message : String(e)}`
    )
  }
}
