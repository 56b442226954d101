// Validation of an expanded output file against the configured size limits (spec §5.5).
import { createMessage, type Message } from './model/messages.js'
import { countTokens } from './tokens.js'
import type { ResolvedConfig } from './config/schema.js'
import type { TargetFile } from './targets/types.js'

/** Tokens of a text (o200k_base BPE; see tokens.ts). */
export function estimateTokens(text: string): number {
  return countTokens(text)
}

/** SIZE_LIMIT messages for an output file that breaks a `lines`, `bytes` or `tokens` limit. */
export function validateOutput(file: TargetFile, agentPath: string, limits: ResolvedConfig['limits']): Message[] {
  if (!limits.lines && !limits.bytes && !limits.tokens) return []
  const measures = {
    lines: file.text.split('\n').length - 1,
    bytes: Buffer.byteLength(file.text, 'utf8'),
    // Counting tokens costs a tokenizer load and a pass: only when a token limit is set.
    tokens: limits.tokens ? estimateTokens(file.text) : 0,
  }
  const messages: Message[] = []
  for (const key of ['lines', 'bytes', 'tokens'] as const) {
    const limit = limits[key]
    const value = measures[key]
    if (limit?.max !== undefined && value > limit.max) {
      messages.push(
        createMessage('error', 'SIZE_LIMIT', `${file.path} has ${value} ${key}, more than limits.${key}.max (${limit.max}); import fewer traits or raise the limit`, agentPath, undefined, { measure: key, value, limit: limit.max }),
      )
    }
    if (limit?.min !== undefined && value < limit.min) {
      messages.push(
        createMessage('error', 'SIZE_LIMIT', `${file.path} has ${value} ${key}, fewer than limits.${key}.min (${limit.min}); add content or lower the limit`, agentPath, undefined, { measure: key, value, limit: limit.min }),
      )
    }
  }
  return messages
}
