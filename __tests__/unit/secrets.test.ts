import { describe, expect, it, jest } from '@jest/globals'
import { redactBackend } from '../../src/azure/backend-json.js'
import { Secrets } from '../../src/secrets.js'
import { redactUrl, secretValues, urlSecrets } from '../../src/secret-fields.js'
import { inertLine } from '../../src/workflow.js'

describe('secrets', () => {
  it('masks a value with core.setSecret, with its base64, URL- and form-encoded forms, once', () => {
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
      ['p@ss word', 'cEBzcyB3b3Jk', 'p%2540ss%2520word', 'p%2540ss+word']
        .map((v) => `::add-mask::${v}\n`)
        .join('')
    )
    // The runner gets the forms other programs print; the action's own lines are searched for
    // every form, those encoded twice among them.
    expect(secrets.redact('a p@ss word, p%40ss%20word, cEBzcyB3b3Jk, p%2540ss%2520word')).toBe(
      'a ***, ***, ***, ***'
    )
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

describe('secrets in free text, in every form a reader meets', () => {
  it("redacts the \\uXXXX form in which ARM writes & < > ' + inside JSON", () => {
    const secrets = new Secrets()
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    secrets.add("a&b<c>d'e+f")
    spy.mockRestore()
    const body = JSON.stringify({ v: "a&b<c>d'e+f" }).replace(
      /[&<>'+]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
    )
    expect(body).toContain('\\u0026')
    expect(secrets.redact(body)).toBe('{"v":"***"}')
  })
})

describe('secrets in an error text, however it encodes them', () => {
  function registered(...values: string[]): Secrets {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const secrets = new Secrets()
    secrets.addAll(values)
    spy.mockRestore()
    return secrets
  }

  it('percent-encoded with lower-case hex, or twice, as a URL inside a query parameter is', () => {
    const secrets = registered('k:ey/1=2+3')
    for (const form of [
      'k%3Aey%2F1%3D2%2B3',
      'k%3aey%2f1%3d2%2b3',
      'k%253Aey%252F1%253D2%252B3',
      'k%253aey%252f1%253d2%252b3'
    ])
      expect(secrets.redact(`redirect_uri=https%3A%2F%2Fx%3Fkey%3D${form}&next`)).toBe(
        'redirect_uri=https%3A%2F%2Fx%3Fkey%3D***&next'
      )
  })

  it('HTML-escaped, with quotes as each escaper writes them', () => {
    const secrets = registered(`p&ss'w<rd>"1`)
    for (const form of [
      'p&amp;ss&#39;w&lt;rd&gt;&quot;1',
      'p&amp;ss&#x27;w&lt;rd&gt;&#34;1',
      'p&amp;ss&apos;w&lt;rd&gt;&#x22;1',
      `p&amp;ss'w&lt;rd&gt;"1`
    ])
      expect(secrets.redact(`<p>Invalid header value ${form}.</p>`)).toBe(
        '<p>Invalid header value ***.</p>'
      )
  })

  it('as other encoders write it: .NET and Go HTML, RFC 3986 and Python escaping, JSON \\/, base64 unpadded or URL-safe, mixed-case hex', () => {
    const secret = "K3y+Val&ue!/x~(1)'z"
    const secrets = registered(secret)
    const b64 = Buffer.from(secret).toString('base64')
    for (const form of [
      'K3y&#x2B;Val&amp;ue!/x~(1)&#x27;z',
      'K3y&#43;Val&amp;ue!/x~(1)&#39;z',
      'K3y%2BVal%26ue%21%2Fx~%281%29%27z',
      'K3y%2BVal%26ue%21/x~%281%29%27z',
      "K3y+Val&ue!\\/x~(1)'z",
      b64.replace(/=+$/, ''),
      Buffer.from(secret).toString('base64url'),
      "K3y%2bVal%26ue!%2Fx~(1)'z"
    ])
      expect([form, secrets.redact(`Invalid value [${form}].`)]).toEqual([
        form,
        'Invalid value [***].'
      ])
  })

  it("base64 of the proxy's user:password, as Proxy-Authorization: Basic carries it", () => {
    const values = secretValues(
      { url: 'http://proxy:3128', username: 'svc-apim', password: 'pr0xy-pw' },
      ['proxy']
    )
    expect(values).toEqual(['pr0xy-pw', 'svc-apim:pr0xy-pw'])
    const basic = Buffer.from('svc-apim:pr0xy-pw').toString('base64')
    expect(registered(...values).redact(`Proxy-Authorization: Basic ${basic}`)).toBe(
      'Proxy-Authorization: Basic ***'
    )
  })

  it('a Basic authorization parameter: its decoded user:password, and the password alone', () => {
    const parameter = Buffer.from('orders:S3cret-pw').toString('base64')
    const values = secretValues({ authorization: { scheme: 'basic', parameter } }, ['credentials'])
    expect(values).toEqual([parameter, 'orders:S3cret-pw', 'S3cret-pw'])
    expect(registered(...values).redact('login orders:S3cret-pw failed; password S3cret-pw')).toBe(
      'login *** failed; password ***'
    )
    // Not base64 of text with a colon, or another scheme: the parameter alone.
    for (const authorization of [
      { scheme: 'Basic', parameter: 'not base64!' },
      { scheme: 'Basic', parameter: Buffer.from('no colon here').toString('base64') },
      { scheme: 'Bearer', parameter }
    ])
      expect(secretValues({ authorization }, ['credentials'])).toEqual([authorization.parameter])
  })

  it('a pair whose password is too short to mask is left out with it', () => {
    expect(secretValues({ username: 'svc-apim', password: 'pw' }, ['proxy'])).toEqual(['pw'])
  })
})

describe('a secret too short to mask', () => {
  function capture(fn: (secrets: Secrets) => void): { secrets: Secrets; written: string } {
    const writes: string[] = []
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c) => {
      writes.push(String(c))
      return true
    })
    const secrets = new Secrets()
    try {
      fn(secrets)
    } finally {
      spy.mockRestore()
    }
    return { secrets, written: writes.join('') }
  }

  it('is not handed to the runner, nor any encoding of it, and the log says so once', () => {
    const { secrets, written } = capture((s) => {
      s.add('e')
      s.add('::')
      s.add(' é ')
      s.add('key-4711')
    })
    expect(written.split('\n').filter((l) => l.startsWith('::add-mask::'))).toEqual([
      '::add-mask::key-4711',
      '::add-mask::a2V5LTQ3MTE='
    ])
    expect(written.match(/not registered with the runner's mask/g)).toHaveLength(1)
    expect(written).not.toMatch(/'e'|'::'|ZQ==|Ojo=|%3A%3A/)
    // Nor searched for in the action's own lines: they keep every e and ::.
    expect(secrets.redact('Listed the backends: e, ::, key-4711.')).toBe(
      'Listed the backends: e, ::, ***.'
    )
  })

  it('a secret of several lines is handed over line by line, its short lines left out', () => {
    const { secrets, written } = capture((s) => s.add('-----BEGIN KEY-----\nab\nMIIBkey-body\n'))
    const masks = written.split('\n').filter((l) => l.startsWith('::add-mask::'))
    expect(masks).toContain('::add-mask::-----BEGIN KEY-----')
    expect(masks).toContain('::add-mask::MIIBkey-body')
    expect(masks.some((m) => m.endsWith('::ab') || m.includes('%0A'))).toBe(false)
    expect(secrets.redact('a line: MIIBkey-body; ab stays')).toBe('a line: ***; ab stays')
  })
})

describe('many secrets', () => {
  const quiet = () => jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

  it('registers a page of read-back values with the runner in one write', () => {
    const spy = quiet()
    const secrets = new Secrets()
    secrets.addAll(Array.from({ length: 1000 }, (_, i) => `header-value-${i}`))
    const writes = spy.mock.calls.map(([chunk]) => String(chunk))
    spy.mockRestore()
    expect(writes).toHaveLength(1)
    expect(writes[0].split('\n').filter((l) => l.startsWith('::add-mask::'))).toHaveLength(2000)
  })

  // A few secrets are searched for one by one, many in one automaton: both ways are tried.
  const withFew = (keys: string[]) => keys
  const withMany = (keys: string[]) => [
    ...keys,
    ...Array.from({ length: 200 }, (_, i) => `other-key-${i}`)
  ]

  it('finds a key however the text around it combines characters', () => {
    for (const values of [withFew, withMany]) {
      const spy = quiet()
      const secrets = new Secrets()
      secrets.addAll(values(['cafe-key', 'clé-2']))
      spy.mockRestore()
      // A combining accent after the key, a CR LF around it, an emoji joined to it.
      expect(secrets.redact('cafe-key\u0301 | \r\ncafe-key\r\n | \u200dclé-2\u200d👍')).toBe(
        '***\u0301 | \r\n***\r\n | \u200d***\u200d👍'
      )
    }
  })

  it('finds keys added after a text was searched, and the earlier ones still', () => {
    const spy = quiet()
    const secrets = new Secrets()
    const keys = Array.from({ length: 150 }, (_, i) => `page-key-${i}`)
    for (const [i, key] of keys.entries()) {
      secrets.add(key)
      const text = keys.slice(0, i + 1).join(' ')
      expect(secrets.redact(`${text} page-key-`)).toBe(
        `${Array(i + 1)
          .fill('***')
          .join(' ')} page-key-`
      )
    }
    spy.mockRestore()
  })

  it('a key inside another, or two keys side by side, leave nothing of either', () => {
    for (const values of [withFew, withMany]) {
      const spy = quiet()
      const secrets = new Secrets()
      secrets.addAll(values(['key-1234', 'xkey-1234x', 'abcd-efgh']))
      spy.mockRestore()
      expect(secrets.redact('xkey-1234x key-1234abcd-efgh.')).toBe('*** ******.')
    }
  })
})

describe('URL secrets', () => {
  it('finds the userinfo, each of its parts, and the values of key parameters, any case', () => {
    const url = 'https://me:p%40ss@host.example:8443/p?Code=c1&x=1&api-key=k2&sig=&token=t3#code=f'
    expect(urlSecrets(url)).toEqual([
      'me:p%40ss',
      'me:p@ss',
      'me',
      'p%40ss',
      'p@ss',
      'c1',
      'k2',
      't3'
    ])
    expect(redactUrl(url)).toBe(
      'https://***@host.example:8443/p?Code=***&x=1&api-key=***&sig=&token=***#code=f'
    )
  })

  it('a token given as the user alone is a secret too, however the URL spells its slashes', () => {
    for (const [url, shown, userinfo] of [
      [
        'https://ghp_T0ken@github.example/o/r.git',
        'https://***@github.example/o/r.git',
        'ghp_T0ken'
      ],
      [
        'https://ghp_T0ken:x-oauth-basic@github.example/',
        'https://***@github.example/',
        'ghp_T0ken'
      ],
      ['http://svc-token@proxy.example:3128', 'http://***@proxy.example:3128', 'svc-token'],
      ['https:ghp_T0ken@github.example/', 'https:***@github.example/', 'ghp_T0ken'],
      ['https:\\\\ghp_T0ken@github.example\\x', 'https:\\\\***@github.example\\x', 'ghp_T0ken'],
      ['https://a@b@host/', 'https://***@host/', 'a@b']
    ]) {
      expect(redactUrl(url)).toBe(shown)
      expect(urlSecrets(url)).toContain(userinfo)
    }
  })

  it('leaves a URL without secrets byte for byte, whatever it looks like', () => {
    for (const url of [
      'https://orders.example.com/api?x=1',
      'fabric:/app/service',
      'mailto:user@host',
      'http://host/a@b:c',
      '',
      '?code',
      'https://host/?code=',
      '://:@'
    ])
      expect(redactUrl(url)).toBe(url)
  })
})

describe('inert lines', () => {
  it('escapes what would make a line a runner command, and nothing else', () => {
    expect(inertLine('::stop-commands::tok')).toBe('\\u003a:stop-commands::tok')
    expect(inertLine(' \t::warning::x')).toBe(' \t\\u003a:warning::x')
    expect(inertLine('title: a ##[error]b ##[x')).toBe('title: a #\\u0023[error]b #\\u0023[x')
    expect(inertLine('a ::b:: c # [d]')).toBe('a ::b:: c # [d]')
  })
})
