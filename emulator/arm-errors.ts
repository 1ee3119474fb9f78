// Every ARM/APIM error the emulator can answer, in one place, with the texts Azure Resource
// Manager and API Management use (where a real text is known; see the notes beside the others).
import { EmuResponse, jsonResponse } from './http.js'

export const API_VERSION = '2024-05-01'

export const ALLOWED_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com'
]

export interface ErrorDetail {
  code: string
  target?: string
  message: string
}

/** `details`: undefined leaves the key out; null writes `"details": null`, as APIM does. */
export function armError(
  status: number,
  code: string,
  message: string,
  details?: ErrorDetail[] | null,
  headers: Record<string, string> = {}
): EmuResponse {
  const error: Record<string, unknown> = { code, message }
  if (details !== undefined) error.details = details
  return jsonResponse(status, { error }, headers)
}

/** Default envelope texts for injected faults that give only a status. */
export function defaultFaultError(status: number): { code: string; message: string } {
  const known: Record<number, { code: string; message: string }> = {
    408: { code: 'RequestTimeout', message: 'The request timed out.' },
    409: { code: 'Conflict', message: 'The request conflicts with the current state.' },
    412: { code: 'PreconditionFailed', message: 'The precondition given in the request failed.' },
    // 'TooManyRequests' is one of the codes seen on ARM 429s (MicrosoftDocs/azure-docs#105248).
    429: {
      code: 'TooManyRequests',
      message:
        "The request is being throttled as the limit has been reached for operation type - 'Write'."
    },
    500: { code: 'InternalServerError', message: 'An internal server error occurred.' },
    502: { code: 'BadGateway', message: 'The gateway did not receive a response in time.' },
    503: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' },
    504: { code: 'GatewayTimeout', message: 'The gateway did not receive a response in time.' }
  }
  return known[status] ?? { code: `Http${status}`, message: `Injected fault ${status}.` }
}

// --- authentication (ARM front door) ---

function challenge(baseUrl: string, tenantId: string, description: string): Record<string, string> {
  return {
    'www-authenticate': `Bearer authorization_uri="${baseUrl}/${tenantId}", error="invalid_token", error_description="${description}"`
  }
}

export const authErrors = {
  missingHeader: (baseUrl: string, tenantId: string) =>
    armError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      undefined,
      challenge(
        baseUrl,
        tenantId,
        "The authentication failed because of missing 'Authorization' header."
      )
    ),
  badHeaderFormat: (baseUrl: string, tenantId: string) =>
    armError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      undefined,
      challenge(baseUrl, tenantId, "The 'Authorization' header is provided in an invalid format.")
    ),
  invalidToken: (baseUrl: string, tenantId: string) =>
    armError(
      401,
      'InvalidAuthenticationToken',
      'The access token is invalid.',
      undefined,
      challenge(baseUrl, tenantId, 'The access token is invalid.')
    ),
  wrongIssuer: (baseUrl: string, tenantId: string, issuer: string) =>
    armError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer '${issuer}'. It must match the tenant 'https://sts.windows.net/${tenantId}/' associated with this subscription. Please use the authority (URL) '${baseUrl}/${tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
      undefined,
      challenge(baseUrl, tenantId, 'The access token is from the wrong issuer.')
    ),
  expired: (baseUrl: string, tenantId: string, exp: Date, now: Date) =>
    armError(
      401,
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${dotNetTime(exp)}' is earlier than current UTC time '${dotNetTime(now)}'.`,
      undefined,
      challenge(baseUrl, tenantId, 'The access token has expired.')
    ),
  wrongAudience: (
    baseUrl: string,
    tenantId: string,
    audience: string,
    allowed: string[] = ALLOWED_AUDIENCES
  ) =>
    armError(
      401,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(',')}.`,
      undefined,
      challenge(baseUrl, tenantId, 'The access token has been obtained for wrong audience.')
    ),
  forbidden: (appId: string, objectId: string, action: string, scope: string) =>
    armError(
      403,
      'AuthorizationFailed',
      `The client '${appId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
    )
}

// --- request shape (ARM front door) ---

