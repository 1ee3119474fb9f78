// A file an input names inside the workspace (GITHUB_WORKSPACE), on every hosted runner: Linux,
// macOS (a case-insensitive file system) and Windows (drive letters, backslashes, and files
// saved by Windows editors or PowerShell with a byte-order mark). The rules take the platform's
// path functions, so the Windows ones are tested on any machine (path.win32).
import path from 'node:path'

type PathApi = Pick<typeof path, 'isAbsolute' | 'relative' | 'resolve' | 'sep'>

/** The absolute path a value names: as it is when absolute, else from the workspace. */
export function workspacePath(value: string, workspace: string, p: PathApi = path): string {
  return p.isAbsolute(value) ? p.resolve(value) : p.resolve(workspace, value)
}

/**
 * Whether a file's real path lies inside the workspace's real path. Both come from the native
 * realpath, which spells each name as the file system stores it (macOS, Windows: the case on
 * disk; Windows: the drive letter, mapped drives and junctions resolved), so one path spelt two
 * ways is one path; path.win32 compares without case as well. A file on another drive is
 * outside (path.relative answers with the file's own absolute path), and so is `..` and what is
 * under it, but not a name that merely starts with two dots (`..backends.yml`).
 */
export function isInside(real: string, workspaceReal: string, p: PathApi = path): boolean {
  const inside = p.relative(workspaceReal, real)
  return (
    inside !== '' && inside !== '..' && !inside.startsWith(`..${p.sep}`) && !p.isAbsolute(inside)
  )
}

/**
 * A text file's contents: UTF-8, with a byte-order mark dropped (Notepad writes one), or UTF-16
 * when its byte-order mark says so (Windows PowerShell 5.1's `>` and Out-File write UTF-16LE).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
  // TextDecoder drops a UTF-8 byte-order mark unless asked not to.
  return new TextDecoder('utf-8').decode(bytes)
}
