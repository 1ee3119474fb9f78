// `${NAME}` in a backends file: the value of the step's environment variable NAME, so the file
// itself never holds a secret (the workflow passes `env: { NAME: ${{ secrets.X }} }`). `$${`
// writes a literal `${`. Every string of an item is resolved, at any depth; an unset variable or
// a malformed reference is refused before any request, named by the variable, the file, the
// backend and the field — never by a value.
import { InputError } from '../messages.js'

/** A reference, or the escape `$${`; anything else starting with `${` is malformed. */
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g

export interface ReferenceSource {
  /** How errors name the list: 'the backends input', or "file 'apim/backends.yml'". */
  file: string
  env: NodeJS.ProcessEnv
  /**
   * Told each value a reference resolves to. References are where a file's secrets go, and a
   * secret may sit where no rule of secret-fields.ts looks (`?auth=${KEY}`): every resolved value
   * is treated as a secret, wherever it is.
   */
  resolved?: (value: string) => void
}

/**
 * The item with every `${NAME}` replaced by its variable's value. `where` is the item's place
 * (`backends[2]`), `backend` its backend-id when it has one. Problems go to `add`.
 */
export function resolveReferences(
  item: unknown,
  where: string,
  source: ReferenceSource,
  add: (e: InputError) => void
): unknown {
  const backend =
    item &&
    typeof item === 'object' &&
    typeof (item as Record<string, unknown>)['backend-id'] === 'string'
      ? `backend '${(item as Record<string, string>)['backend-id']}'`
      : 'the backend'
  const walk = (value: unknown, field: string[]): unknown => {
    if (typeof value === 'string') return resolveText(value, field)
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...field, `[${i}]`]))
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...field, k])]))
    return value
  }
  const resolveText = (text: string, field: string[]): string => {
    if (!text.includes('${')) return text
    const name = `${where}.${field.join('.').replace(/\.\[/g, '[')}`
    return text.replace(TOKEN, (token, variable: string | undefined) => {
      if (token === '$${') return '${'
      if (variable === undefined) {
        add(
          new InputError(
            name,
            `has a '\${' that is not a reference: write \${NAME} (letters, digits and _), or $\${ for a literal '\${' (${source.file}, ${backend}, field ${field.join('.')}).`
          )
        )
        return token
      }
      const resolved = source.env[variable]
      if (resolved === undefined) {
        add(
          new InputError(
            name,
            `refers to the environment variable ${variable}, which is not set (${source.file}, ${backend}, field ${field.join('.')}); pass it to the step, e.g. env: { ${variable}: \${{ secrets.${variable} }} }.`
          )
        )
        return token
      }
      source.resolved?.(resolved)
      return resolved
    })
  }
  return walk(item, [])
}
