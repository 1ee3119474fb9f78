export const id = 921;
export const ids = [921];
export const modules = {

/***/ 921:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  execute: () => (/* binding */ execute)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./src/messages.ts
var messages = __webpack_require__(4279);
;// CONCATENATED MODULE: ./src/azure/errors.ts
// Azure and Entra failures, turned into one readable line: status, error code and message,
// correlation id, and a hint that says what to do.

function isRestError(e) {
    return e instanceof Error && e.name === 'RestError';
}
function statusOf(e) {
    return isRestError(e) ? e.statusCode : undefined;
}
/** The ARM error envelope's code and message, when the body has one. */
function armError(e) {
    try {
        const body = JSON.parse(e.response?.bodyAsText ?? '');
        if (body?.error)
            return { code: body.error.code, message: body.error.message };
    }
    catch {
        // Not JSON: fall back to the SDK's own message.
    }
    return { code: e.code, message: e.message };
}
function describeAzureError(e, ctx) {
    if (!isRestError(e) || e.statusCode === undefined) {
        const text = e instanceof Error ? e.message : String(e);
        return new messages/* ActionError */.lZ(`${ctx.doing} failed: ${text}`);
    }
    const status = e.statusCode;
    const { code, message } = armError(e);
    const correlation = e.response?.headers.get('x-ms-correlation-request-id') ??
        e.request?.headers.get('x-ms-correlation-request-id');
    const retries = e.request ? ctx.traffic.retriesOf(e.request.method, e.request.url) : 0;
    const parts = [
        `${ctx.doing} failed: HTTP ${status}${code ? ` ${code}` : ''}: ${(message ?? '').trim()}`
    ];
    if (correlation)
        parts.push(`Correlation id: ${correlation}.`);
    parts.push(`Hint: ${hint(status, ctx, retries)}`);
    return new messages/* ActionError */.lZ(parts.join(' '));
}
function hint(status, ctx, retries) {
    const { target } = ctx;
    const service = `'${target.serviceName}' (resource group '${target.resourceGroup}', subscription ${target.subscriptionId})`;
    const tried = retries > 0 ? ` (retried ${retries} time${retries === 1 ? '' : 's'})` : '';
    if (status === 401 || status === 403) {
        return `the principal ${ctx.principal} needs a role assignment on the API Management service ${service} that allows backend writes, such as 'API Management Service Contributor'; a new assignment can take a few minutes to apply.`;
    }
    if (status === 404) {
        return ctx.missing === 'backend'
            ? `backend '${target.backendId}' does not exist in API Management service ${service}; check backend-id, or create it first with operation: create.`
            : `the API Management service ${service} was not found; check subscription-id, resource-group and service-name.`;
    }
    if (status === 409 || status === 412) {
        return `backend '${target.backendId}' was changed by someone else while this step ran (its ETag no longer matches), so nothing was overwritten; re-run the step.`;
    }
    if (status === 429)
        return `Azure is throttling requests${tried}; wait and re-run the step.`;
    if (status >= 500)
        return `Azure failed to answer${tried}; this is on Azure's side, re-run the step.`;
    if (status === 400)
        return 'Azure refused the request as invalid; check the inputs named in the message.';
    return 'see the Azure message above.';
}
/** A sign-in failure (Entra or GitHub OIDC) with what to fix. */
function describeSignInError(e, plan, idToken) {
    const err = e;
    const how = plan.kind === 'oidc' ? 'OIDC' : 'a client secret';
    if (plan.kind === 'oidc' && idToken === undefined) {
        return new messages/* ActionError */.lZ(`Could not get an ID token from GitHub for audience '${plan.audience}': ${firstLine(err.message)}. Grant the job 'permissions: id-token: write'.`);
    }
    const description = err.errorResponse?.errorDescription ?? err.message ?? String(e);
    const aadsts = /AADSTS\d+/.exec(description)?.[0];
    const parts = [
        `Sign-in with ${how} to tenant ${plan.tenantId} as ${plan.clientId} failed: ${firstLine(description)}`
    ];
    if (err.errorResponse?.correlationId)
        parts.push(`Correlation id: ${err.errorResponse.correlationId}.`);
    if (plan.kind === 'oidc') {
        const claims = idToken ? tokenClaims(idToken) : undefined;
        if (claims)
            parts.push(`The GitHub ID token had iss '${claims.iss}', sub '${claims.sub}', aud '${claims.aud}'.`);
        parts.push(`Hint: the app's federated credential must have exactly this issuer, subject and audience (the usual cause is a subject mismatch, e.g. a branch, environment or pull_request subject), and the job needs 'permissions: id-token: write'.`);
    }
    else if (aadsts === 'AADSTS7000215' || aadsts === 'AADSTS7000222') {
        parts.push('Hint: the client secret is wrong or expired; create a new one and update the repository secret.');
    }
    else if (aadsts === 'AADSTS700016' || aadsts === 'AADSTS90002') {
        parts.push('Hint: check client-id and tenant-id: the application or tenant was not found.');
    }
    else {
        parts.push('Hint: check client-id, tenant-id and the secret.');
    }
    return new messages/* ActionError */.lZ(parts.join(' '));
}
/** MSAL wraps Entra's text as "code: Error(s): n - Timestamp: t - Description: AADSTS…"; keep the description. */
function firstLine(text) {
    const description = /Description: (.*)$/s.exec(text)?.[1] ?? text;
    return description
        .split(/\r?\n/)[0]
        .replace(/\s*-? ?(Trace ID|Correlation ID|Timestamp):.*$/, '')
        .trim();
}
function tokenClaims(jwt) {
    try {
        const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
        const aud = Array.isArray(payload.aud) ? payload.aud.join(',') : payload.aud;
        return { iss: payload.iss, sub: payload.sub, aud };
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/azure/backend-json.ts
var backend_json = __webpack_require__(8738);
;// CONCATENATED MODULE: ./src/operations/context.ts


/** Capture the raw response of an SDK call: its status, ETag and unflattened body. */
function rawResponse() {
    let captured;
    return {
        onResponse: (r) => {
            captured = r;
        },
        get: () => {
            if (!captured)
                throw new Error('internal: the SDK returned without a response');
            return captured;
        }
    };
}
/** Turn a raw response into the backend and its ETag, registering any secrets in it. */
function snapshot(response, secrets) {
    // bodyAsText, not parsedBody: the SDK replaces parsedBody with its flattened model.
    const backend = JSON.parse(response.bodyAsText ?? '{}');
    (0,backend_json/* absorbSecrets */.r)(backend, secrets);
    return { backend, etag: response.headers.get('etag') ?? '' };
}
async function readBackend(ctx, doing, mustExist = false) {
    const { client, target } = ctx;
    const raw = rawResponse();
    try {
        await client.backend.get(target.resourceGroup, target.serviceName, target.backendId, {
            onResponse: raw.onResponse
        });
    }
    catch (e) {
        const notFound = statusOf(e) === 404;
        if (notFound && !mustExist)
            return undefined;
        const missing = notFound ? await whichIsMissing(ctx) : undefined;
        throw describeAzureError(e, { ...errorContext(ctx, doing), missing });
    }
    return snapshot(raw.get(), ctx.secrets);
}
/** A 404 on a backend path: ask Azure whether the service itself is there. */
async function whichIsMissing(ctx) {
    try {
        await ctx.client.apiManagementService.get(ctx.target.resourceGroup, ctx.target.serviceName);
        return 'backend';
    }
    catch {
        return 'service';
    }
}
function errorContext(ctx, doing) {
    return { doing, target: ctx.target, principal: ctx.principal, traffic: ctx.traffic };
}

;// CONCATENATED MODULE: ./src/operations/create.ts
// operation: create — New-AzApiManagementBackend, with an explicit choice of what happens when
// the backend already exists (if-exists: fail | replace | skip).




async function create(ctx, request) {
    const { target } = ctx;
    const existing = await readBackend(ctx, `Reading backend '${target.backendId}'`);
    if (existing) {
        if (request.ifExists === 'fail')
            throw new messages/* ActionError */.lZ(messages/* msg */.ab.alreadyExists(target.backendId));
        if (request.ifExists === 'skip') {
            core/* info */.pq(`Backend '${target.backendId}' already exists; if-exists: skip, so nothing was written.`);
            return { result: 'unchanged', ...existing };
        }
    }
    const doing = `${existing ? 'Replacing' : 'Creating'} backend '${target.backendId}'`;
    core/* info */.pq(`${doing} in ${target.serviceName}.`);
    const raw = rawResponse();
    try {
        await ctx.client.backend.createOrUpdate(target.resourceGroup, target.serviceName, target.backendId, request.backend, {
            // The ETag just read: a change made in between fails with 412 instead of being overwritten.
            ifMatch: existing?.etag,
            onResponse: raw.onResponse
        });
    }
    catch (e) {
        const missing = statusOf(e) === 404 ? await whichIsMissing(ctx) : undefined;
        throw describeAzureError(e, { ...errorContext(ctx, doing), missing });
    }
    const response = raw.get();
    return {
        result: response.status === 201 ? 'created' : 'replaced',
        ...snapshot(response, ctx.secrets)
    };
}

// EXTERNAL MODULE: ./src/catalog.ts
var catalog = __webpack_require__(8920);
;// CONCATENATED MODULE: ./src/operations/reset.ts
// operation: reset — Reset-AzApiManagementBackendConnection: read the backend, apply the given
// connection settings with the ETag just read, then ask the gateway to reconnect.




async function reset_reset(ctx, request) {
    const { client, target } = ctx;
    let current = await readBackend(ctx, `Reading backend '${target.backendId}'`, true);
    if (request.updates) {
        const doing = `Updating backend '${target.backendId}' (${Object.keys(request.updates).join(', ')})`;
        core/* info */.pq(`${doing}.`);
        const raw = rawResponse();
        try {
            await client.backend.update(target.resourceGroup, target.serviceName, target.backendId, current.etag, request.updates, {
                onResponse: raw.onResponse
            });
        }
        catch (e) {
            throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' });
        }
        current = snapshot(raw.get(), ctx.secrets);
    }
    const seconds = request.afterSeconds ?? catalog/* DEFAULT_RESET_SECONDS */.eK;
    const doing = `Requesting a reconnect of backend '${target.backendId}'`;
    core/* info */.pq(`${doing} ${request.afterSeconds === undefined ? 'with the service default (after 2 minutes)' : `after ${seconds} s`}.`);
    try {
        await client.backend.reconnect(target.resourceGroup, target.serviceName, target.backendId, request.afterSeconds === undefined
            ? {}
            : { parameters: { after: `PT${request.afterSeconds}S` } });
    }
    catch (e) {
        throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' });
    }
    const resetAt = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { result: 'reset-requested', ...current, resetAt };
}

// EXTERNAL MODULE: ./node_modules/@azure/arm-apimanagement/dist/esm/index.js + 155 modules
var esm = __webpack_require__(7893);
;// CONCATENATED MODULE: ./src/azure/client.ts
// The ARM client: the real @azure/arm-apimanagement client pointed at the chosen endpoint, with
// the token scope pinned, the run's identity in the user agent, and the traffic recorder.


function createClient(credential, subscriptionId, endpoints, traffic, userAgentPrefix) {
    return new esm/* ApiManagementClient */.TM(credential, subscriptionId, {
        endpoint: endpoints.arm,
        // Without this a custom endpoint would ask for a token scoped to itself.
        credentialScopes: catalog/* ARM_SCOPE */.G9,
        userAgentOptions: { userAgentPrefix },
        additionalPolicies: [{ policy: traffic.policy, position: 'perRetry' }]
    });
}

// EXTERNAL MODULE: ./node_modules/@azure/identity/dist/esm/index.js + 155 modules
var dist_esm = __webpack_require__(3952);
;// CONCATENATED MODULE: ./src/azure/credential.ts
// Sign-in: turn an AuthPlan into an @azure/identity credential and get the one token this run
// needs. Loaded only after the inputs are valid (see main.ts).




const LABEL = {
    'client-secret': 'a client secret',
    oidc: 'OIDC (GitHub ID token)'
};
async function signIn(plan, endpoints, secrets) {
    core/* info */.pq(`Signing in to tenant ${plan.tenantId} as ${plan.clientId} with ${LABEL[plan.kind]} (${plan.reason}).`);
    const options = {
        authorityHost: endpoints.authorityHost,
        // Instance discovery only knows Microsoft's own hosts; a private authority has no entry.
        disableInstanceDiscovery: endpoints.authorityHost !== catalog/* DEFAULT_AUTHORITY_HOST */.j_
    };
    let idToken;
    let credential;
    if (plan.kind === 'client-secret') {
        credential = new dist_esm/* ClientSecretCredential */.HC(plan.tenantId, plan.clientId, plan.clientSecret, options);
    }
    else {
        try {
            idToken = await core/* getIDToken */.V9(plan.audience);
        }
        catch (e) {
            throw describeSignInError(e, plan, undefined);
        }
        secrets.add(idToken);
        const assertion = idToken;
        credential = new dist_esm/* ClientAssertionCredential */.XI(plan.tenantId, plan.clientId, async () => assertion, options);
    }
    try {
        // One explicit token request: a sign-in problem is reported as such, not as an ARM error,
        // and the credential's cache serves every ARM call after it.
        // enableCae as the SDK's bearer policy asks, so its request hits this cached token.
        const token = await credential.getToken(catalog/* ARM_SCOPE */.G9, { enableCae: true });
        if (!token)
            throw new Error('the credential returned no token');
        secrets.add(token.token);
    }
    catch (e) {
        throw describeSignInError(e, plan, idToken);
    }
    return { credential };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/azure/traffic.ts
// A pipeline policy that records every attempt the SDK makes (retries included), so errors can
// say how often a request was retried and each write's correlation id can be reported.

class Traffic {
    attempts = [];
    /** One correlation id for the whole step, as az CLI does: Azure's activity log groups by it. */
    correlationId = (0,external_node_crypto_.randomUUID)();
    policy = {
        name: 'apimBackendActionTraffic',
        sendRequest: async (request, next) => {
            if (!request.headers.has('x-ms-correlation-request-id')) {
                request.headers.set('x-ms-correlation-request-id', this.correlationId);
            }
            const attempt = { method: request.method, url: request.url };
            this.attempts.push(attempt);
            try {
                const response = await next(request);
                attempt.status = response.status;
                attempt.correlationId =
                    response.headers.get('x-ms-correlation-request-id') ??
                        request.headers.get('x-ms-correlation-request-id');
                return response;
            }
            catch (e) {
                attempt.correlationId = request.headers.get('x-ms-correlation-request-id');
                throw e;
            }
        }
    };
    /** Attempts beyond the first for the request with this method and URL. */
    retriesOf(method, url) {
        return Math.max(0, this.attempts.filter((a) => a.method === method && a.url === url).length - 1);
    }
    /** Correlation ids of the writes sent (PUT, PATCH, POST, DELETE), in order. */
    writes() {
        return this.attempts.filter((a) => a.method !== 'GET' && a.method !== 'HEAD');
    }
}

;// CONCATENATED MODULE: ./src/azure/execute.ts
// Step 3 of the data flow: sign in, build the ARM client and run the operation. This module is
// imported lazily (after validation), so bad input never loads Azure or @actions/github code.







const VERSION = '0.1.0';
async function execute(request, secrets, report) {
    const trace = runTrace();
    report.runLink = trace.runLink;
    const { credential } = await signIn(request.auth, request.endpoints, secrets);
    const traffic = new Traffic();
    const client = createClient(credential, request.target.subscriptionId, request.endpoints, traffic, trace.userAgent);
    const ctx = { client, target: request.target, secrets, traffic, principal: request.auth.clientId };
    try {
        return request.operation === 'create' ? await create(ctx, request) : await reset_reset(ctx, request);
    }
    finally {
        report.writes = traffic.writes().map((w) => ({ ...w, path: pathOf(w.url) }));
        for (const w of report.writes) {
            core/* info */.pq(`${w.method} ${w.path} -> ${w.status ?? 'no answer'}; x-ms-correlation-request-id: ${w.correlationId}`);
        }
    }
}
/** The repository and run, for the user agent (so Azure's logs point back here) and the summary. */
function runTrace() {
    const repo = process.env.GITHUB_REPOSITORY
        ? `${github/* context */._.repo.owner}/${github/* context */._.repo.repo}`
        : undefined;
    const runId = github/* context */._.runId;
    const userAgent = [`apim-backend-action/${VERSION}`, repo && `(${repo}; run ${runId})`]
        .filter(Boolean)
        .join(' ');
    const runLink = repo && runId ? `${github/* context */._.serverUrl}/${repo}/actions/runs/${runId}` : undefined;
    return { userAgent, runLink };
}
/** The part of the path after the service, e.g. /backends/orders/reconnect. */
function pathOf(url) {
    const path = new URL(url).pathname;
    return /\/service\/[^/]+(\/.*)$/i.exec(path)?.[1] ?? path;
}


/***/ })

};
