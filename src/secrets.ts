// Secret handling: every credential value is handed to core.setSecret (so the runner masks it)
// the moment it is known, and the same values are redacted from everything this action
// writes itself: outputs, the summary, error lines.
import * as core from './workflow.js'

export const REDACTED = '***'

export class Secrets {
  private readonly values = new Set<string>()

  /** Register a secret and the encodings in which it could surface (base64, URL-encoded). */
  add(value: string | undefined): void {
    if (value === undefined || value === '') return
    for (const form of encodings(value)) {
      if (this.values.has(form)) continue
      this.values.add(form)
      core.setSecret(form)
    }
  }

  /** Replace every registered secret (longest first, so one cannot hide inside another). */
  redact(text: string): string {
    const ordered = [...this.values].sort((a, b) => b.length - a.length)
    let out = text
    for (const value of ordered) out = out.split(value).join(REDACTED)
    return out
  }

  get size(): number {
    return this.values.size
  }
}

function encodings(value: string): string[] {
  const forms = [value, encodeURIComponent(value), Buffer.from(value, 'utf8').toString('base64')]
  // A JSON-escaped form shows up when a value is echoed inside a JSON body.
  forms.push(JSON.stringify(value).slice(1, -1))
  return [...new Set(forms)].filter((f) => f.length > 0)
}
