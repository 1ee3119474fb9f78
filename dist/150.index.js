export const id = 150;
export const ids = [150];
export const modules = {

/***/ 9150:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  execute: () => (/* binding */ execute)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
// EXTERNAL MODULE: ./src/messages.ts
var messages = __webpack_require__(4279);
;// CONCATENATED MODULE: ./src/azure/retry.ts

const RETRY_POLICY_NAME = 'apimBackendActionRetry';
/** Azure asked for a wait the step cannot afford. */
class WaitTooLongError extends messages/* ActionError */.lZ {
    status;
    waitMs;
    limit;
    response;
    constructor(status, waitMs, limit, response) {
        super(`Azure asked to wait ${Math.ceil(waitMs / 1000)} s`);
        this.status = status;
        this.waitMs = waitMs;
        this.limit = limit;
        this.response = response;
        this.name = 'WaitTooLongError';
    }
}
/** An attempt that got no answer in time. */
class AttemptTimeoutError extends Error {
    request;
    timeoutMs;
    constructor(request, timeoutMs) {
        super(`No answer within ${Math.round(timeoutMs / 1000)} s`);
        this.request = request;
        this.timeoutMs = timeoutMs;
        this.name = 'AttemptTimeoutError';
    }
}
const RETRY_AFTER_HEADERS = [
    ['retry-after-ms', 1],
    ['x-ms-retry-after-ms', 1],
    ['retry-after', 1000]
];
/** Retry-After in ms (seconds, ms variants, or an HTTP date); undefined when absent. */
function retryAfterMs(response) {
    for (const [name, factor] of RETRY_AFTER_HEADERS) {
        const value = response.headers.get(name);
        if (value === undefined)
            continue;
        const n = Number(value);
        if (value.trim() !== '' && Number.isFinite(n) && n >= 0)
            return n * factor;
        const date = Date.parse(value);
        if (Number.isFinite(date))
            return Math.max(0, date - Date.now());
    }
    return undefined;
}
function retriableStatus(status) {
    return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}
function retryPolicy(settings) {
    return {
        name: RETRY_POLICY_NAME,
        async sendRequest(request, next) {
            const stepSignal = settings.deadline.signal;
            for (let attempt = 0;; attempt++) {
                const attemptTimeout = Math.min(settings.attemptTimeoutMs, settings.deadline.remainingMs());
                const controller = new AbortController();
                const onStepAbort = () => controller.abort();
                stepSignal.addEventListener('abort', onStepAbort);
                const timer = setTimeout(() => controller.abort(), attemptTimeout);
                request.abortSignal = controller.signal;
                let response;
                let error;
                try {
                    // next() reads the whole body, so the attempt's time limit covers it too.
                    response = await next(request);
                }
                catch (e) {
                    error = e;
                    response = e.response;
                }
                finally {
                    clearTimeout(timer);
                    stepSignal.removeEventListener('abort', onStepAbort);
                }
                if (stepSignal.aborted)
                    throw settings.deadline.error();
                const timedOut = controller.signal.aborted;
                if (timedOut)
                    error = new AttemptTimeoutError(request, attemptTimeout);
                const status = error && !timedOut && response === undefined ? undefined : response?.status;
                const networkFailure = error !== undefined && (timedOut || isNetworkError(error));
                const retriable = networkFailure || (status !== undefined && retriableStatus(status));
                if (!retriable || attempt >= settings.maxRetries) {
                    if (error)
                        throw error;
                    return response;
                }
                const asked = response && !networkFailure ? retryAfterMs(response) : undefined;
                const wait = asked ?? backoff(settings.baseDelayMs, attempt);
                if (asked !== undefined && asked > settings.maxWaitMs) {
                    throw new WaitTooLongError(response.status, asked, 'max-wait-seconds', response);
                }
                if (wait >= settings.deadline.remainingMs()) {
                    if (asked !== undefined)
                        throw new WaitTooLongError(response.status, asked, 'timeout-seconds', response);
                    if (error)
                        throw error;
                    return response;
                }
                await sleep(Math.min(wait, settings.maxWaitMs), stepSignal);
                if (stepSignal.aborted)
                    throw settings.deadline.error();
            }
        }
    };
}
function backoff(baseMs, attempt) {
    const exp = baseMs * 2 ** attempt;
    return Math.round(exp * (0.8 + Math.random() * 0.4));
}
/** Transport failures: the request may or may not have reached Azure. */
function isNetworkError(e) {
    const err = e;
    if (err?.name === 'AbortError')
        return true;
    if (err?.name === 'RestError' && err.statusCode === undefined)
        return true;
    return [
        'ECONNRESET',
        'ECONNREFUSED',
        'ETIMEDOUT',
        'ESOCKETTIMEDOUT',
        'EPIPE',
        'ENOTFOUND',
        'EAI_AGAIN',
        'REQUEST_SEND_ERROR'
    ].includes(err?.code ?? '');
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
        }
        signal.addEventListener('abort', done);
    });
}

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
    if (e instanceof WaitTooLongError)
        return describeWaitTooLong(e, ctx);
    // Already worded (the step's timeout, a wait that was too long).
    if (e instanceof messages/* ActionError */.lZ)
        return e;
    if (e instanceof AttemptTimeoutError ||
        isNetworkError(e) ||
        !isRestError(e) ||
        e.statusCode === undefined) {
        return describeNoAnswer(e, ctx);
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
/** No HTTP answer at all: timeouts and dropped connections, after the retries. */
function describeNoAnswer(e, ctx) {
    const request = e.request;
    const attempts = request ? ctx.traffic.retriesOf(request.method, request.url) + 1 : 1;
    const what = e instanceof AttemptTimeoutError
        ? `no answer within ${Math.round(e.timeoutMs / 1000)} s (request-timeout-seconds)`
        : `the connection failed (${e.code ?? (e instanceof Error ? e.message : String(e))})`;
    return new messages/* ActionError */.lZ(`${ctx.doing} failed: ${what}, ${attempts} attempt${attempts === 1 ? '' : 's'}. Hint: Azure or the network did not answer; re-run the step (its writes are safe to repeat), or raise request-timeout-seconds.`);
}
function describeWaitTooLong(e, ctx) {
    const body = (() => {
        try {
            return JSON.parse(e.response.bodyAsText ?? '').error;
        }
        catch {
            return undefined;
        }
    })();
    const seconds = Math.ceil(e.waitMs / 1000);
    const correlation = e.response.headers.get('x-ms-correlation-request-id');
    const limit = e.limit === 'max-wait-seconds'
        ? 'longer than max-wait-seconds allows'
        : 'longer than the time left before timeout-seconds';
    return new messages/* ActionError */.lZ(`${ctx.doing} failed: HTTP ${e.status}${body?.code ? ` ${body.code}` : ''}${body?.message ? `: ${body.message.trim()}` : ''}. ` +
        `Azure asked to wait ${seconds} s before retrying (Retry-After), ${limit}, so the step stops now instead of sleeping.` +
        `${correlation ? ` Correlation id: ${correlation}.` : ''} Hint: Azure is throttling this subscription; re-run later, or raise ${e.limit}.`);
}
function hint(status, ctx, retries) {
    const { target } = ctx;
    const service = `'${target.serviceName}' (resource group '${target.resourceGroup}', subscription ${target.subscriptionId})`;
    const tried = retries > 0 ? ` (retried ${retries} time${retries === 1 ? '' : 's'})` : '';
    if (status === 401 || status === 403) {
        return `${ctx.principal} needs a role assignment on the API Management service ${service} that allows backend writes, such as 'API Management Service Contributor'; a new assignment can take a few minutes to apply.`;
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
/** How a candidate signs in, for messages. */
function describeCandidate(c) {
    switch (c.kind) {
        case 'client-secret':
            return `a client secret to tenant ${c.tenantId} as ${c.clientId}`;
        case 'oidc':
            return `OIDC to tenant ${c.tenantId} as ${c.clientId}`;
        case 'managed-identity':
            return c.clientId
                ? `the user-assigned managed identity ${c.clientId}`
                : 'the system-assigned managed identity';
        case 'azure-cli':
            return `the Azure CLI session${c.tenantId ? ` (tenant ${c.tenantId})` : ''}`;
    }
}
/** A sign-in failure (Entra, GitHub OIDC, managed identity, Azure CLI) with what to fix. */
function describeSignInError(e, plan, idToken) {
    const err = e;
    if (plan.kind === 'oidc' && idToken === undefined) {
        return new messages/* ActionError */.lZ(`Could not get an ID token from GitHub for audience '${plan.audience}': ${firstLine(err.message)}. Grant the job 'permissions: id-token: write'.`);
    }
    const description = err.errorResponse?.errorDescription ?? err.message ?? String(e);
    const aadsts = /AADSTS\d+/.exec(description)?.[0];
    const parts = [`Sign-in with ${describeCandidate(plan)} failed: ${firstLine(description)}`];
    if (err.errorResponse?.correlationId)
        parts.push(`Correlation id: ${err.errorResponse.correlationId}.`);
    if (plan.kind === 'oidc') {
        const claims = idToken ? tokenClaims(idToken) : undefined;
        if (claims)
            parts.push(`The GitHub ID token had iss '${claims.iss}', sub '${claims.sub}', aud '${claims.aud}'.`);
        parts.push(`Hint: the app's federated credential must have exactly this issuer, subject and audience (the usual cause is a subject mismatch, e.g. a branch, environment or pull_request subject), and the job needs 'permissions: id-token: write'.`);
    }
    else if (plan.kind === 'managed-identity') {
        parts.push(plan.clientId
            ? `Hint: check that a user-assigned identity with client id ${plan.clientId} is attached to this runner's machine.`
            : "Hint: check that the runner's machine has a system-assigned managed identity, or give client-id for a user-assigned one.");
    }
    else if (plan.kind === 'azure-cli') {
        parts.push(/not be found|not installed|ENOENT|command not found/i.test(description)
            ? "Hint: 'az' is not installed on this runner; run azure/login first on a runner with the Azure CLI, or choose another auth-type."
            : 'Hint: the Azure CLI is not logged in; run azure/login first, in an earlier step of the same job.');
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

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/azure/backend-json.ts
var backend_json = __webpack_require__(8738);
;// CONCATENATED MODULE: ./src/operations/context.ts
// What every operation handler gets, and the reads and checks they share.



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
const READ_STEP = 'read the backend';
async function readBackend(ctx, mustExist = false) {
    const { client, target } = ctx;
    const doing = `Reading backend '${target.backendId}'`;
    ctx.deadline.start(READ_STEP);
    const raw = rawResponse();
    try {
        await client.backend.get(target.resourceGroup, target.serviceName, target.backendId, {
            onResponse: raw.onResponse
        });
    }
    catch (e) {
        const notFound = statusOf(e) === 404;
        if (notFound && !mustExist) {
            ctx.deadline.done(READ_STEP);
            return undefined;
        }
        const missing = notFound ? await whichIsMissing(ctx) : undefined;
        throw describeAzureError(e, { ...errorContext(ctx, doing), missing });
    }
    ctx.deadline.done(READ_STEP);
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
/** The ARM `properties` a PUT or PATCH of this SDK contract sends. */
function armProperties(contract) {
    const { typePropertiesType, ...rest } = contract;
    const props = { ...rest };
    if (typePropertiesType !== undefined)
        props.type = typePropertiesType;
    return props;
}
/** Does the backend already hold these fields, exactly? */
function holds(backend, fields, wholeBody = false) {
    const current = (backend.properties ?? {});
    if (wholeBody)
        return (0,external_node_util_.isDeepStrictEqual)(current, fields);
    return Object.entries(fields).every(([k, v]) => (0,external_node_util_.isDeepStrictEqual)(current[k], v));
}
/**
 * A write failed with 412 after an earlier attempt of it got no answer: that attempt may have
 * been applied (and changed the ETag). Read again; if the backend holds what was asked, the
 * write converged and the step goes on.
 */
async function convergedAfterLostAttempt(ctx, error, method, fields, wholeBody) {
    const request = error.request;
    if (statusOf(error) !== 412 || !request || ctx.traffic.lostAttempts(method, request.url) === 0)
        return undefined;
    const now = await readBackend(ctx);
    return now && holds(now.backend, fields, wholeBody) ? now : undefined;
}

;// CONCATENATED MODULE: ./src/operations/create.ts
// operation: create — New-AzApiManagementBackend, with an explicit choice of what happens when
// the backend already exists (if-exists: fail | replace | skip).




const WRITE_STEP = 'write the backend';
/** The steps a create takes, for a timeout message that says what was done and what not. */
function createSteps() {
    return [READ_STEP, WRITE_STEP];
}
async function create(ctx, request) {
    const { target } = ctx;
    const existing = await readBackend(ctx);
    const desired = armProperties(request.backend);
    if (existing) {
        if (request.ifExists === 'fail')
            throw new messages/* ActionError */.lZ(messages/* msg */.ab.alreadyExists(target.backendId));
        if (request.ifExists === 'skip') {
            core/* info */.pq(`Backend '${target.backendId}' already exists; if-exists: skip, so nothing was written.`);
            return { result: 'unchanged', ...existing };
        }
        if (holds(existing.backend, desired, true)) {
            core/* info */.pq(`Backend '${target.backendId}' already is exactly as asked; nothing was written.`);
            return { result: 'unchanged', ...existing };
        }
    }
    const doing = `${existing ? 'Replacing' : 'Creating'} backend '${target.backendId}'`;
    core/* info */.pq(`${doing} in ${target.serviceName}.`);
    ctx.deadline.start(WRITE_STEP);
    const raw = rawResponse();
    try {
        await ctx.client.backend.createOrUpdate(target.resourceGroup, target.serviceName, target.backendId, request.backend, {
            // The ETag just read: a change made in between fails with 412 instead of being overwritten.
            ifMatch: existing?.etag,
            onResponse: raw.onResponse
        });
    }
    catch (e) {
        const converged = await convergedAfterLostAttempt(ctx, e, 'PUT', desired, true);
        if (converged) {
            ctx.deadline.done(WRITE_STEP);
            return { result: existing ? 'replaced' : 'created', ...converged };
        }
        const missing = statusOf(e) === 404 ? await whichIsMissing(ctx) : undefined;
        throw describeAzureError(e, { ...errorContext(ctx, doing), missing });
    }
    ctx.deadline.done(WRITE_STEP);
    const response = raw.get();
    // 200 means "replaced" unless the backend was absent when read: then an earlier attempt of
    // this PUT, whose answer was lost, created it.
    const result = response.status === 201 || !existing ? 'created' : 'replaced';
    return { result, ...snapshot(response, ctx.secrets) };
}

// EXTERNAL MODULE: ./src/catalog.ts
var catalog = __webpack_require__(8920);
;// CONCATENATED MODULE: ./src/operations/reset.ts
// operation: reset — Reset-AzApiManagementBackendConnection: read the backend, apply the given
// connection settings with the ETag just read, then ask the gateway to reconnect.




const UPDATE_STEP = 'update the connection settings';
const RECONNECT_STEP = 'request the reconnect';
/** The steps a reset takes, for a timeout message that says what was done and what not. */
function resetSteps(request) {
    return [READ_STEP, ...(request.updates ? [UPDATE_STEP] : []), RECONNECT_STEP];
}
async function reset_reset(ctx, request) {
    const { client, target } = ctx;
    let current = await readBackend(ctx, true);
    if (request.updates) {
        const fields = armProperties(request.updates);
        const doing = `Updating backend '${target.backendId}' (${Object.keys(fields).join(', ')})`;
        core/* info */.pq(`${doing}.`);
        ctx.deadline.start(UPDATE_STEP);
        const raw = rawResponse();
        try {
            await client.backend.update(target.resourceGroup, target.serviceName, target.backendId, current.etag, request.updates, {
                onResponse: raw.onResponse
            });
            current = snapshot(raw.get(), ctx.secrets);
        }
        catch (e) {
            const converged = await convergedAfterLostAttempt(ctx, e, 'PATCH', fields, false);
            if (!converged)
                throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' });
            current = converged;
        }
        ctx.deadline.done(UPDATE_STEP);
    }
    const seconds = request.afterSeconds ?? catalog/* DEFAULT_RESET_SECONDS */.eK;
    const doing = `Requesting a reconnect of backend '${target.backendId}'`;
    core/* info */.pq(`${doing} ${request.afterSeconds === undefined ? 'with the service default (after 2 minutes)' : `after ${seconds} s`}.`);
    ctx.deadline.start(RECONNECT_STEP);
    try {
        await client.backend.reconnect(target.resourceGroup, target.serviceName, target.backendId, request.afterSeconds === undefined
            ? {}
            : { parameters: { after: `PT${request.afterSeconds}S` } });
    }
    catch (e) {
        throw describeAzureError(e, { ...errorContext(ctx, doing), missing: 'backend' });
    }
    ctx.deadline.done(RECONNECT_STEP);
    const resetAt = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { result: 'reset-requested', ...current, resetAt };
}

// EXTERNAL MODULE: ./node_modules/@azure/arm-apimanagement/dist/esm/index.js + 155 modules
var esm = __webpack_require__(7893);
;// CONCATENATED MODULE: ./src/azure/write-budget.ts
class TokenBucket {
    burst;
    perSecond;
    tokens;
    last = Date.now();
    constructor(burst, perSecond) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.tokens = burst;
    }
    /** Wait until a token is available, then take it. */
    async take(signal) {
        for (;;) {
            const now = Date.now();
            this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
            this.last = now;
            if (this.tokens >= 1) {
                this.tokens -= 1;
                return;
            }
            if (signal?.aborted)
                return;
            await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
        }
    }
}
const ARM_WRITES = { burst: 200, perSecond: 10 };
function writeBudgetPolicy(bucket) {
    return {
        name: 'apimBackendActionWriteBudget',
        async sendRequest(request, next) {
            if (request.method !== 'GET' && request.method !== 'HEAD')
                await bucket.take(request.abortSignal);
            return next(request);
        }
    };
}

;// CONCATENATED MODULE: ./src/azure/client.ts
// The ARM client: the real @azure/arm-apimanagement client pointed at the chosen endpoint, with
// the token scope pinned, the run's identity in the user agent, this action's retry policy in
// place of the SDK's, the traffic recorder, and request logging when the step runs in debug.






/** First backoff delay; tests shorten it with APIM_BACKEND_ACTION_RETRY_DELAY_MS. */
function baseDelayMs() {
    const fromEnv = Number(process.env.APIM_BACKEND_ACTION_RETRY_DELAY_MS);
    return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.APIM_BACKEND_ACTION_RETRY_DELAY_MS
        ? fromEnv
        : 1000;
}
function createClient(credential, s) {
    const client = new esm/* ApiManagementClient */.TM(credential, s.subscriptionId, {
        endpoint: s.endpoints.arm,
        // Without this a custom endpoint would ask for a token scoped to itself.
        credentialScopes: s.endpoints.scope,
        userAgentOptions: { userAgentPrefix: s.userAgentPrefix },
        additionalPolicies: [
            {
                policy: writeBudgetPolicy(new TokenBucket(ARM_WRITES.burst, ARM_WRITES.perSecond)),
                position: 'perRetry'
            },
            { policy: s.traffic.policy, position: 'perRetry' },
            ...(core/* isDebug */._o()
                ? [{ policy: debugLogPolicy(s.secrets), position: 'perRetry' }]
                : [])
        ]
    });
    // The SDK's retry policy has no attempt timeout, does not retry a 429 without Retry-After and
    // sleeps any Retry-After it is given; this action's policy replaces it.
    client.pipeline.removePolicy({ name: 'defaultRetryPolicy' });
    client.pipeline.addPolicy(retryPolicy({
        maxRetries: catalog/* MAX_RETRIES */.kd,
        attemptTimeoutMs: s.limits.attemptTimeoutMs,
        maxWaitMs: s.limits.maxWaitMs,
        baseDelayMs: baseDelayMs(),
        deadline: s.deadline
    }), { phase: 'Retry' });
    return client;
}
/** With debug on (RUNNER_DEBUG), each attempt's request and response, secrets redacted. */
function debugLogPolicy(secrets) {
    return {
        name: 'apimBackendActionDebugLog',
        async sendRequest(request, next) {
            const body = typeof request.body === 'string' ? ` ${request.body}` : '';
            core/* debug */.Yz(secrets.redact(`--> ${request.method} ${request.url}${body}`));
            const response = await next(request);
            // A backend read back may carry secrets this run never saw: mask them before logging.
            absorbBodySecrets(response.bodyAsText, secrets);
            core/* debug */.Yz(secrets.redact(`<-- ${response.status} ${request.method} ${request.url} ${response.bodyAsText ?? ''}`));
            return response;
        }
    };
}
function absorbBodySecrets(text, secrets) {
    if (!text)
        return;
    try {
        const body = JSON.parse(text);
        for (const backend of [body, ...(Array.isArray(body.value) ? body.value : [])])
            (0,backend_json/* absorbSecrets */.r)(backend, secrets);
    }
    catch {
        // Not JSON: nothing to absorb.
    }
}

// EXTERNAL MODULE: ./src/auth-plan.ts
var auth_plan = __webpack_require__(5993);
// EXTERNAL MODULE: ./node_modules/@azure/identity/dist/esm/index.js + 155 modules
var dist_esm = __webpack_require__(3952);
// EXTERNAL MODULE: ./src/clouds.ts
var clouds = __webpack_require__(157);
;// CONCATENATED MODULE: ./src/azure/credential.ts
// Sign-in: turn the sign-in plan into an @azure/identity credential and get the one token this
// run needs. With auth-type auto the candidates are tried in order; a failure lists each try.
// Loaded only after the inputs are valid (see main.ts).





async function signIn(plan, endpoints, secrets, deadline) {
    const failures = [];
    for (const [i, candidate] of plan.candidates.entries()) {
        const why = i === 0 ? plan.reason : `the previous way failed; next in auto's order`;
        core/* info */.pq(`Signing in with ${describeCandidate(candidate)} (${why}).`);
        try {
            return { credential: await trySignIn(candidate, endpoints, secrets, deadline), candidate };
        }
        catch (e) {
            if (deadline.signal.aborted)
                throw deadline.error();
            if (plan.candidates.length === 1)
                throw e;
            const message = e instanceof Error ? e.message : String(e);
            failures.push(message);
            core/* info */.pq(`  failed: ${secrets.redact(message)}`);
        }
    }
    const skipped = plan.skipped.length ? ` Not available: ${plan.skipped.join('; ')}.` : '';
    throw new messages/* ActionError */.lZ(`Sign-in failed every way auth-type auto tried: ${failures.map((f, i) => `(${i + 1}) ${f}`).join(' ')}${skipped}`);
}
async function trySignIn(c, endpoints, secrets, deadline) {
    const options = {
        authorityHost: endpoints.authorityHost,
        // Instance discovery only knows Microsoft's own hosts; a private authority has no entry.
        disableInstanceDiscovery: !clouds/* KNOWN_AUTHORITIES */.e7.includes(endpoints.authorityHost)
    };
    let idToken;
    let credential;
    switch (c.kind) {
        case 'client-secret':
            credential = new dist_esm/* ClientSecretCredential */.HC(c.tenantId, c.clientId, c.clientSecret, options);
            break;
        case 'oidc': {
            try {
                idToken = await withDeadline(core/* getIDToken */.V9(c.audience), deadline);
            }
            catch (e) {
                if (deadline.signal.aborted)
                    throw deadline.error();
                throw describeSignInError(e, c, undefined);
            }
            secrets.add(idToken);
            const assertion = idToken;
            credential = new dist_esm/* ClientAssertionCredential */.XI(c.tenantId, c.clientId, async () => assertion, options);
            break;
        }
        case 'managed-identity':
            credential = c.clientId
                ? new dist_esm/* ManagedIdentityCredential */.NC({ clientId: c.clientId })
                : new dist_esm/* ManagedIdentityCredential */.NC();
            break;
        case 'azure-cli':
            credential = new dist_esm/* AzureCliCredential */.nG(c.tenantId ? { tenantId: c.tenantId } : {});
            break;
    }
    try {
        // One explicit token request: a sign-in problem is reported as such, not as an ARM error,
        // and the credential's cache serves every ARM call after it. enableCae as the SDK's bearer
        // policy asks, so its request hits this cached token. MSAL does not stop on the abort
        // signal, so the deadline races it.
        const token = await withDeadline(credential.getToken(endpoints.scope, { enableCae: true, abortSignal: deadline.signal }), deadline);
        if (!token)
            throw new Error('the credential returned no token');
        secrets.add(token.token);
    }
    catch (e) {
        if (deadline.signal.aborted)
            throw deadline.error();
        throw describeSignInError(e, c, idToken);
    }
    return credential;
}
/** core.getIDToken and MSAL take no (working) abort signal: race them against the deadline. */
function withDeadline(work, deadline) {
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(deadline.error());
        deadline.signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort));
    });
}

;// CONCATENATED MODULE: ./src/azure/deadline.ts
// The whole-step time limit (timeout-seconds) and what the step has done so far, so a timeout
// can say what was done and what was not.

class Deadline {
    timeoutMs;
    controller = new AbortController();
    timer;
    endsAt;
    steps = [];
    current;
    constructor(timeoutMs) {
        this.timeoutMs = timeoutMs;
        this.endsAt = Date.now() + timeoutMs;
        this.timer = setTimeout(() => this.controller.abort(), timeoutMs);
        // A pending timer must not keep the process alive after the work is done.
        this.timer.unref();
    }
    get signal() {
        return this.controller.signal;
    }
    remainingMs() {
        return Math.max(0, this.endsAt - Date.now());
    }
    /** Declare the steps an operation will take, in order. */
    plan(...names) {
        for (const name of names)
            this.steps.push({ name, done: false });
    }
    start(name) {
        this.current = name;
        if (!this.steps.some((s) => s.name === name))
            this.steps.push({ name, done: false });
    }
    done(name) {
        const step = this.steps.find((s) => s.name === name);
        if (step)
            step.done = true;
        if (this.current === name)
            this.current = undefined;
    }
    /** Skip a planned step that turned out not to be needed. */
    drop(name) {
        const i = this.steps.findIndex((s) => s.name === name && !s.done);
        if (i >= 0)
            this.steps.splice(i, 1);
    }
    /** Many backends: the timeout message counts backends instead of naming steps. */
    progress;
    error() {
        const custom = this.progress?.();
        const done = custom?.done ?? this.steps.filter((s) => s.done).map((s) => s.name);
        const notDone = custom?.notDone ?? this.steps.filter((s) => !s.done).map((s) => s.name);
        return new messages/* ActionError */.lZ(`Timed out after ${Math.round(this.timeoutMs / 1000)} s (timeout-seconds)${this.current ? ` while ${this.current}` : ''}. ` +
            `Done: ${done.length ? done.join('; ') : 'nothing'}. Not done: ${notDone.length ? notDone.join('; ') : 'nothing'}. ` +
            'Raise timeout-seconds, or re-run the step: every write it makes is safe to repeat.');
    }
    dispose() {
        clearTimeout(this.timer);
    }
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
    /** Attempts of this request that got no answer: they may or may not have reached Azure. */
    lostAttempts(method, url) {
        return this.attempts.filter((a) => a.method === method && a.url === url && a.status === undefined).length;
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
    // Every item of a batch shares the step's sign-in, endpoints and limits.
    const first = 'items' in request ? request.items[0] : request;
    const deadline = new Deadline(first.limits.timeoutMs);
    const traffic = new Traffic();
    try {
        deadline.plan('sign in', ...('items' in request ? [] : stepsOf(request)));
        deadline.start('sign in');
        const { credential, candidate } = await signIn(first.auth, first.endpoints, secrets, deadline);
        deadline.done('sign in');
        const client = createClient(credential, {
            subscriptionId: first.target.subscriptionId,
            endpoints: first.endpoints,
            limits: first.limits,
            deadline,
            traffic,
            secrets,
            userAgentPrefix: trace.userAgent
        });
        const contextFor = (r) => ({
            client,
            target: r.target,
            secrets,
            traffic,
            deadline,
            principal: (0,auth_plan/* principalOf */.i6)(candidate)
        });
        if (!('items' in request)) {
            return { kind: 'single', result: await runOne(contextFor(request), request) };
        }
        return { kind: 'batch', results: await runMany(request, contextFor, deadline, secrets) };
    }
    finally {
        deadline.dispose();
        report.writes = traffic.writes().map((w) => ({ ...w, path: pathOf(w.url) }));
        for (const w of report.writes) {
            core/* info */.pq(`${w.method} ${w.path} -> ${w.status ?? 'no answer'}; x-ms-correlation-request-id: ${w.correlationId}`);
        }
    }
}
function stepsOf(request) {
    return request.operation === 'create' ? createSteps() : resetSteps(request);
}
function runOne(ctx, request) {
    return request.operation === 'create' ? create(ctx, request) : reset_reset(ctx, request);
}
/**
 * Every backend of the list, at most max-parallel at a time, one failure not stopping the
 * others. Writes also wait for ARM's write budget (see write-budget.ts).
 */
async function runMany(batch, contextFor, deadline, secrets) {
    const limit = (0,p_limit/* default */.A)(batch.maxParallel);
    const results = batch.items.map(() => undefined);
    deadline.progress = () => {
        const finished = results.filter((r) => r !== undefined).length;
        return {
            done: [`sign in`, `${finished} of ${batch.items.length} backends (see the results output)`],
            notDone: [`${batch.items.length - finished} backends`]
        };
    };
    core/* info */.pq(`${batch.operation} for ${batch.items.length} backends, at most ${batch.maxParallel} at a time.`);
    await Promise.all(batch.items.map((item, i) => limit(async () => {
        const id = item.target.backendId;
        if (deadline.signal.aborted) {
            results[i] = {
                'backend-id': id,
                result: 'failed',
                error: 'not started: timeout-seconds was reached'
            };
            return;
        }
        try {
            const r = await runOne(contextFor(item), item);
            results[i] = {
                'backend-id': id,
                result: r.result,
                error: null,
                ...(r.resetAt ? { 'reset-at': r.resetAt } : {})
            };
            core/* info */.pq(`${id}: ${r.result}`);
        }
        catch (e) {
            const error = secrets.redact(e instanceof Error ? e.message : String(e));
            results[i] = { 'backend-id': id, result: 'failed', error };
            core/* error */.z3(`${id}: ${error}`);
        }
    })));
    return results;
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
