// The steps each operation takes, named for the timeout message ("Done: … Not done: …").
// Kept apart from the handlers so the sign-in chunk can plan them without loading the SDK.
import type { ActionRequest } from '../request.js'

export const READ_STEP = 'read the backend'
export const WRITE_STEP = 'write the backend'
export const UPDATE_STEP = 'update the connection settings'
export const RECONNECT_STEP = 'request the reconnect'
export const WAIT_STEP = 'wait for the reconnect'
export const DELETE_STEP = 'delete the backend'
export const LIST_STEP = 'list the backends'

export function stepsOf(request: ActionRequest): string[] {
  const write = (step: string) => ('whatIf' in request && request.whatIf ? [] : [step])
  switch (request.operation) {
    case 'create':
      return [READ_STEP, ...write(WRITE_STEP)]
    case 'update':
      return [READ_STEP, ...write(WRITE_STEP)]
    case 'reset':
      return [
        READ_STEP,
        ...(request.updates ? write(UPDATE_STEP) : []),
        ...write(RECONNECT_STEP),
        ...(request.wait && !request.whatIf ? [WAIT_STEP] : [])
      ]
    case 'get':
      return [READ_STEP]
    case 'delete':
      return [READ_STEP, ...write(DELETE_STEP)]
    case 'list':
      return [LIST_STEP]
  }
}
