// The ARM client: the real @azure/arm-apimanagement client pointed at the chosen endpoint, with
// the token scope pinned, the run's identity in the user agent, and the traffic recorder.
import { ApiManagementClient } from '@azure/arm-apimanagement'
import type { TokenCredential } from '@azure/identity'
import { ARM_SCOPE } from '../catalog.js'
import type { Endpoints } from '../request.js'
import type { Traffic } from './traffic.js'

export function createClient(
  credential: TokenCredential,
  subscriptionId: string,
  endpoints: Endpoints,
  traffic: Traffic,
  userAgentPrefix: string
): ApiManagementClient {
  return new ApiManagementClient(credential, subscriptionId, {
    endpoint: endpoints.arm,
    // Without this a custom endpoint would ask for a token scoped to itself.
    credentialScopes: ARM_SCOPE,
    userAgentOptions: { userAgentPrefix },
    additionalPolicies: [{ policy: traffic.policy, position: 'perRetry' }]
  })
}
