// The Azure CLI doing the same PUT as the action's create, as a yardstick: `az rest` with the
// token fetched beforehand from the emulator's token endpoint (so az does no sign-in of its own),
// trusting the emulator's certificate through REQUESTS_CA_BUNDLE.
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:https'
import { delimiter, join } from 'node:path'
import { DEFAULT_CLIENT, type ApimEmulator } from '../emulator/server.js'
import { timedSpawn } from './child.js'

export const API_VERSION = '2024-05-01'

/** The first `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((p) => existsSync(p))
}

/** An ARM access token from the emulator's Entra endpoint (client credentials). */
export async function fetchToken(emulator: ApimEmulator): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: DEFAULT_CLIENT.clientId,
    client_secret: DEFAULT_CLIENT.clientSecret ?? '',
    scope: 'https://management.azure.com/.default'
  }).toString()
  const url = new URL(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token`)
  const text = await new Promise<string>((done, fail) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: readFileSync(emulator.certPath),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body)
        }
      },
      (res) => {
        let data = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (data += d))
        res.on('end', () =>
          res.statusCode === 200 ? done(data) : fail(new Error(`token: ${res.statusCode} ${data}`))
        )
      }
    )
    req.on('error', fail)
    req.end(body)
  })
  return (JSON.parse(text) as { access_token: string }).access_token
}

/** One timed `az rest --method put` of a backend; throws when az fails. */
export async function azPut(
  az: string,
  emulator: ApimEmulator,
  backendUrl: string,
  properties: object,
  token: string
): Promise<number> {
  const result = await timedSpawn(
    az,
    [
      'rest',
      '--method',
      'put',
      '--url',
      `${backendUrl}?api-version=${API_VERSION}`,
      '--body',
      JSON.stringify({ properties }),
      '--skip-authorization-header',
      '--headers',
      `Authorization=Bearer ${token}`,
      '--output',
      'none'
    ],
    {
      ...(process.env as Record<string, string>),
      REQUESTS_CA_BUNDLE: emulator.certPath,
      // No telemetry upload or survey prompt: only the PUT itself is timed.
      AZURE_CORE_COLLECT_TELEMETRY: 'false',
      AZURE_CORE_SURVEY_MESSAGE: 'false'
    }
  )
  if (result.code !== 0) throw new Error(`az rest failed (${result.code}): ${result.stderr.trim()}`)
  return result.ms
}
