// Hostile graphs (spec §5.1, §5.3, §12): dependency and include cycles of length 1, 2 and 3, and
// include chains and diamonds that would blow up: each stopped with its code, in bounded time.
import { describe, expect, it } from 'vitest'
import { agentFile, traitFile } from '../support/project.js'
import { expectKept, expectMessages, messagesAbout, readOutput, run, sandbox, scenario, type Expected, type Files, once } from './harness.js'

const include = (ref: string) => `<!-- @include ${ref} -->`
const cycleText = /dependency cycle: .*; remove one of these dependencies or includes/

describe.concurrent('cycles', { timeout: 180_000 }, () => {
  // [case, agent id, agent frontmatter and body (hostile), trait files (hostile), expected message]
  type Case = [name: string, agent: string, frontmatter: string, body: string, traits: Files, expected: Expected[]]
  const dep = (list: string) => traitFile(`dependencies: [${list}]`, 'Text.\n')
  const inc = (ref: string) => `Text.\n\n${include(ref)}\n`
  const cycle = (file: string, line: number, column: number, path: string): Expected[] => [
    ['error', 'DEPENDENCY_CYCLE', file, line, column, new RegExp(`dependency cycle: ${path}; remove one of these`)],
  ]
  const cases: Case[] = [
    ['dependency cycle of length 1 (a → a)', 'dep1', 'imports:\n  d1: [a]', 'Body.\n', { 'd1/a.md': dep('a') }, cycle('content/traits/d1/a.md', 2, 16, 'd1/a → d1/a')],
    ['dependency cycle of length 2 (a → b → a)', 'dep2', 'imports:\n  d2: [a]', 'Body.\n', { 'd2/a.md': dep('b'), 'd2/b.md': dep('a') }, cycle('content/traits/d2/b.md', 2, 16, 'd2/a → d2/b → d2/a')],
    [
      'dependency cycle of length 3 (a → b → c → a)',
      'dep3',
      'imports:\n  d3: [a]',
      'Body.\n',
      { 'd3/a.md': dep('b'), 'd3/b.md': dep('c'), 'd3/c.md': dep('a') },
      cycle('content/traits/d3/c.md', 2, 16, 'd3/a → d3/b → d3/c → d3/a'),
    ],
    ['include cycle of length 1 from the body (a includes a)', 'inc1', '', `Body.\n\n${include('i1/a')}\n`, { 'i1/a.md': inc('a') }, cycle('content/traits/i1/a.md', 3, 1, 'i1/a → i1/a')],
    [
      'include cycle of length 2 from the body',
      'inc2',
      '',
      `Body.\n\n${include('i2/a')}\n`,
      { 'i2/a.md': inc('b'), 'i2/b.md': inc('a') },
      cycle('content/traits/i2/b.md', 3, 1, 'i2/a → i2/b → i2/a'),
    ],
    [
      'include cycle of length 3 from the body',
      'inc3',
      '',
      `Body.\n\n${include('i3/a')}\n`,
      { 'i3/a.md': inc('b'), 'i3/b.md': inc('c'), 'i3/c.md': inc('a') },
      cycle('content/traits/i3/c.md', 3, 1, 'i3/a → i3/b → i3/c → i3/a'),
    ],
    ['a section including itself (a#one inside # One)', 'sec1', 'imports:\n  s1: ["a#one"]', 'Body.\n', { 's1/a.md': `# One\n\nA.\n\n${include('a#one')}\n` }, cycle('content/traits/s1/a.md', 5, 1, 's1/a → s1/a')],
  ]
  // Known bug (also in test/errors/ref-codes.test.ts for length 3): entered from imports, an include
  // cycle is silently dropped; these are the same with lengths 1 and 2 and with a dependency edge.
  const importCases: Case[] = [
    ['include cycle of length 1 entered from imports', 'imp1', 'imports:\n  j1: [a]', 'Body.\n', { 'j1/a.md': inc('a') }, cycle('content/traits/j1/a.md', 3, 1, 'j1/a → j1/a')],
    [
      'include cycle of length 2 entered from imports',
      'imp2',
      'imports:\n  j2: [a]',
      'Body.\n',
      { 'j2/a.md': inc('b'), 'j2/b.md': inc('a') },
      cycle('content/traits/j2/b.md', 3, 1, 'j2/a → j2/b → j2/a'),
    ],
    [
      'a cycle mixing a dependency and an include (a depends on b, b includes a)',
      'mixed',
      'imports:\n  mx: [a]',
      'Body.\n',
      { 'mx/a.md': dep('b'), 'mx/b.md': inc('a') },
      [['error', 'DEPENDENCY_CYCLE', 'content/traits/mx/a.md', 2, 16, cycleText]],
    ],
  ]
  const shared = once(async () => {
    const good: Files = {}
    const bad: Files = {}
    for (const [, id, frontmatter, body, traits] of [...cases, ...importCases]) {
      for (const [file, text] of Object.entries(traits)) {
        good[`content/traits/${file}`] = `# One\n\nGood ${file}.\n`
        bad[`content/traits/${file}`] = text
      }
      good[`content/agents/${id}.md`] = agentFile(frontmatter, body)
      bad[`content/agents/${id}.md`] = agentFile(frontmatter, body)
    }
    return scenario(good, bad)
  })
  const filesOf = (id: string, traits: Files) => [`content/agents/${id}.md`, `content/traits/${Object.keys(traits)[0]?.split('/')[0]}/`]

  it.each(cases)('%s → DEPENDENCY_CYCLE with the whole path; old output kept', async (_name, id, _fm, _body, traits, expected) => {
    const s = await shared()
    expectMessages(s.bad, 1, expected, filesOf(id, traits))
    expect(messagesAbout(s.bad, filesOf(id, traits))[0]?.message).toMatch(cycleText)
    expectKept(s, [id])
  })

  // BUG: includedWhole() in src/compose/agent.ts finds an imported trait "included whole" by the other
  // end of its own include cycle and skips the import, so nothing expands: exit 0, no message, and the
  // agent's output is rewritten without the trait's text.
  it.each(importCases)('%s → DEPENDENCY_CYCLE', async (_name, id, _fm, _body, traits, expected) => {
    const s = await shared()
    expectMessages(s.bad, 1, expected, filesOf(id, traits))
    expectKept(s, [id])
  })
})

