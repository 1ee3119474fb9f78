// The names of the steps operations take, for the timeout message ("Done: … Not done: …").
// Each operation lists its own steps in its rules.ts, apart from its handler, so they are
// planned without loading the SDK.

export const READ_STEP = 'read the backend'
export const WRITE_STEP = 'write the backend'
export const UPDATE_STEP = 'update the connection settings'
export const RECONNECT_STEP = 'request the reconnect'
export const WAIT_STEP = 'wait for the reconnect'
export const DELETE_STEP = 'delete the backend'
export const LIST_STEP = 'list the backends'
export const HEALTH_STEP = 'probe the health URL'
export const ROLLBACK_STEP = 'roll back'
