// An ARM error text is shown on one line, whatever line breaks Azure's message
// or a detail holds (the ::error:: command's %0A would make the runner show several lines).
import { describe, expect, it } from '@jest/globals'
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import { describeAzureError } from '../../src/azure/errors.js'
import { Traffic } from '../../src/azure/traffic.js'

const URL_ =
  'https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/backends/b1?api-version=2024-05-01'

function answer(status: number, body: unknown): RestError {
  const request = createPipelineRequest({ url: URL_, method: 'PUT' })
  const headers = createHttpHeaders({})
  return new RestError('the SDK message', {
    statusCode: status,
    request,
    response: { status, headers, request, bodyAsText: JSON.stringify(body) }
  })
}

describe('ARM error texts on one line', () => {
  it('a detail message with line breaks', () => {
    const e = answer(400, {
      error: {
        code: 'ValidationError',
        message: 'One or more fields contain incorrect values:\r\n',
        details: [{ code: 'ValidationError', target: 'url', message: 'Line one.\r\nLine two' }]
      }
    })
    const text = describeAzureError(e, {
      doing: "Creating backend 'b1'",
      target: {
        subscriptionId: 's',
        resourceGroup: 'rg1',
        serviceName: 'apim1',
        backendId: 'b1'
      } as never,
      principal: 'p',
      traffic: new Traffic()
    }).message
    expect(text).toContain('Line two')
    expect(text).not.toMatch(/[\r\n]/)
  })
})
