// operation: export — its request, as its rules build it and its handler takes it.
import type { IfExists } from '../../catalog.js'
import type { RequestBase } from '../spec.js'

export interface ExportRequest extends RequestBase {
  operation: 'export'
  /** The backends file to write: inside the workspace, checked before any request. */
  file: ExportFile
  /** What to do when the file exists: fail (default), replace it, or skip (leave it, read nothing). */
  ifExists: IfExists
}

export interface ExportFile {
  /** The `export-file` input as given, for messages. */
  given: string
  /** Its absolute path, its directory's links resolved (inside the workspace). */
  path: string
  /** The file was there when the inputs were read. */
  exists: boolean
}

/** The step after the listing, named for the timeout message (shared/steps.ts). */
export const WRITE_FILE_STEP = 'writing the backends file'

export const RESULTS = ['exported', 'skipped'] as const

export type ExportResult = (typeof RESULTS)[number]

/** One `${NAME}` the file holds in place of a secret: the variable to create, and for what. */
export interface SecretReference {
  name: string
  backendId: string
  /** Where, in the item's keys: `backend-credentials.header.x-api-key`, `url (userinfo)`. */
  field: string
}
