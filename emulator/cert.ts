// The emulator serves HTTPS because the Azure SDK refuses to send a bearer token over plain
// HTTP and MSAL refuses a non-https authority. Clients trust this certificate through
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up: so the certificate is written to disk
// once and reused by every later process, instead of being made fresh in memory each time.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { generate } from 'selfsigned'

export interface CertificateFiles {
  certPath: string
  keyPath: string
  cert: string
  key: string
}

const DAY_MS = 24 * 60 * 60 * 1000
const LOCK_STALE_MS = 30_000
const LOCK_WAIT_MS = 20_000

/** Returns the emulator's certificate in `dir`, creating it when absent, invalid or expiring. */
export async function ensureCertificate(dir = '.emulator'): Promise<CertificateFiles> {
  const absDir = path.resolve(dir)
  const certPath = path.join(absDir, 'cert.pem')
  const keyPath = path.join(absDir, 'key.pem')

  const existing = await readUsable(certPath, keyPath)
  if (existing) return existing

  await mkdir(absDir, { recursive: true })
  // Several jest workers may start at once: a lock keeps them from writing a certificate
  // and a key that belong to two different pairs.
  const release = await lock(path.join(absDir, '.lock'))
  try {
    const again = await readUsable(certPath, keyPath)
    if (again) return again
    const { cert, key } = await createCertificate()
    await writeAtomically(keyPath, key, 0o600)
    await writeAtomically(certPath, cert, 0o644)
    return { certPath, keyPath, cert, key }
  } finally {
    await release()
  }
}

/** A self-signed certificate that Node accepts as its own root (CA) and as a server leaf. */
export async function createCertificate(
  notAfterDate = new Date(Date.now() + 365 * DAY_MS)
): Promise<{ cert: string; key: string }> {
  const pems = await generate(
    [
      { name: 'commonName', value: 'localhost' },
      { name: 'organizationName', value: 'APIM backend emulator (local only)' }
    ],
    {
      keySize: 2048,
      algorithm: 'sha256',
      // A minute of slack so a client whose clock is slightly behind still accepts it.
      notBeforeDate: new Date(Date.now() - 60_000),
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        {
          name: 'keyUsage',
          keyCertSign: true,
          digitalSignature: true,
          keyEncipherment: true,
          critical: true
        },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' }
          ]
        }
      ]
    }
  )
  return { cert: pems.cert, key: pems.private }
}

async function readUsable(
  certPath: string,
  keyPath: string
): Promise<CertificateFiles | undefined> {
  let cert: string
  let key: string
  try {
    ;[cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')])
  } catch {
    return undefined
  }
  try {
    const x509 = new X509Certificate(cert)
    const expiresSoon = Date.parse(x509.validTo) - Date.now() < DAY_MS
    const coversLoopback = (x509.subjectAltName ?? '').includes('IP Address:127.0.0.1')
    if (expiresSoon || !coversLoopback || !x509.checkPrivateKey(createPrivateKey(key))) {
      return undefined
    }
  } catch {
    return undefined
  }
  return { certPath, keyPath, cert, key }
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, content, { mode })
  await rename(tmp, file)
}

async function lock(lockPath: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx')
      await handle.close()
      return () => unlink(lockPath).catch(() => undefined)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0
      )
      if (age > LOCK_STALE_MS) await unlink(lockPath).catch(() => undefined)
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${lockPath}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}
