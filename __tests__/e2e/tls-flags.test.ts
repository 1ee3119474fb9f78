// The live service refuses a `tls` object with one of its two flags since February 2026
// (Azure/azure-powershell#29209: New-AzApiManagementBackend with -SkipCertificateChainValidation
// alone). A workflow author who gives one skip-certificate-* input must still get a backend:
// the action sends both flags, the one not given keeping its current value (or the default).
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

const ORDERS = { url: 'https://orders.example.com', protocol: 'http' }

/** The `tls` of each write body the step sent, in order. */
function sentTls(): unknown[] {
  return emulator
    .armRequests()
    .filter((r) => r.method === 'PUT' || r.method === 'PATCH')
    .map((r) => (JSON.parse(r.body) as { properties: { tls?: unknown } }).properties.tls)
}

const storedTls = (id: string) => emulator.getBackend(SUB, RG, SERVICE, id)?.contract.properties.tls

describe('TLS validation flags: both are always sent', () => {
  it('create with only skip-certificate-chain-validation: the name check keeps its default (on)', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      ...ORDERS,
      'skip-certificate-chain-validation': 'true'
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('created')
    expect(sentTls()).toEqual([{ validateCertificateChain: false, validateCertificateName: true }])
    // The default is no change: the summary and `changes` name only the flag that was given.
    expect(JSON.parse(outcome.outputs.changes)).toContain('properties.tls.validateCertificateChain')
    expect(JSON.parse(outcome.outputs.changes)).not.toContain(
      'properties.tls.validateCertificateName'
    )
  })

  it('create with only skip-certificate-name-validation: the chain check keeps its default (on)', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      ...ORDERS,
      'skip-certificate-name-validation': 'true'
    })
    expect(outcome.failure).toBeUndefined()
    expect(sentTls()).toEqual([{ validateCertificateChain: true, validateCertificateName: false }])
  })

  it('update of one flag on a backend without tls: the other is sent at its default', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', ORDERS)
    const outcome = await runInProcess({
      operation: 'update',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      'skip-certificate-name-validation': 'true'
    })
    expect(outcome.failure).toBeUndefined()
    expect(outcome.outputs.result).toBe('updated')
    expect(sentTls()).toEqual([{ validateCertificateChain: true, validateCertificateName: false }])
    expect(storedTls('orders')).toEqual({
      validateCertificateChain: true,
      validateCertificateName: false
    })
  })

  it('update of one flag keeps the other at its current value', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      ...ORDERS,
      tls: { validateCertificateChain: false, validateCertificateName: true }
    })
    const outcome = await runInProcess({
      operation: 'update',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      'skip-certificate-name-validation': 'true'
    })
    expect(outcome.failure).toBeUndefined()
    expect(sentTls()).toEqual([{ validateCertificateChain: false, validateCertificateName: false }])
    expect(JSON.parse(outcome.outputs.changes)).toEqual(['properties.tls.validateCertificateName'])
  })

  it('any update of a backend stored with one flag sends its tls whole', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      ...ORDERS,
      tls: { validateCertificateChain: false }
    })
    const outcome = await runInProcess({
      operation: 'update',
      ...TARGET,
      ...secretSignIn(emulator),
      'backend-id': 'orders',
      url: 'https://orders-v2.example.com'
    })
    expect(outcome.failure).toBeUndefined()
    expect(sentTls()).toEqual([{ validateCertificateChain: false, validateCertificateName: true }])
    expect(JSON.parse(outcome.outputs.changes)).toEqual(['properties.url'])
  })

  it('a backends list whose items give one flag each creates every backend', async () => {
    const outcome = await runInProcess({
      operation: 'create',
      ...TARGET,
      ...secretSignIn(emulator),
      backends: [
        '- backend-id: a',
        '  url: https://a.example.com',
        '  protocol: http',
        '  skip-certificate-chain-validation: true',
        '- backend-id: b',
        '  url: https://b.example.com',
        '  protocol: http',
        '  skip-certificate-name-validation: true'
      ].join('\n')
    })
    expect(outcome.failure).toBeUndefined()
    expect(JSON.parse(outcome.outputs.results).map((r: { result: string }) => r.result)).toEqual([
      'created',
      'created'
    ])
    expect(storedTls('a')).toEqual({
      validateCertificateChain: false,
      validateCertificateName: true
    })
    expect(storedTls('b')).toEqual({
      validateCertificateChain: true,
      validateCertificateName: false
    })
  })
})
