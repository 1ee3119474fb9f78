// The hidden line that finds this action's comment again: an HTML comment (GitHub shows none of
// it), one per service and backends file (plan, a backends step) or per backend (a single-backend
// what-if), so a second run updates its comment instead of adding one. Every value in it is
// percent-encoded, so no value can end the comment (`-->`), break its line or add markup.

/** What one comment is about. */
export interface CommentSubject {
  /** plan, create, update, delete, reset or switch. */
  operation: string
  /** The service's ARM id (/subscriptions/…/service/NAME). */
  service: string
  /** plan and backends steps: the backends input as given when it names a file, else 'inline'. */
  file?: string
  /** A single-backend what-if: the backend id. */
  backendId?: string
}

const PREFIX = 'apim-backend-action'

/**
 * The marker, e.g. `<!-- apim-backend-action plan /subscriptions/…/service/apimservice1 file=apim/backends.yml -->`.
 * ARM ids and backend ids are case-insensitive, so they are written lower-case (two workflows
 * spelling the service differently share one comment); a file path is kept as given.
 */
export function markerOf(subject: CommentSubject): string {
  const parts = [
    PREFIX,
    encode(subject.operation.toLowerCase()),
    encode(subject.service.toLowerCase())
  ]
  if (subject.file !== undefined) parts.push(`file=${encode(subject.file)}`)
  if (subject.backendId !== undefined)
    parts.push(`backend=${encode(subject.backendId.toLowerCase())}`)
  return `<!-- ${parts.join(' ')} -->`
}

/**
 * Letters, digits and `-._~/` as they are; every other character as %XX of its UTF-8 bytes:
 * `>`, `<`, `!`, spaces, line breaks and `%` among them, so `-->` or `--!>` can never form.
 */
export function encode(value: string): string {
  return [...new TextEncoder().encode(value)]
    .map((b) =>
      /[A-Za-z0-9\-._~/]/.test(String.fromCharCode(b)) && b < 0x80
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    )
    .join('')
}
