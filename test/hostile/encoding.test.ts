// Hostile bytes (spec §2, §5 Fidelity, §12): invalid UTF-8 in every shape, UTF-16 with and without a
// BOM, and files over limits.traitChars up to 50 MB.
import { describe, expect, it } from 'vitest'
import { agentFile, traitFile } from '../support/project.js'
import { expectKept, expectMessages, readOutput, run, sandbox, scenario, type Expected, type Files, once } from './harness.js'

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))
const utf16le = (text: string) => Buffer.from(text, 'utf16le')
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16()
const notUtf8 = /is not valid UTF-8 at byte \d+; save it as UTF-8/

describe.concurrent('encodings: each trait (or agent) broken after a good build', { timeout: 180_000 }, () => {
  // [case, agent id, file that is broken, its bytes, expected messages]
  const cases: Array<[name: string, agent: string, file: string, content: Uint8Array, expected: Expected[]]> = [
    ['an overlong encoding (C0 AF, a "/" in disguise)', 'overlong', 'content/traits/x/overlong.md', bytes('ok\n', [0xc0, 0xaf], '\n'), [['error', 'INVALID_ENCODING', 'content/traits/x/overlong.md', 2, 1, /at byte 3; save it as UTF-8/]]],
    ['an encoded surrogate (ED A0 80)', 'surrogate', 'content/traits/x/surrogate.md', bytes('ok\nsur ', [0xed, 0xa0, 0x80], '\n'), [['error', 'INVALID_ENCODING', 'content/traits/x/surrogate.md', 2, 5, /at byte 7/]]],
    ['a lone continuation byte (80)', 'lone', 'content/traits/x/lone.md', bytes('x', [0x80], '\n'), [['error', 'INVALID_ENCODING', 'content/traits/x/lone.md', 1, 2, /at byte 1/]]],
    ['a sequence cut off at the end of the file (E2 82)', 'cut', 'content/traits/x/cut.md', bytes('abc', [0xe2, 0x82]), [['error', 'INVALID_ENCODING', 'content/traits/x/cut.md', 1, 4, /at byte 3/]]],
    [
      'a Latin-1 byte after a multi-byte character, inside the frontmatter',
      'latin1',
      'content/traits/x/latin1.md',
      bytes('---\nname: latin1\ndescription: Café ', [0xe9], '\n---\n\nText.\n'),
      [['error', 'INVALID_ENCODING', 'content/traits/x/latin1.md', 3, 19, /at byte 36/]],
    ],
    ['UTF-16 LE with a BOM', 'le-bom', 'content/traits/x/le-bom.md', utf16le('\ufeffTrait text.\n'), [['error', 'INVALID_ENCODING', 'content/traits/x/le-bom.md', 1, 1, /\(it looks like UTF-16\) at byte 0/]]],
    ['UTF-16 BE with a BOM', 'be-bom', 'content/traits/x/be-bom.md', utf16be('\ufeffTrait text.\n'), [['error', 'INVALID_ENCODING', 'content/traits/x/be-bom.md', 1, 1, /\(it looks like UTF-16\) at byte 0/]]],
    ['an agent file with an FF byte in its body', 'agent-ff', 'content/agents/agent-ff.md', bytes(agentFile('', 'Body '), [0xff], '\n'), [['error', 'INVALID_ENCODING', 'content/agents/agent-ff.md', 5, 6, notUtf8]]],
  ]
  const shared = once(async () => {
    const good: Files = {}
    const bad: Files = {}
    for (const [, id, file, content] of cases) {
      if (file.startsWith('content/traits/')) {
        good[file] = traitFile(`name: ${id}`, `Good ${id}.\n`)
        good[`content/agents/${id}.md`] = agentFile(`imports:\n  x: [${id}]`)
      } else good[file] = agentFile('', `Good ${id}.\n`)
      bad[file] = content
    }
    return scenario(good, bad)
  })

  it.each(cases)('%s → INVALID_ENCODING at the first bad byte; old output kept', async (_name, id, file, _content, expected) => {
    const s = await shared()
    expectMessages(s.bad, 1, expected, [file, `content/agents/${id}.md`])
    expectKept(s, [id])
  })
})