describe.concurrent('chains and diamonds that would blow up', { timeout: 180_000 }, () => {
  it('an include chain of 200 traits: INCLUDE_DEPTH_EXCEEDED at the 32nd, with the chain; old output kept', async () => {
    const chain = (n: number): Files => {
      const files: Files = {}
      for (let i = 1; i <= n; i++) files[`content/traits/c/t${i}.md`] = `T${i}.\n${i < n ? `\n${include(`t${i + 1}`)}\n` : ''}`
      return files
    }
    const agent = { 'content/agents/ag.md': agentFile('', `Body.\n\n${include('c/t1')}\n`) }
    const s = await scenario({ ...chain(5), ...agent }, chain(200))
    expectMessages(s.bad, 1, [['error', 'INCLUDE_DEPTH_EXCEEDED', 'content/traits/c/t32.md', 3, 1, /includes nest more than 32 levels \(c\/t1 → c\/t2 → .* → c\/t32\)/]])
    expectKept(s, ['ag'])
  })

  /** A chain of `levels` traits, each including the next `fan` times, each holding `text`. */
  const fanChain = (levels: number, fan: number, text: string): Files => {
    const files: Files = {}
    for (let i = 1; i <= levels; i++) {
      files[`content/traits/c/t${i}.md`] = `L${i} ${text}\n${i < levels ? Array(fan).fill(`\n${include(`t${i + 1}`)}\n`).join('') : ''}`
    }
    return files
  }

  it('include diamonds of 2 KB blocks, 25 levels (2²⁴ copies): EXPANSION_LIMIT on the agent, in bounded time; old output kept', async () => {
    const agent = { 'content/agents/ag.md': agentFile('', `Body.\n\n${include('c/t1')}\n`) }
    const s = await scenario({ ...fanChain(3, 2, 'x'.repeat(2000)), ...agent }, fanChain(25, 2, 'x'.repeat(2000)))
    expectMessages(s.bad, 1, [['error', 'EXPANSION_LIMIT', 'content/agents/ag.md', 1, 1, /passes limits\.expandedBytes \(5000000 bytes\)/]])
    expectKept(s, ['ag'])
  })

  it('dependency diamonds 40 levels deep (2⁴⁰ paths): each trait placed once, quickly', async () => {
    const files: Files = {}
    for (let i = 1; i <= 40; i++) {
      for (const side of ['a', 'b']) {
        files[`content/traits/d/${side}${i}.md`] = traitFile(i < 40 ? `dependencies: [a${i + 1}, b${i + 1}]` : `name: ${side}${i}`, `Trait ${side}${i}.\n`)
      }
    }
    const box = sandbox({ ...files, 'content/agents/ag.md': agentFile('imports:\n  d: [a1, b1]') })
    expectMessages(await run(box), 0, [])
    const out = readOutput(box, 'agents/ag.md')
    expect(out.match(/^Trait [ab]\d+\.$/gm)).toHaveLength(80)
    // Deepest first: a40 and b40 come before everything that depends on them.
    expect(out.indexOf('Trait a40.')).toBeLessThan(out.indexOf('Trait a1.'))
  })

  // Note: with blocks of a few bytes (fanChain(7, 10, '')) the limit trips only after ~10⁶ pieces: ~7 s
  // and ~820 MB of memory (measured on a loaded 2-core machine), within the bound but close to it.
  it('includes fanning out 10 ways over 7 levels (10⁶ copies of 40-byte blocks): EXPANSION_LIMIT in bounded time', async () => {
    const box = sandbox({ ...fanChain(7, 10, 'y'.repeat(40)), 'content/agents/ag.md': agentFile('', `Body.\n\n${include('c/t1')}\n`) })
    expectMessages(await run(box), 1, [['error', 'EXPANSION_LIMIT', 'content/agents/ag.md', 1, 1, /passes limits\.expandedBytes/]])
  })
})
