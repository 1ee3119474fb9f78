// operation: export — the environment-variable names that stand in an exported file for its
// secrets (`${ORDERS_HEADER_X_API_KEY}`). A name is made of the backend id and the secret's place
// only, never of its value: upper-case, each run of other characters one `_`. Names are unique in
// one file: a second place that spells the same name (`x-api-key` and `x_api_key`, backends
// `orders-api` and `orders.api`) gets `_2`, `_3`, …, in the order the file lists them.

/**
 * Prefixes the runner or GitHub give a meaning: a secret may not be named GITHUB_…, an INPUT_…
 * variable is read as an input of the step (and one that names none is refused), RUNNER_… and
 * ACTIONS_… are the runner's own. A name that would start with one starts with APIM_ instead.
 */
const RESERVED = /^(GITHUB|INPUT|RUNNER|ACTIONS)_/

/** A variable name from its parts: `['orders', 'header', 'x-api-key']` → ORDERS_HEADER_X_API_KEY. */
export function variableName(parts: readonly string[]): string {
  let name = parts
    .map((p) =>
      p
        .toUpperCase()
        .replace(/[^A-Z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
    )
    .filter((p) => p !== '')
    .join('_')
  if (name === '') name = 'BACKEND'
  // A name may not start with a digit (neither a ${NAME} reference nor a GitHub secret).
  if (/^[0-9]/.test(name)) name = `_${name}`
  if (RESERVED.test(name)) name = `APIM_${name}`
  return name
}

/** The names of one file, each given once. */
export class SecretNames {
  private readonly taken = new Set<string>()

  /** A new name for a secret at `place` of backend `backendId`. */
  take(backendId: string, place: readonly string[]): string {
    const base = variableName([backendId, ...place])
    let name = base
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`
    this.taken.add(name)
    return name
  }
}
