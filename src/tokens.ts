// Token counts: a real BPE tokenizer (gpt-tokenizer, o200k_base), loaded only when a count is needed.
// Claude's own tokenizer is not published; o200k counts are close for English prose and code.
import { createRequire } from 'node:module'

let counter: ((text: string) => number) | undefined

/** Tokens in `text`, counted with the o200k_base encoding. */
export function countTokens(text: string): number {
  if (!counter) {
    const require = createRequire(import.meta.url)
    counter = (require('gpt-tokenizer') as { countTokens: (text: string) => number }).countTokens
  }
  return counter(text)
}
