// The Azure SDK's own loggers (@azure/logger, shared by the APIM client, @azure/identity and,
// through it, MSAL; and @typespec/ts-http-runtime's, under the HTTP pipeline) are switched on by
// AZURE_LOG_LEVEL or TYPESPEC_RUNTIME_LOG_LEVEL, and also by DEBUG=azure* or DEBUG=*, which jobs
// set for other tools. It writes response headers to stderr as they came, and the runner reads stderr
// for workflow commands too: a header carrying `##[stop-commands]…` would pause the runner's
// parser and unmask the next secret. Its lines go through the action's own writer instead:
// redacted and inert, like every other line.
import { AzureLogger } from '@azure/logger'
import { TypeSpecRuntimeLogger } from '@typespec/ts-http-runtime'
import { format } from 'node:util'
import * as workflow from '../workflow.js'

export function routeSdkLog(): void {
  // Each logger's children call their root's log, so the two roots catch every line.
  for (const root of [AzureLogger, TypeSpecRuntimeLogger])
    root.log = (...args: unknown[]) => workflow.info(format(...args))
}
