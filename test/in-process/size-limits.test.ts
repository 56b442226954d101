// checkSizeLimits (spec §5.5): each of lines, bytes and tokens against its min and max, measured on the output text.
import { describe, expect, it } from 'vitest'
import { checkSizeLimits, estimateTokens } from '../../src/index.js'

const text = 'one two three\nfour five six\nseven\n'

describe('checkSizeLimits', () => {
  it('no limits: no messages, whatever the text', () => {
    expect(checkSizeLimits(text, 'output/agents/a.md', {})).toEqual([])
  })

  it('limits that hold: no messages', () => {
    expect(checkSizeLimits(text, 'out.md', { lines: { min: 3, max: 3 }, bytes: { min: 34, max: 34 }, tokens: { min: 1, max: 1000 } })).toEqual([])
  })

  it('a max passed and a min not reached are SIZE_LIMIT, saying what to do', () => {
    expect(checkSizeLimits(text, 'out.md', { lines: { max: 2 }, bytes: { min: 100 } })).toEqual([
      { code: 'SIZE_LIMIT', message: 'out.md has 3 lines, more than limits.lines.max (2); import fewer traits or raise the limit', context: { measure: 'lines', value: 3, limit: 2 } },
      { code: 'SIZE_LIMIT', message: 'out.md has 34 bytes, fewer than limits.bytes.min (100); add content or lower the limit', context: { measure: 'bytes', value: 34, limit: 100 } },
    ])
  })

  it('tokens are counted with the tokenizer only when a token limit is set, and bytes are UTF-8 bytes', () => {
    const tokens = estimateTokens(text)
    expect(tokens).toBeGreaterThan(3)
    expect(checkSizeLimits(text, 'out.md', { tokens: { max: tokens - 1 } })).toEqual([
      { code: 'SIZE_LIMIT', message: `out.md has ${tokens} tokens, more than limits.tokens.max (${tokens - 1}); import fewer traits or raise the limit`, context: { measure: 'tokens', value: tokens, limit: tokens - 1 } },
    ])
    expect(checkSizeLimits('ü\n', 'out.md', { bytes: { max: 2 } }).map((m) => m.context)).toEqual([{ measure: 'bytes', value: 3, limit: 2 }])
  })
})
