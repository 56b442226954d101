// Validation of an expanded output file against the configured size limits (spec §5.5).
import type { PluginMessage } from './plugins/types.js'
import { countTokens } from './tokens.js'
import type { ResolvedConfig } from './config/schema.js'

/** Tokens of a text (o200k_base BPE; see tokens.ts). */
export function estimateTokens(text: string): number {
  return countTokens(text)
}

/** The size limits a build checks (the config's `limits.lines`, `bytes` and `tokens`). */
export type SizeLimits = Pick<ResolvedConfig['limits'], 'lines' | 'bytes' | 'tokens'>

/** SIZE_LIMIT problems of an output text (at `path`) that breaks a `lines`, `bytes` or `tokens` limit. */
export function checkSizeLimits(text: string, path: string, limits: SizeLimits): PluginMessage[] {
  if (!limits.lines && !limits.bytes && !limits.tokens) return []
  const measures = {
    lines: text.split('\n').length - 1,
    bytes: Buffer.byteLength(text, 'utf8'),
    // Counting tokens costs a tokenizer load and a pass: only when a token limit is set.
    tokens: limits.tokens ? estimateTokens(text) : 0,
  }
  const messages: PluginMessage[] = []
  for (const key of ['lines', 'bytes', 'tokens'] as const) {
    const limit = limits[key]
    const value = measures[key]
    if (limit?.max !== undefined && value > limit.max) {
      messages.push({ code: 'SIZE_LIMIT', message: `${path} has ${value} ${key}, more than limits.${key}.max (${limit.max}); import fewer traits or raise the limit`, context: { measure: key, value, limit: limit.max } })
    }
    if (limit?.min !== undefined && value < limit.min) {
      messages.push({ code: 'SIZE_LIMIT', message: `${path} has ${value} ${key}, fewer than limits.${key}.min (${limit.min}); add content or lower the limit`, context: { measure: key, value, limit: limit.min } })
    }
  }
  return messages
}
