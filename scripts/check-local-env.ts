// `npm run local-action` runs src/main.ts with the inputs of a .env file (@github/local-action).
// Without one, local-action stops with a stack trace; this runs first and says what to do.
// Usage: tsx scripts/check-local-env.ts (in the project's folder; exits 1 without .env).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** What to do when `dir` has no .env; undefined when it has one. */
export function missingEnvAdvice(dir: string): string | undefined {
  if (existsSync(join(dir, '.env'))) return undefined
  return [
    'npm run local-action runs the action with the inputs in .env, and there is no .env here.',
    'Copy the example (its inputs point at the emulator) and start the emulator in another terminal:',
    '',
    '  cp .env.example .env',
    '  npm run emulator -- --port 8443',
    '',
    'then run npm run local-action again. docs/emulator.md says more.'
  ].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const advice = missingEnvAdvice(process.cwd())
  if (advice) {
    process.stderr.write(`${advice}\n`)
    process.exitCode = 1
  }
}
