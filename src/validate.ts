// Validation of an expanded output file against the configured size limits (spec §5.5).
import { createMessage, type Message } from './model/messages.js'
import type { ResolvedConfig } from './config/schema.js'
import type { TargetFile } from './targets/types.js'

/** Estimated tokens of a text: about four characters per token for English prose and code. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/** SIZE_LIMIT messages for an output file that breaks a `lines`, `bytes` or `tokens` limit. */
export function validateOutput(file: TargetFile, agentPath: string, limits: ResolvedConfig['limits']): Message[] {
  const measures = {
    lines: file.text.split('\n').length - 1,
    bytes: Buffer.byteLength(file.text, 'utf8'),
    tokens: estimateTokens(file.text),
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
