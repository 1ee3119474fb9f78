// The steps each operation takes, named for the timeout message ("Done: … Not done: …").
// Kept apart from the handlers so the sign-in chunk can plan them without loading the SDK.
import type { ResetRequest } from '../request.js'

export const READ_STEP = 'read the backend'
export const WRITE_STEP = 'write the backend'
export const UPDATE_STEP = 'update the connection settings'
export const RECONNECT_STEP = 'request the reconnect'

export function createSteps(): string[] {
  return [READ_STEP, WRITE_STEP]
}

export function resetSteps(request: ResetRequest): string[] {
  return [READ_STEP, ...(request.updates ? [UPDATE_STEP] : []), RECONNECT_STEP]
}
