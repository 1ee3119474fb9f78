// The inputs of a create or reset step as the runner hands them to the action (RawInputs), for
// the unit tests that validate requests without a network.
import type { RawInputs } from '../../src/inputs.js'

export const SUB = '00000000-0000-0000-0000-000000000000'
export const CLIENT = '11111111-1111-1111-1111-111111111111'
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'

/** The service and a client-secret sign-in: what every step has. */
export const base: RawInputs = {
  'subscription-id': SUB,
  'resource-group': 'rg1',
  'service-name': 'apimService1',
  'client-id': CLIENT,
  'tenant-id': TENANT,
  'client-secret': 'emulator-client-secret'
}

export const create = (extra: RawInputs): RawInputs => ({
  operation: 'create',
  'backend-id': 'b1',
  url: 'https://backend.example.com/api',
  protocol: 'http',
  ...base,
  ...extra
})

export const reset = (extra: RawInputs): RawInputs => ({
  operation: 'reset',
  'backend-id': 'b1',
  ...base,
  ...extra
})
