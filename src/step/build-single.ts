// Step 2 of the data flow: raw inputs -> one validated request. Nothing here touches the network
// or loads Azure code; every problem is an InputError, collected so the user sees all of them at
// once. The common inputs are read here, the operation's own by its rules (operations/<name>/).
import { INPUTS } from '../catalog.js'
import type { RawInputs } from '../inputs.js'
import { type ActionRequest, REGISTRY } from '../operations/registry.js'
import type { DesiredBackend } from '../operations/spec.js'
import { readBackendFields } from '../input-rules/backend-fields.js'
import {
  readEndpoints,
  readLimits,
  readOperationInputs,
  readSecretInputs,
  readTargetAndSignIn
} from '../input-rules/common.js'
import { InputReader } from '../input-rules/reader.js'
import { secretValues, urlSecrets } from '../secret-fields.js'
import type { Secrets } from '../secrets.js'
import * as check from '../validators.js'

/** Validate everything; secrets are registered with `secrets` as soon as they are read. */
export function buildRequest(
  raw: RawInputs,
  secrets: Secrets,
  env: NodeJS.ProcessEnv,
  /** The items of a backends file, for an operation over the whole of it (build-desired.ts). */
  desired?: DesiredBackend[]
): ActionRequest {
  // Secrets first, before any check can fail and print something (a message may quote a URL).
  secrets.add(raw['client-secret'])
  const urls = [raw.url, raw['resource-id'], raw['health-url'], raw['arm-endpoint']]
  secrets.addAll([...urls, raw['authority-host']].flatMap((u) => urlSecrets(u ?? '')))
  const reader = new InputReader(raw)
  const secretInputs = readSecretInputs(reader, secrets)
  const operation = readOperationInputs(reader)
  if (operation === undefined) throw reader.refused()

  const endpoints = readEndpoints(reader)
  const spec = REGISTRY[operation]
  const { target, auth } = readTargetAndSignIn(reader, spec.target, secretInputs, endpoints, env)
  const limits = readLimits(reader)
  const common = target && auth ? { target, auth, endpoints, limits } : undefined
  // Read with `backends` (step/build-batch.ts); without it, a bad value is still reported.
  reader.optional('max-parallel', (v) =>
    check.wholeNumber('max-parallel', v, INPUTS['max-parallel'].range)
  )
  const fields = readBackendFields(reader, secretInputs, endpoints, common?.target)
  // Every secret the backend's fields hold, by place (secret-fields.ts): the URLs of a Service
  // Fabric cluster too, whose parse errors never quote their text.
  secrets.addAll(secretValues(fields.contract))
  const request = spec.parse(reader, { common, limits, fields, secrets, desired, env })
  if (!reader.ok || request === undefined) throw reader.refused()
  return request
}
