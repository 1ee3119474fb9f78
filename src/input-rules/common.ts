// The inputs every operation reads, in the order that keeps secrets safe: the secret-bearing
// YAML/JSON inputs first (their values are masked before any check can print anything), then
// the operation, sign-in, endpoints, target and time limits.
import type { BackendContract } from '@azure/arm-apimanagement'
import { planAuth, type AuthPlan, type CredsJson } from '../auth-plan.js'
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_MAX_WAIT_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  INPUTS,
  type Operation
} from '../catalog.js'
import { CLOUD_NAMES, CLOUDS, type CloudName } from '../clouds.js'
import { checkApplicable, readOperation } from '../inputs.js'
import type { Secrets } from '../secrets.js'
import { parseYamlOrJson } from '../structured/parse.js'
import {
  checkShape,
  credentialsSchema,
  credsSchema,
  proxySchema,
  secretLeaves
} from '../structured/schemas.js'
import * as check from '../validators.js'
import type { Endpoints, Limits, Target } from './model.js'
import type { InputReader } from './reader.js'
import { resolveTarget, type TargetKind } from './target.js'

/** The YAML/JSON inputs that carry secrets, parsed and their secret leaves masked. */
export interface SecretInputs {
  credentials?: BackendContract['credentials']
  proxy?: BackendContract['proxy']
  creds: CredsJson
}

type Schema = Parameters<typeof checkShape>[1]

export function readSecretInputs(reader: InputReader, secrets: Secrets): SecretInputs {
  const parse = <T>(
    input: 'backend-credentials' | 'proxy' | 'creds',
    kind: 'credentials' | 'proxy' | 'creds',
    schema: Schema
  ): T | undefined =>
    reader.optional(input, (text) => {
      const parsed = parseYamlOrJson(input, text)
      secrets.addAll(secretLeaves(parsed, kind))
      return checkShape(input, schema, parsed) as T
    })
  return {
    credentials: parse('backend-credentials', 'credentials', credentialsSchema),
    proxy: parse('proxy', 'proxy', proxySchema),
    creds: parse<CredsJson>('creds', 'creds', credsSchema) ?? {}
  }
}

/** The operation, and no input that belongs to another one; undefined when it is not known. */
export function readOperationInputs(reader: InputReader): Operation | undefined {
  const operation = reader.attempt(() => readOperation(reader.raw))
  if (operation !== undefined) reader.add(...checkApplicable(reader.raw, operation))
  // Its other rule (what-if: true) is the step's: pr-comment/request.ts.
  reader.optional('comment', (v) => check.boolean('comment', v))
  return operation
}

export function readEndpoints(reader: InputReader): Endpoints {
  const cloud: CloudName =
    reader.optional('environment', (v) => check.oneOfExact('environment', v, CLOUD_NAMES)) ??
    DEFAULT_ENVIRONMENT
  return {
    cloud,
    arm:
      reader.optional('arm-endpoint', (v) => check.httpsEndpoint('arm-endpoint', v)) ??
      CLOUDS[cloud].armEndpoint,
    authorityHost:
      reader.optional('authority-host', (v) => check.httpsEndpoint('authority-host', v)) ??
      CLOUDS[cloud].authorityHost,
    scope: CLOUDS[cloud].scope
  }
}

export function readLimits(reader: InputReader): Limits {
  // Each within its documented range (catalog.ts), and so within Node's timer range.
  const ms = (
    name: 'timeout-seconds' | 'max-wait-seconds' | 'request-timeout-seconds',
    fallback: number
  ) =>
    (reader.optional(name, (v) => check.wholeNumber(name, v, INPUTS[name].range)) ?? fallback) *
    1000
  return {
    timeoutMs: ms('timeout-seconds', DEFAULT_TIMEOUT_SECONDS),
    maxWaitMs: ms('max-wait-seconds', DEFAULT_MAX_WAIT_SECONDS),
    attemptTimeoutMs: ms('request-timeout-seconds', DEFAULT_REQUEST_TIMEOUT_SECONDS)
  }
}

/** Where the step points (target) and how it signs in; each undefined when refused. */
export function readTargetAndSignIn(
  reader: InputReader,
  kind: TargetKind,
  secretInputs: SecretInputs,
  endpoints: Endpoints,
  env: NodeJS.ProcessEnv
): { target?: Target; auth?: AuthPlan } {
  const cloud = CLOUDS[endpoints.cloud]
  const auth = reader.attempt(() => planAuth(reader.raw, secretInputs.creds, env, cloud))
  const target = reader.attempt(() => resolveTarget(reader.raw, kind, secretInputs.creds))
  return { target, auth }
}
