// The certificate must be trusted by a fresh Node process through NODE_EXTRA_CA_CERTS alone,
// which is how the tests, the demo and the action's e2e runs trust the emulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:https'
import { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createCertificate, ensureCertificate } from '../../emulator/cert.js'

/** Runs a GET in a child Node process; resolves with its stdout or the error code it printed. */
function childFetch(url: string, extraCa?: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' }
  delete env.NODE_EXTRA_CA_CERTS
  if (extraCa) env.NODE_EXTRA_CA_CERTS = extraCa
  const script = `require('node:https').get(${JSON.stringify(url)}, (r) => { console.log('status ' + r.statusCode); r.resume() }).on('error', (e) => console.log('error ' + e.code))`
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script], { env, timeout: 15000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim())
    )
  )
}

describe('ensureCertificate', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'apim-emulator-cert-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes a one-year self-signed CA certificate for 127.0.0.1 and localhost', async () => {
    const files = await ensureCertificate(dir)
    expect(files.certPath).toBe(path.join(dir, 'cert.pem'))
    expect(readFileSync(files.keyPath, 'utf8')).toBe(files.key)
    const x509 = new X509Certificate(files.cert)
    expect(x509.ca).toBe(true)
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1')
    expect(x509.subjectAltName).toContain('DNS:localhost')
    expect(x509.keyUsage).toContain('1.3.6.1.5.5.7.3.1')
    const days = (Date.parse(x509.validTo) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(360)
    expect(days).toBeLessThan(367)
  })

  it('reuses existing files and replaces a certificate that expires within a day', async () => {
    const first = await ensureCertificate(dir)
    expect((await ensureCertificate(dir)).cert).toBe(first.cert)
    const soon = await createCertificate(new Date(Date.now() + 12 * 3600_000))
    writeFileSync(first.certPath, soon.cert)
    writeFileSync(first.keyPath, soon.key)
    const renewed = await ensureCertificate(dir)
    expect(renewed.cert).not.toBe(soon.cert)
    expect(Date.parse(new X509Certificate(renewed.cert).validTo) - Date.now()).toBeGreaterThan(
      360 * 86_400_000
    )
  })

  it('is trusted by a child Node process through NODE_EXTRA_CA_CERTS, and only then', async () => {
    const { cert, key, certPath } = await ensureCertificate(dir)
    const server = createServer({ cert, key }, (_req, res) => res.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      expect(await childFetch(`https://127.0.0.1:${port}/`, certPath)).toBe('status 200')
      expect(await childFetch(`https://localhost:${port}/`, certPath)).toBe('status 200')
      expect(await childFetch(`https://127.0.0.1:${port}/`)).toMatch(
        /^error (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/
      )
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