export const requestErrors = {
  missingApiVersion: () =>
    armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.'
    ),
  invalidApiVersion: (value: string) =>
    armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${value}' is invalid. The supported versions are '${API_VERSION}'.`
    ),
  invalidContent: (reason: string) =>
    armError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: '${reason}'.`
    ),
  methodNotAllowed: (method: string) =>
    armError(
      405,
      'MethodNotAllowed',
      `The requested resource does not support http method '${method}'.`
    ),
  noRoute: (method: string, path: string) =>
    armError(404, 'NotFound', `The emulator has no route for ${method} ${path}.`),
  /**
   * A request ARM hands to APIM for a route APIM does not have, such as POST
   * …/workspaces/{w}/backends/{id}/reconnect (the 2024-05-01 spec and @azure/arm-apimanagement
   * 10's workspaceBackend have no reconnect). ARM routes a request that does not fit its resource
   * contract to the resource provider (an ARM reviewer, Azure/azure-rest-api-specs#20396), and
   * for a POST checks the api-version of the resource type the action is on, not the action
   * (Azure/azure-sdk-for-go#17520: NoRegisteredProviderFound names 'namespaces/authorizationrules'
   * for a POST …/listKeys); service/workspaces/backends is registered at 2024-05-01, so the
   * answer is APIM's own. Resource providers built on ASP.NET Web API have been seen answering a
   * route they lack through ARM with Web API's bare body, no ARM envelope: 405 {"Message": "The
   * requested resource does not support http method 'PUT'."} (Azure/azure-service-operator#2362)
   * and 404 "No HTTP resource was found that matches the request URI" (#2122). guess: that APIM
   * answers this route so, with 404 and that text, naming the URI as sent.
   */
  noHttpResource: (uri: string) =>
    jsonResponse(404, {
      Message: `No HTTP resource was found that matches the request URI '${uri}'.`
    }),
  unknownResourceType: (type: string) =>
    armError(
      404,
      'InvalidResourceType',
      `The resource type 'service/${type}' could not be found in the namespace 'Microsoft.ApiManagement' for api version '${API_VERSION}'.`
    )
}

// --- resources ---

export const resourceErrors = {
  subscriptionNotFound: (sub: string) =>
    armError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`),
  resourceGroupNotFound: (rg: string) =>
    armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`),
  serviceNotFound: (rg: string, name: string) =>
    armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ApiManagement/service/${name}' under resource group '${rg}' was not found.`
    ),
  // Recorded: 404 {"code":"ResourceNotFound","message":"Backend not found.","details":null}
  // (Azure/azure-sdk-for-net sdk/apimanagement/Microsoft.Azure.Management.ApiManagement/tests/
  // SessionRecords/BackendTests/CreateListUpdateDelete.json; __tests__/fixtures/recordings/).
  backendNotFound: () => armError(404, 'ResourceNotFound', 'Backend not found.', null),
  // guess: the text. APIM names a missing child entity "<Entity> not found." with code
  // ResourceNotFound and `details: null` ("Backend not found." above; "Api not found.",
  // Azure/apiops#643 and #494); no recording of a missing workspace was found, so "Workspace not
  // found." follows that pattern. Answered for the workspace itself and for every route under it.
  workspaceNotFound: () => armError(404, 'ResourceNotFound', 'Workspace not found.', null),
  // guess: APIM's wording for a missing If-Match is unknown (no recording sends none).
  ifMatchRequired: () =>
    armError(
      400,
      'InvalidRequest',
      "The 'If-Match' header is required for this operation. Use '*' to apply it unconditionally."
    ),
  // Text: Azure/apiops tools/code/integration.tests/ManagementService.cs retries a 412 whose
  // message contains "Resource was modified since last retrieval". guess: `details: null`, as
  // APIM writes it on its recorded 404 (same resource provider, same serializer).
  preconditionFailed: () =>
    armError(412, 'PreconditionFailed', 'Resource was modified since last retrieval.', null)
}

/**
 * APIM's 400 for invalid fields: the reason is only in `details`, one per problem, `target`
 * naming the body field (Azure/azure-powershell#16868, Azure/bicep#14093,
 * MicrosoftDocs/azure-docs#122455).
 */
/**
 * ARM's own throttling (the subscription's token bucket ran dry): 429 with Retry-After in
 * seconds; the code is the one learn.microsoft.com documents for it ("Troubleshoot the
 * TooManyRequestsReceived or SubscriptionRequestsThrottled error code"). The message follows
 * the documented "Number of '<kind>' requests for subscription ... exceeded" form.
 */
export function throttledError(
  kind: string,
  sub: string,
  actor: string,
  retryAfterSeconds: number,
  headers: Record<string, string>
): EmuResponse {
  return armError(
    429,
    'SubscriptionRequestsThrottled',
    `Number of '${kind}' requests for subscription '${sub}' actor '${actor}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
    undefined,
    { 'retry-after': String(retryAfterSeconds), ...headers }
  )
}

export function validationError(details: ErrorDetail[]): EmuResponse {
  return armError(400, 'ValidationError', 'One or more fields contain incorrect values:', details)
}

/** .NET's invariant "G" format, which ARM uses in its token expiry messages. */
export function dotNetTime(date: Date): string {
  const h = date.getUTCHours()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${h % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`
}