describe.concurrent('accepted encodings', { timeout: 180_000 }, () => {
  it('a UTF-8 BOM and CRLF line endings: accepted, normalised away', async () => {
    const box = sandbox({ 'content/traits/x/t.md': bytes([0xef, 0xbb, 0xbf], 'Trait text.\r\nSecond line.\r\n'), 'content/agents/a.md': agentFile('imports:\n  x: [t]') })
    expectMessages(await run(box), 0, [])
    expect(readOutput(box, 'agents/a.md')).toContain('\n\nTrait text.\nSecond line.\n')
  })
})

describe.concurrent('UTF-16 without a BOM (every ASCII character followed by a NUL: technically valid UTF-8)', { timeout: 180_000 }, () => {
  // BUG: src/read/read-source.ts only recognises UTF-16 by its BOM; without one the NUL-interleaved
  // bytes decode as "valid" UTF-8 and are spliced into the agent, NULs and all.
  it('a UTF-16 LE trait without a BOM: INVALID_ENCODING (looks like UTF-16), never spliced with NULs', async () => {
    const s = await scenario({ 'content/traits/x/t.md': 'Good.\n', 'content/agents/a.md': agentFile('imports:\n  x: [t]') }, { 'content/traits/x/t.md': utf16le('Trait text.\n') })
    expect(readOutput(s.box, 'agents/a.md')).not.toContain('\u0000')
    expectMessages(s.bad, 1, [['error', 'INVALID_ENCODING', 'content/traits/x/t.md', 1, 1, /UTF-16/]])
    expectKept(s, ['a'])
  })

  // BUG: the same file as an agent is read as UTF-8 with NULs, whose frontmatter is never found:
  // reported as INVALID_FRONTMATTER "description is required", which sends the author the wrong way.
  it('a UTF-16 BE agent without a BOM: INVALID_ENCODING, not a misleading INVALID_FRONTMATTER', async () => {
    const s = await scenario({ 'content/agents/a.md': agentFile('') }, { 'content/agents/a.md': utf16be(agentFile('', 'Changed.\n')) })
    expectMessages(s.bad, 1, [['error', 'INVALID_ENCODING', 'content/agents/a.md', 1, 1, /UTF-16/]])
    expectKept(s, ['a'])
  })
})

describe.concurrent('huge files', { timeout: 180_000 }, () => {
  const tooLarge = /characters, more than the limit of 1000000; split it, or raise limits\.traitChars/
  it('1,000,001 characters, a 50 MB trait and a 50 MB agent: TRAIT_TOO_LARGE at 1:1, quickly; 600,000 two-byte characters (1.2 MB) are within the limit', async () => {
    const s = await scenario(
      {
        'content/traits/x/just.md': 'Small.\n',
        'content/traits/x/huge.md': 'Small.\n',
        'content/traits/x/wide.md': 'Small.\n',
        'content/agents/just.md': agentFile('imports:\n  x: [just]'),
        'content/agents/huge.md': agentFile('imports:\n  x: [huge]'),
        'content/agents/wide.md': agentFile('imports:\n  x: [wide]'),
        'content/agents/big.md': agentFile(''),
      },
      {
        'content/traits/x/just.md': 'b'.repeat(1_000_001),
        'content/traits/x/huge.md': Buffer.alloc(50 * 1024 * 1024, 'a'),
        'content/traits/x/wide.md': `${'é'.repeat(600_000)}\n`,
        'content/agents/big.md': Buffer.concat([Buffer.from(agentFile('')), Buffer.alloc(50 * 1024 * 1024, 'a')]),
      },
    )
    expectMessages(s.bad, 1, [
      ['error', 'TRAIT_TOO_LARGE', 'content/agents/big.md', 1, 1, tooLarge],
      ['error', 'TRAIT_TOO_LARGE', 'content/traits/x/huge.md', 1, 1, tooLarge],
      ['error', 'TRAIT_TOO_LARGE', 'content/traits/x/just.md', 1, 1, /has 1000001 characters/],
    ])
    expectKept(s, ['just', 'huge', 'big'])
    expect(readOutput(s.box, 'agents/wide.md')).toContain('éééé')
  })
})
