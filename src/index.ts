// Entrypoint for the bundled action (dist/index.js).
import { run } from './main.js'

await run()
// The outcome is written: outputs and the summary are files, written before run() returns; the
// log lines are in stdout. What may still be pending is work the step gave up on when it failed,
// e.g. MSAL retrying an authority that does not answer, or a socket to a silent host: Node would
// wait for it (seconds, or minutes), and the job with it. Flush the log, then end at once.
await Promise.all([flushed(process.stdout), flushed(process.stderr)])
process.exit()

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
