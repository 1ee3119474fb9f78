// Entrypoint for the bundled action (dist/index.js). It sets two process-wide switches, then
// loads the action: both apply only to modules loaded after them, so everything else, main.ts
// included, is imported here dynamically (ncc puts it in chunks; dist/index.js stays a few kB).
import module from 'node:module'
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

enableCompileCache()
// Stack traces through dist/*.js.map, when a maintainer re-runs the job with debug logging.
// Not always: Node then reads and parses the maps of every chunk it loads.
if (process.env.RUNNER_DEBUG === '1') process.setSourceMapsEnabled(true)

const { run } = await import('./main.js')
await run()
// The outcome is written: outputs and the summary are files, written before run() returns; the
// log lines are in stdout. What may still be pending is work the step gave up on when it failed,
// e.g. MSAL retrying an authority that does not answer, or a socket to a silent host: Node would
// wait for it (seconds, or minutes), and the job with it. Flush the log, then end at once.
await Promise.all([flushed(process.stdout), flushed(process.stderr)])
process.exit()

/**
 * Node's compile cache (Node ≥ 22.1) keeps V8's compiled code of the chunks, so a second run of
 * the action in the same job skips most of the parsing (measured in `npm run bench`). It lives
 * in RUNNER_TEMP, which belongs to the job: the runner empties it before and after each job.
 * Without RUNNER_TEMP (not on a runner) there is no cache, rather than one in a shared temp
 * directory where another user could plant compiled code. Node 20 has no compile cache; a
 * directory that cannot be made leaves the action uncached, never failing.
 *
 * The directory is made here, one level, before Node is asked to use it: Node's own recursive
 * mkdir (behind enableCompileCache and fs.mkdirSync's `recursive`) spins forever when mkdir keeps
 * answering ENOENT, as it does under /proc (seen on Node 24.21), and a hung step would hold
 * the job for hours. With the parent made, Node's mkdir of its subdirectory cannot get ENOENT.
 */
function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache
  const temp = process.env.RUNNER_TEMP
  if (!enable || !temp) return
  try {
    if (!statSync(temp).isDirectory()) return
    const dir = join(temp, 'apim-backend-action-compile-cache')
    try {
      mkdirSync(dir)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return
    }
    enable(dir)
  } catch {
    // Uncached is only slower.
  }
}

/** Resolves once everything written to the stream so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // A reader that never drains must not hold the step either.
    const giveUp = setTimeout(resolve, 2000)
    giveUp.unref()
    stream.write('', () => {
      clearTimeout(giveUp)
      resolve()
    })
  })
}
