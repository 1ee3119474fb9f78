// The leak check the tests end with: when a secret shows, the failure says where (which output,
// which line of the log or the summary) and shows the secret only as its length and first letter.
import { describe, expect, it } from '@jest/globals'
import { describeLeak, findLeaks, type Outcome } from '../../scripts/outcome.js'

const KEY = 'orders-api-key-4711'

function outcome(parts: Partial<Outcome>): Outcome {
  return { outputs: {}, stdout: '', stderr: '', summary: '', ...parts }
}

describe('the leak check names where a secret showed, never the secret', () => {
  it('names the output, the log line and the summary line, with the encoding it was in', () => {
    const leaks = findLeaks(
      outcome({
        stdout: `::add-mask::${KEY}\nReading backend 'orders'\n::debug::x-api-key: ${KEY}\n`,
        outputs: { 'backend-id': 'orders', backend: `{"key":"${KEY}"}` },
        summary: `<h3>APIM backend get</h3>\n<p>${Buffer.from(KEY).toString('base64')}</p>`
      }),
      [KEY]
    ).map(describeLeak)
    expect(leaks).toEqual([
      "log line 3: a 19-character secret starting 'o' (secret 1 of the 1 named), as is: ::debug::x-api-key: ‹secret›",
      `output 'backend': a 19-character secret starting 'o' (secret 1 of the 1 named), as is: {"key":"‹secret›"}`,
      "summary line 2: a 19-character secret starting 'o' (secret 1 of the 1 named), base64: <p>‹secret›</p>"
    ])
    for (const line of leaks) expect(line).not.toContain(KEY)
  })

  it('finds a value the step masked itself, and a short secret shows only as its length', () => {
    const [leak] = findLeaks(outcome({ stdout: '::add-mask::pa55\nthe key is pa55\n' }))
    expect(describeLeak(leak)).toBe(
      'log line 2: a 4-character secret (a value the step masked), as is: the key is ‹secret›'
    )
  })

  it('finds nothing in a clean run', () => {
    expect(
      findLeaks(outcome({ stdout: `::add-mask::${KEY}\nok\n`, outputs: { result: 'ok' } }), [KEY])
    ).toEqual([])
  })
})
