// Files that inputs name inside the workspace (GITHUB_WORKSPACE): one read (the backends file, a
// saved plan) and one written (a saved plan). A step must not be talked into reading or writing
// the runner's other files, so each real path is checked against the workspace's (workspace.ts).
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync
} from 'node:fs'
import path from 'node:path'
import type { InputName } from '../catalog.js'
import { InputError, msg, shown } from '../messages.js'
import { decodeText, isInside, workspacePath } from './workspace.js'

const workspaceOf = (env: NodeJS.ProcessEnv) => env.GITHUB_WORKSPACE ?? process.cwd()

/** The text of the file an input names, refused outside the workspace or beyond `max` bytes. */
export function readInputFile(
  input: InputName,
  value: string,
  env: NodeJS.ProcessEnv,
  max: number,
  /** What the value is not, for the message when there is no such file. */
  isNot = 'not a file'
): string {
  const workspace = workspaceOf(env)
  let real: string
  try {
    real = realpathSync.native(workspacePath(value, workspace))
    if (!statSync(real).isFile()) throw new Error('not a file')
  } catch {
    throw new InputError(input, `${shown(value)} is ${isNot} in the workspace (${workspace}).`)
  }
  if (!isInside(real, realpathSync.native(workspace)))
    throw new InputError(
      input,
      `${shown(value)} is outside the workspace (${workspace}); only files inside it are read.`
    )
  return readBounded(input, real, value, max)
}

/**
 * The absolute path of a file an input names for the step to write: inside the workspace (its
 * nearest existing folder, and the file itself when it exists, resolved through links), and not
 * a folder. Its missing folders are created when it is written.
 */
export function outputFilePath(input: InputName, value: string, env: NodeJS.ProcessEnv): string {
  const workspace = workspaceOf(env)
  const file = workspacePath(value, workspace)
  let existing = file
  while (!existsSync(existing) && path.dirname(existing) !== existing)
    existing = path.dirname(existing)
  let real: string
  try {
    real = realpathSync.native(existing)
  } catch {
    throw new InputError(
      input,
      `${shown(value)} cannot be resolved in the workspace (${workspace}).`
    )
  }
  const inside =
    existing === file
      ? isInside(real, realpathSync.native(workspace))
      : real === realpathSync.native(workspace) || isInside(real, realpathSync.native(workspace))
  if (!inside)
    throw new InputError(
      input,
      `${shown(value)} is outside the workspace (${workspace}); files are written only inside it.`
    )
  if (existing === file && !statSync(real).isFile())
    throw new InputError(input, `${shown(value)} is a folder; a file path is expected.`)
  return existing === file ? real : path.join(real, path.relative(existing, file))
}

/** Thrown by writeWholeFile when, without `replace`, the file appeared while the step ran. */
export class FileAppearedError extends Error {}

/**
 * Write the whole text or nothing (a saved plan, an export): into a new file beside the target
 * (same directory, so the rename cannot cross file systems; a random name opened with 'wx', so
 * no link can be waiting at it), flushed to disk, then renamed over the target. Without
 * `replace`, a file that appeared since the inputs were read is left alone (FileAppearedError).
 * On any failure the temporary file is removed and the target is as it was.
 */
export function writeWholeFile(file: string, text: string, replace: boolean): void {
  const dir = path.dirname(file)
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    mkdirSync(dir, { recursive: true })
    const fd = openSync(temp, 'wx', 0o644)
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    if (!replace && existsSync(file)) throw new FileAppearedError(file)
    renameSync(temp, file)
  } catch (e) {
    rmSync(temp, { force: true })
    throw e
  }
}

/**
 * A file's text, refused by its size before it is read (a 5 MiB file once ran Node out of
 * memory in the parser); at most one byte more than the limit is read, so a file that grows
 * in between is refused too.
 */
function readBounded(input: InputName, real: string, value: string, max: number): string {
  const fd = openSync(real, 'r')
  try {
    const size = fstatSync(fd).size
    if (size > max) throw new InputError(input, msg.fileTooLarge(value, size, max))
    const buffer = Buffer.alloc(max + 1)
    let read = 0
    for (let n = -1; n !== 0 && read < buffer.length; read += n)
      n = readSync(fd, buffer, read, buffer.length - read, null)
    if (read > max) throw new InputError(input, msg.fileTooLarge(value, read, max))
    return decodeText(buffer.subarray(0, read))
  } finally {
    closeSync(fd)
  }
}
