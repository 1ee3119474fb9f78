// One emulator per test file (jest hooks; kept apart from scenario.ts so scripts can share that).
import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { ApimEmulator, type EmulatorOptions } from '../../emulator/server.js'

/**
 * One emulator for a test file, emptied before each test. Returns a getter because the
 * emulator exists only once beforeAll has run.
 */
export function useEmulator(options?: EmulatorOptions): () => ApimEmulator {
  let emulator: ApimEmulator | undefined
  beforeAll(async () => {
    emulator = await ApimEmulator.start(options)
  })
  afterAll(() => emulator?.stop())
  beforeEach(() => emulator?.reset())
  return () => emulator as ApimEmulator
}
