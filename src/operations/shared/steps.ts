// The names of the steps operations take, for the timeout message: "Timed out … while writing
// the backend. Done: signing in; reading the backend. Not done: writing the backend." Gerunds,
// so a name reads well after "while" and in the lists. Each operation lists its own steps in its
// rules.ts, apart from its handler, so they are planned without loading the SDK.

export const SIGN_IN_STEP = 'signing in'
export const READ_STEP = 'reading the backend'
export const WRITE_STEP = 'writing the backend'
export const UPDATE_STEP = 'updating the connection settings'
export const RECONNECT_STEP = 'requesting the reconnect'
export const WAIT_STEP = 'waiting for the reconnect'
export const DELETE_STEP = 'deleting the backend'
export const LIST_STEP = 'listing the backends'
export const HEALTH_STEP = 'probing the health URL'
export const ROLLBACK_STEP = 'rolling back'
export const ROLLBACK_RECONNECT_STEP = 'requesting the reconnect after the rollback'
