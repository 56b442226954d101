// Frontmatter keys: schema issues placed at their key, near-miss keys caught with a did-you-mean.
import { distance } from 'fastest-levenshtein'
import type { z } from 'zod'
import { createMessage, type Message } from '../model/messages.js'
import type { SourceFile } from '../model/source.js'
import { placeOfKey, placeOfValue, type Frontmatter } from './frontmatter.js'

/** The known key that `key` nearly spells (one edit under six characters, two otherwise), if any. */
export function nearMiss(key: string, known: readonly string[]): string | undefined {
  if (known.includes(key)) return undefined
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const allowed = candidate.length < 6 ? 1 : 2
    const d = Math.min(distance(key, candidate), key.toLowerCase() === candidate.toLowerCase() ? 0 : Infinity)
    if (d <= allowed && d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** Messages for unknown keys: near misses always, every unknown key when `strict`. */
export function checkUnknownKeys(
  file: SourceFile,
  frontmatter: Frontmatter | undefined,
  known: readonly string[],
  strict: boolean,
): Message[] {
  const messages: Message[] = []
  for (const entry of frontmatter?.entries ?? []) {
    if (known.includes(entry.key)) continue
    const guess = nearMiss(entry.key, known)
    const place = placeOfKey(file, frontmatter, entry.key)
    if (guess) {
      messages.push(
        createMessage('error', 'INVALID_FRONTMATTER', `unknown key "${entry.key}"; did you mean "${guess}"?`, file.path, place, {
          key: entry.key,
          suggestion: guess,
        }),
      )
    } else if (strict) {
      messages.push(
        createMessage(
          'error',
          'INVALID_FRONTMATTER',
          `unknown key "${entry.key}" (--strict); known keys: ${known.join(', ')}`,
          file.path,
          place,
          { key: entry.key },
        ),
      )
    }
  }
  return messages
}

/** Turn zod issues into INVALID_FRONTMATTER messages at the offending key or list item. */
export function schemaMessages(file: SourceFile, frontmatter: Frontmatter | undefined, error: z.ZodError): Message[] {
  return error.issues.map((issue) => {
    const [key, ...rest] = issue.path
    const keyName = key === undefined ? undefined : String(key)
    // A record key that fails its check (a variable name with a space) is `invalid_key`, whose own text is only
    // "Invalid key in record": the key's check inside it says what is wrong, and the key is where.
    const keyIssue = issue.code === 'invalid_key' ? issue.issues[0] : undefined
    const place = keyName === undefined ? { line: 1, column: 1 } : placeOfValue(file, frontmatter, keyName, rest, keyIssue !== undefined)
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'frontmatter'
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message)
    const text = missing ? `"${where}" is required; add it to the frontmatter` : `"${where}": ${keyIssue?.message ?? issue.message}`
    return createMessage('error', 'INVALID_FRONTMATTER', text, file.path, place, { key: where })
  })
}
