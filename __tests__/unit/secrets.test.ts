import { describe, expect, it, jest } from '@jest/globals'
import { redactBackend } from '../../src/azure/backend-json.js'
import { Secrets } from '../../src/secrets.js'

describe('secrets', () => {
  it('masks a value with core.setSecret, with its base64 and URL-encoded forms, once', () => {
    const writes: string[] = []
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c) => {
      writes.push(String(c))
      return true
    })
    const secrets = new Secrets()
    secrets.add('p@ss word')
    secrets.add('p@ss word')
    secrets.add('')
    spy.mockRestore()
    // The workflow command escapes % as %25; the runner undoes it.
    expect(writes.join('')).toBe(
      ['p@ss word', 'p%2540ss%2520word', 'cEBzcyB3b3Jk'].map((v) => `::add-mask::${v}\n`).join('')
    )
    expect(secrets.redact('a p@ss word, p%40ss%20word, cEBzcyB3b3Jk')).toBe('a ***, ***, ***')
  })

  it('replaces every credential value of a backend by ***, keeping names and schemes', () => {
    const backend = {
      id: '/x',
      properties: {
        url: 'https://a',
        credentials: {
          authorization: { scheme: 'Basic', parameter: 'p' },
          header: { a: ['1', '2'] },
          query: { q: ['3'] },
          certificateIds: ['c']
        },
        proxy: { url: 'http://p', username: 'u', password: 'pw' }
      }
    }
    expect(redactBackend(backend)).toEqual({
      id: '/x',
      properties: {
        url: 'https://a',
        credentials: {
          authorization: { scheme: 'Basic', parameter: '***' },
          header: { a: ['***', '***'] },
          query: { q: ['***'] },
          certificateIds: ['c']
        },
        proxy: { url: 'http://p', username: 'u', password: '***' }
      }
    })
    expect(backend.properties.proxy.password).toBe('pw')
  })
})
