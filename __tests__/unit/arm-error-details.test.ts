// What a workflow author reads when Azure refuses a write with the reason only in `details[]`: each
// detail is printed with its code, target and message, the target is named by the input that sets
// it, and the hint names those inputs. The bodies are the ones the live service sends
// (docs/backend-contract.md "Real traffic").
import { describe, expect, it } from '@jest/globals'
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import { inputOfTarget, parseArmError } from '../../src/azure/arm-error-body.js'
import { describeAzureError } from '../../src/azure/errors.js'
import { Traffic } from '../../src/azure/traffic.js'

const SUB = '00000000-0000-0000-0000-000000000000'
const URL_ = `https://management.azure.com/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/backends/b1?api-version=2024-05-01`
const CORRELATION = '3f0c2a4e-0000-4000-8000-000000000001'

/** Azure's answer to a PUT of backend b1, as the SDK hands it to the action. */
function answer(status: number, body: unknown): RestError {
  const request = createPipelineRequest({ url: URL_, method: 'PUT' })
  const headers = createHttpHeaders({ 'x-ms-correlation-request-id': CORRELATION })
  const bodyAsText = typeof body === 'string' ? body : JSON.stringify(body)
  return new RestError('the SDK’s own message', {
    statusCode: status,
    request,
    response: { status, headers, request, bodyAsText }
  })
}

function message(e: unknown, doing = "Creating backend 'b1'"): string {
  return describeAzureError(e, {
    doing,
    target: {
      subscriptionId: SUB,
      resourceGroup: 'rg1',
      serviceName: 'apim1',
      backendId: 'b1'
    } as never,
    principal: 'the principal 11111111-1111-1111-1111-111111111111',
    traffic: new Traffic()
  }).message
}

describe('a 400 whose reason is in details', () => {
  it('resource-id given as an ARM id: the detail and the input are named', () => {
    const e = answer(400, {
      error: {
        code: 'ValidationError',
        message: 'One or more fields contain incorrect values:',
        details: [
          {
            code: 'ValidationError',
            target: 'resourceId',
            message: 'Value should represent absolute http URL'
          }
        ]
      }
    })
    expect(message(e)).toBe(
      `Creating backend 'b1' failed: HTTP 400 ValidationError: One or more fields contain incorrect values: resourceId (input resource-id): Value should represent absolute http URL. Correlation id: ${CORRELATION}. Hint: Azure refused the request as invalid; check the input resource-id.`
    )
  })

  it('a pool with url and protocol: a detail without a target names no input', () => {
    const e = answer(400, {
      error: {
        code: 'ValidationError',
        message: 'One or more fields contain incorrect values:',
        details: [
          { code: 'ValidationError', message: 'Url/Protocol is not supported for backend pool.' }
        ]
      }
    })
    expect(message(e)).toBe(
      `Creating backend 'b1' failed: HTTP 400 ValidationError: One or more fields contain incorrect values: Url/Protocol is not supported for backend pool. Correlation id: ${CORRELATION}. Hint: Azure refused the request as invalid; check the inputs named in the message.`
    )
  })

  it('several details, one with a code of its own and a prefixed, differently cased target', () => {
    const e = answer(400, {
      error: {
        code: 'ValidationError',
        message: 'One or more fields contain incorrect values:',
        details: [
          { code: 'ValidationError', target: 'protocol', message: 'Protocol is not supported' },
          {
            code: 'InvalidHeader',
            target: 'properties.Credentials.Header.x-key',
            message: 'Header name is reserved.'
          }
        ]
      }
    })
    expect(message(e)).toContain(
      ': One or more fields contain incorrect values: protocol (input protocol): Protocol is not supported; InvalidHeader at properties.Credentials.Header.x-key (input backend-credentials): Header name is reserved. Correlation id:'
    )
    expect(message(e)).toMatch(
      /Hint: Azure refused the request as invalid; check the inputs protocol, backend-credentials\.$/
    )
  })

  it('nested details are flattened, each entry printed', () => {
    const e = answer(400, {
      error: {
        code: 'ValidationError',
        message: 'Validation failed.',
        details: [
          {
            code: 'ValidationError',
            details: [
              { code: 'ValidationError', target: 'proxy.url', message: 'Invalid URL' },
              {
                code: 'ValidationError',
                target: 'circuitBreaker.rules[0].tripDuration',
                message: 'Invalid duration'
              }
            ]
          }
        ]
      }
    })
    expect(message(e)).toContain(
      'HTTP 400 ValidationError: Validation failed: proxy.url (input proxy): Invalid URL; circuitBreaker.rules[0].tripDuration (input circuit-breaker): Invalid duration.'
    )
  })

  it('a message with no details, or details: null, reads as before', () => {
    const notFound = answer(404, {
      error: { code: 'ResourceNotFound', message: 'Backend not found.', details: null }
    })
    expect(message(notFound, "Reading backend 'b1'")).toMatch(
      /^Reading backend 'b1' failed: HTTP 404 ResourceNotFound: Backend not found\. Correlation id: /
    )
    const plain = answer(400, { error: { code: 'BadRequest', message: 'Bad request.' } })
    expect(message(plain)).toMatch(
      /HTTP 400 BadRequest: Bad request\. Correlation id: .* Hint: Azure refused the request as invalid; check the inputs named in the message\.$/
    )
  })

  it('a body that is not JSON falls back to the SDK’s message', () => {
    expect(message(answer(400, '<html>Bad Request</html>'))).toContain(
      'HTTP 400: the SDK’s own message'
    )
  })
})

describe('targets map to the inputs that set them', () => {
  it.each([
    ['resourceId', 'resource-id'],
    ['properties.resourceId', 'resource-id'],
    ['ResourceId', 'resource-id'],
    ['url', 'url'],
    ['Properties.Protocol', 'protocol'],
    ['title', 'title'],
    ['description', 'description'],
    ['credentials.authorization.parameter', 'backend-credentials'],
    ['credentials', 'backend-credentials'],
    ['proxy.password', 'proxy'],
    ['tls.validateCertificateChain', 'skip-certificate-chain-validation'],
    ['properties.tls.validateCertificateName', 'skip-certificate-name-validation'],
    ['tls', 'skip-certificate-chain-validation / skip-certificate-name-validation'],
    ['pool.services[0].id', 'pool'],
    ['circuitBreaker.rules', 'circuit-breaker'],
    ['properties.serviceFabricCluster.managementEndpoints', 'service-fabric-cluster'],
    ['after', 'time-until-reset']
  ])('%s → %s', (target, input) => {
    expect(inputOfTarget(target)).toBe(input)
  })

  it('a target no input sets, or none at all, names no input', () => {
    expect(inputOfTarget('type')).toBeUndefined()
    expect(inputOfTarget('')).toBeUndefined()
    expect(inputOfTarget(undefined)).toBeUndefined()
  })
})

describe('the envelope', () => {
  it('is read with or without the error wrapper; details absent, null or not a list give none', () => {
    expect(parseArmError('{"code":"X","message":"m"}')).toEqual({
      code: 'X',
      message: 'm',
      details: []
    })
    for (const details of [undefined, null, 'text', {}])
      expect(
        parseArmError(JSON.stringify({ error: { code: 'X', message: 'm', details } }))?.details
      ).toEqual([])
    expect(parseArmError('not json')).toBeUndefined()
    expect(parseArmError('')).toBeUndefined()
  })
})
