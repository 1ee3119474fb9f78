// Failures that are not a server's answer, as a workflow author reads them: the origin that could
// not be reached and why, however deeply the SDK or MSAL wrapped the Node error; and, after a
// failure, re-run advice that is true for what the step wrote.
import { describe, expect, it } from '@jest/globals'
import { createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import {
  describeNetworkFailure,
  isCertificateFailure,
  neverSent,
  originOf
} from '../../src/azure/network-errors.js'
import { Deadline, rerunAdvice } from '../../src/azure/deadline.js'
import { Traffic } from '../../src/azure/traffic.js'

const ARM =
  'https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/backends/b1?api-version=2024-05-01'

/** A Node socket error, as http.request emits it. */
function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code })
}

/** As core-rest-pipeline's Node client rejects: a RestError carrying the Node error's code. */
function sendError(code: string, message: string): RestError {
  return new RestError(message, { code, request: createPipelineRequest({ url: ARM }) })
}

describe('what could not be reached, and why', () => {
  it.each([
    [
      'ECONNREFUSED',
      'connect ECONNREFUSED 10.0.0.1:443',
      'cannot reach https://management.azure.com: connection refused (ECONNREFUSED)'
    ],
    [
      'ENOTFOUND',
      'getaddrinfo ENOTFOUND management.azure.com',
      'cannot reach https://management.azure.com: name not resolved (ENOTFOUND)'
    ],
    [
      'EAI_AGAIN',
      'getaddrinfo EAI_AGAIN management.azure.com',
      'cannot reach https://management.azure.com: name not resolved, DNS did not answer (EAI_AGAIN)'
    ],
    [
      'ETIMEDOUT',
      'connect ETIMEDOUT 10.0.0.1:443',
      'cannot reach https://management.azure.com: timed out (ETIMEDOUT)'
    ],
    [
      'ECONNRESET',
      'read ECONNRESET',
      'cannot reach https://management.azure.com: connection reset (ECONNRESET)'
    ],
    [
      'EHOSTUNREACH',
      'connect EHOSTUNREACH 10.0.0.1:443',
      'cannot reach https://management.azure.com: host or network unreachable (EHOSTUNREACH)'
    ]
  ])('%s', (code, message, expected) => {
    expect(describeNetworkFailure(sendError(code, message), ARM)).toBe(expected)
  })

  it.each([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  ])('an untrusted certificate (%s): named as such, with the fix', (code) => {
    const e = sendError(code, 'self-signed certificate in certificate chain')
    expect(describeNetworkFailure(e, ARM)).toBe(
      `the certificate of https://management.azure.com is not trusted (self-signed? set NODE_EXTRA_CA_CERTS): ${code}`
    )
    expect(isCertificateFailure(e)).toBe(true)
  })

  it('an expired certificate, and one for another name', () => {
    expect(
      describeNetworkFailure(sendError('CERT_HAS_EXPIRED', 'certificate has expired'), ARM)
    ).toBe(
      'the certificate of https://management.azure.com has expired or is not yet valid (CERT_HAS_EXPIRED)'
    )
    expect(
      describeNetworkFailure(
        sendError(
          'ERR_TLS_CERT_ALTNAME_INVALID',
          "Hostname/IP does not match certificate's altnames"
        ),
        ARM
      )
    ).toBe(
      'the certificate of https://management.azure.com is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)'
    )
  })

  it('the cause chain is walked: a wrapper around a wrapper around the Node error', () => {
    const inner = nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443')
    const wrapped = new Error('network_error: Network request failed', {
      cause: new Error('request failed', { cause: inner })
    })
    expect(
      describeNetworkFailure(wrapped, 'https://login.example.com/tenant/oauth2/v2.0/token')
    ).toBe('cannot reach https://login.example.com: connection refused (ECONNREFUSED)')
  })

  it("an AggregateError (Node's happy-eyeballs connect) is read through its errors", () => {
    const e = Object.assign(
      new AggregateError([nodeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:443')]),
      {
        code: undefined
      }
    )
    expect(describeNetworkFailure(e, 'https://localhost:8443/x')).toBe(
      'cannot reach https://localhost:8443: connection refused (ECONNREFUSED)'
    )
  })

  it('a wrapper that kept only the text (MSAL, @azure/identity) is read from the text', () => {
    expect(
      describeNetworkFailure(
        new Error('ClientSecretCredential: getaddrinfo ENOTFOUND login.contoso.invalid'),
        'https://login.contoso.invalid'
      )
    ).toBe('cannot reach https://login.contoso.invalid: name not resolved (ENOTFOUND)')
    expect(
      describeNetworkFailure(
        new Error('self-signed certificate in certificate chain'),
        'https://login.example'
      )
    ).toBe(
      'the certificate of https://login.example is not trusted (self-signed? set NODE_EXTRA_CA_CERTS)'
    )
  })

  it('only the origin is named: never the path, the query or credentials in the URL', () => {
    expect(originOf('https://user:pa55@host.example:8443/a/b?sig=secret#x')).toBe(
      'https://host.example:8443'
    )
    expect(originOf('not a url')).toBe('the endpoint')
  })

  it('an HTTP answer, an abort or a bug is not a network failure', () => {
    const answered = new RestError('Bad Request', { statusCode: 400, code: 'ValidationError' })
    expect(describeNetworkFailure(answered, ARM)).toBeUndefined()
    expect(
      describeNetworkFailure(Object.assign(new Error('aborted'), { name: 'AbortError' }), ARM)
    ).toBeUndefined()
    expect(
      describeNetworkFailure(
        new TypeError("Cannot read properties of undefined (reading 'x')"),
        ARM
      )
    ).toBeUndefined()
    expect(describeNetworkFailure(undefined, ARM)).toBeUndefined()
  })

  it('whether the request is known never to have left: refused, unresolved or TLS — not a timeout or reset', () => {
    expect(neverSent(sendError('ECONNREFUSED', ''))).toBe(true)
    expect(neverSent(sendError('ENOTFOUND', ''))).toBe(true)
    expect(neverSent(sendError('SELF_SIGNED_CERT_IN_CHAIN', ''))).toBe(true)
    expect(neverSent(sendError('ETIMEDOUT', ''))).toBe(false)
    expect(neverSent(sendError('ECONNRESET', ''))).toBe(false)
    expect(neverSent(new Error('The operation was aborted.'))).toBe(false)
  })
})

describe('re-run advice, from what the writes did', () => {
  const PUT = `${ARM.split('?')[0]}?api-version=2024-05-01`
  const traffic = (...attempts: { method: string; status?: number; unsent?: boolean }[]) => {
    const t = new Traffic()
    for (const a of attempts) t.attempts.push({ url: PUT, ...a })
    return t
  }

  it('nothing written (reads only, or writes refused before they left): a clean re-run', () => {
    expect(rerunAdvice(traffic({ method: 'GET', status: 200 }))).toBe(
      'Nothing was written, so a re-run starts clean.'
    )
    expect(rerunAdvice(traffic({ method: 'PUT', unsent: true }))).toBe(
      'Nothing was written, so a re-run starts clean.'
    )
    expect(rerunAdvice(traffic({ method: 'PUT', status: 400 }))).toBe(
      'Nothing was written, so a re-run starts clean.'
    )
  })

  it('a write that got no answer may have been applied: check first; if-exists: fail is named', () => {
    const t = traffic({ method: 'PUT' })
    expect(rerunAdvice(t)).toBe(
      'PUT /backends/b1 got no answer and may have been applied: check the backend before re-running.'
    )
    t.failsOnRepeat = { setting: 'if-exists: fail', instead: 'if-exists: skip' }
    expect(rerunAdvice(t)).toBe(
      'PUT /backends/b1 got no answer and may have been applied: check the backend before re-running (with if-exists: fail a re-run would fail if it was).'
    )
  })

  it('a lost attempt whose retry was answered 2xx is applied, not unknown', () => {
    expect(rerunAdvice(traffic({ method: 'PATCH' }, { method: 'PATCH', status: 200 }))).toBe(
      'Already applied: PATCH /backends/b1; a re-run is safe.'
    )
  })

  it('an applied create with if-exists: fail: a re-run would fail, so the advice says what to use', () => {
    const t = traffic({ method: 'PUT', status: 201 })
    t.failsOnRepeat = { setting: 'if-exists: fail', instead: 'if-exists: skip' }
    expect(rerunAdvice(t)).toBe(
      'Already applied: PUT /backends/b1; with if-exists: fail a re-run would fail on it, so re-run with if-exists: skip.'
    )
  })

  it('once the step has read the backend again, a lost write is known', () => {
    const t = traffic({ method: 'PUT' })
    t.settle('PUT', PUT, 'not-applied')
    expect(rerunAdvice(t)).toBe('Nothing was written, so a re-run starts clean.')
    t.settle('PUT', PUT, 'applied')
    expect(rerunAdvice(t)).toBe('Already applied: PUT /backends/b1; a re-run is safe.')
  })

  it('the step timeout carries the advice; without a traffic record it promises nothing', () => {
    const withTraffic = new Deadline(60_000, traffic({ method: 'PUT' }))
    withTraffic.plan('reading the backend', 'writing the backend')
    withTraffic.start('reading the backend')
    withTraffic.done('reading the backend')
    withTraffic.start('writing the backend')
    expect(withTraffic.error().message).toBe(
      'Timed out after 60 s (timeout-seconds) while writing the backend. Done: reading the backend. Not done: writing the backend. PUT /backends/b1 got no answer and may have been applied: check the backend before re-running. Hint: raise timeout-seconds.'
    )
    withTraffic.dispose()
    const bare = new Deadline(60_000)
    expect(bare.error().message).toBe(
      'Timed out after 60 s (timeout-seconds). Done: nothing. Not done: nothing. Hint: raise timeout-seconds.'
    )
    bare.dispose()
  })
})
