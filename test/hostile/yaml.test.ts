// Hostile YAML frontmatter (spec §2, §3, §12): alias bombs, deep nesting, duplicate keys, tags,
// unterminated or non-mapping frontmatter, and keys that try to reach Object.prototype.
import { afterAll, describe, expect, it } from 'vitest'
import { createTraitgen } from '../../src/index.js'
import { agentFile, traitFile } from '../support/project.js'
import { expectKept, expectMessages, readOutput, run, sandbox, scenario, type Expected, type Files, once } from './harness.js'

/** Object.prototype's own keys before any of these builds ran in this process. */
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()
afterAll(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
})

/** Nine levels of nine aliases: 9⁹ (387 million) strings once expanded. */
const bomb = (indent = ''): string => {
  const lines = [`${indent}a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`]
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i)
    lines.push(`${indent}${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`)
  }
  return lines.join('\n')
}

/** 200 levels of block mappings under `deep:`. */
const deepBlock = (): string => {
  let text = 'deep:\n'
  for (let i = 1; i <= 200; i++) text += `${' '.repeat(2 * i)}k${i}:\n`
  return `${text}${' '.repeat(402)}leaf`
}

describe.concurrent('hostile frontmatter: one agent (or trait) per shape, built good first, then broken', { timeout: 180_000 }, () => {
  // [case, agent id, hostile files, expected messages]
  const cases: Array<[name: string, agent: string, bad: Files, expected: Expected[]]> = [
    ['billion laughs in an agent', 'bomb', { 'content/agents/bomb.md': agentFile(bomb()) }, [['error', 'YAML_LIMIT', 'content/agents/bomb.md', 1, 1, /expands too much .*; remove the aliases/]]],
    [
      "billion laughs in a trait's variables",
      'tbomb',
      { 'content/traits/x/tbomb.md': traitFile(`variables:\n${bomb('  ')}`) },
      [['error', 'YAML_LIMIT', 'content/traits/x/tbomb.md', 1, 1, /remove the aliases/]],
    ],
    ['200 levels of block mappings', 'deep-block', { 'content/agents/deep-block.md': agentFile(deepBlock()) }, [['error', 'YAML_LIMIT', 'content/agents/deep-block.md', 1, 1, /nests more than 32 levels/]]],
    [
      '5,000 flow brackets',
      'deep-flow',
      { 'content/agents/deep-flow.md': agentFile(`deep: ${'['.repeat(5000)}${']'.repeat(5000)}`) },
      [['error', 'YAML_LIMIT', 'content/agents/deep-flow.md', 3, 39, /nests more than 32 levels; flatten it/]],
    ],
    ['a duplicate key in an agent', 'dup', { 'content/agents/dup.md': agentFile('model: a\nmodel: b') }, [['error', 'YAML_SYNTAX', 'content/agents/dup.md', 4, 1, /Map keys must be unique; remove one/]]],
    ['a duplicate key in a trait', 'tdup', { 'content/traits/x/tdup.md': traitFile('name: tdup\nname: other') }, [['error', 'YAML_SYNTAX', 'content/traits/x/tdup.md', 3, 1, /Map keys must be unique/]]],
    [
      '!!js/function',
      'jsfn',
      { 'content/agents/jsfn.md': agentFile('run: !!js/function "function () { require(\'fs\').writeFileSync(\'/tmp/pwned\', \'x\') }"') },
      [['error', 'YAML_SYNTAX', 'content/agents/jsfn.md', 3, 6, /Unresolved tag: tag:yaml\.org,2002:js\/function; remove the tag/]],
    ],
    ['!!js/regexp', 'jsre', { 'content/agents/jsre.md': agentFile('match: !!js/regexp /(a+)+$/') }, [['error', 'YAML_SYNTAX', 'content/agents/jsre.md', 3, 8, /js\/regexp; remove the tag/]]],
    [
      '!!python/object/apply',
      'py',
      { 'content/agents/py.md': agentFile('run: !!python/object/apply:os.system ["touch /tmp/pwned"]') },
      [['error', 'YAML_SYNTAX', 'content/agents/py.md', 3, 6, /python\/object\/apply:os\.system; remove the tag/]],
    ],
    ['unterminated agent frontmatter', 'open', { 'content/agents/open.md': '---\ndescription: d\nmodel: sonnet\n\nBody.\n' }, [['error', 'INVALID_FRONTMATTER', 'content/agents/open.md', 1, 1, /never closed; add a line ---/]]],
    ['unterminated trait frontmatter', 'topen', { 'content/traits/x/topen.md': '---\nname: topen\n\nText.\n' }, [['error', 'INVALID_FRONTMATTER', 'content/traits/x/topen.md', 1, 1, /never closed/]]],
    ['frontmatter that is a list', 'list', { 'content/agents/list.md': '---\n- description: d\n- model: m\n---\n\nBody.\n' }, [['error', 'INVALID_FRONTMATTER', 'content/agents/list.md', 2, 1, /must be a mapping/]]],
    ['frontmatter that is a scalar', 'scalar', { 'content/agents/scalar.md': '---\ndescription\n---\n\nBody.\n' }, [['error', 'INVALID_FRONTMATTER', 'content/agents/scalar.md', 2, 1, /must be a mapping/]]],
    ['trait frontmatter that is a flow list', 'tlist', { 'content/traits/x/tlist.md': '---\n[a, b]\n---\n\nText.\n' }, [['error', 'INVALID_FRONTMATTER', 'content/traits/x/tlist.md', 2, 1, /must be a mapping/]]],
  ]
  const shared = once(async () => {
    const good: Files = {}
    const bad: Files = {}
    for (const [, id, files] of cases) {
      const trait = Object.keys(files).find((f) => f.startsWith('content/traits/'))
      if (trait) {
        const name = trait.slice('content/traits/x/'.length, -'.md'.length)
        good[trait] = traitFile(`name: ${name}`, `Trait ${name}.\n`)
        good[`content/agents/${id}.md`] = agentFile(`imports:\n  x: [${name}]`)
      } else good[`content/agents/${id}.md`] = agentFile('model: sonnet')
      Object.assign(bad, files)
    }
    return scenario(good, bad)
  })

  it.each(cases)('%s → exact code and place; old output kept', async (_name, id, files, expected) => {
    const s = await shared()
    const about = [...Object.keys(files), `content/agents/${id}.md`]
    expectMessages(s.bad, 1, expected, about)
    expectKept(s, [id])
  })
})

describe.concurrent('tags that are data', { timeout: 180_000 }, () => {
  it('!!binary is a standard tag: accepted, and passed through to the output as written', async () => {
    const box = sandbox({ 'content/agents/a.md': agentFile('blob: !!binary aGVsbG8=') })
    expectMessages(await run(box), 0, [])
    expect(readOutput(box, 'agents/a.md')).toBe('---\nname: a\ndescription: Test agent\nblob: !!binary aGVsbG8=\n---\n\nBody.\n')
  })
})

describe.concurrent('__proto__, constructor, prototype and merge keys', { timeout: 180_000 }, () => {
  const protoFiles: Files = {
    'content/traits/x/t.md': traitFile(
      '__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\nprototype: { polluted: yes }\nvariables:\n  valueOf: v\n  constructor: tc',
      'T {{ valueOf }} {{ constructor }}.\n',
    ),
    'content/agents/a.md': agentFile(
      '__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\nimports:\n  x: [t]\nvariables:\n  constructor: c\n  prototype: q\n  toString: s\n  hasOwnProperty: h',
      'A {{ constructor }} {{ prototype }} {{ toString }} {{ hasOwnProperty }}.\n',
    ),
    // No variables at all: names of Object.prototype members are still undefined variables.
    'content/agents/b.md': agentFile('', 'B {{ isPrototypeOf }} {{ valueOf }}.\n'),
  }

  it('as frontmatter keys and variable names: plain keys; Object.prototype names are not variables', async () => {
    const s = await scenario({ ...protoFiles, 'content/agents/b.md': agentFile('', 'B.\n') }, protoFiles)
    expectMessages(s.bad, 1, [
      ['error', 'UNDEFINED_VARIABLE', 'content/agents/b.md', 5, 3, /undefined variable "isPrototypeOf"/],
      ['error', 'UNDEFINED_VARIABLE', 'content/agents/b.md', 5, 23, /undefined variable "valueOf"/],
    ])
    expectKept(s, ['b'])
    const a = readOutput(s.box, 'agents/a.md')
    expect(a).toContain('\nA c q s h.\n')
    // The agent's constructor beats the trait's default; valueOf comes from the trait.
    expect(a).toContain('\nT v c.\n')
    expect(a.split('---\n')[1]).toBe('name: a\ndescription: Test agent\n__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\n')
  })

  it('in-process (createTraitgen): building them pollutes no prototype', async () => {
    const box = sandbox(protoFiles)
    const tg = createTraitgen({ root: box.root })
    try {
      const result = await tg.build()
      expect(result.messages.map((m) => [m.code, m.file, m.line, m.column])).toEqual([
        ['UNDEFINED_VARIABLE', 'content/agents/b.md', 5, 3],
        ['UNDEFINED_VARIABLE', 'content/agents/b.md', 5, 23],
      ])
      await tg.renderAgent('a')
    } finally {
      await tg.close()
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
  })

  const mergeFiles: Files = {
    'content/traits/x/t.md': traitFile('base: &b { x: 1 }\nvariables:\n  <<: *b\n  y: 2', 'T {{ y }}.\n'),
    'content/agents/top.md': agentFile('base: &a\n  description: injected\n  polluted: yes\n<<: *a', 'Top.\n'),
    'content/agents/vars.md': agentFile('evil: &e { __proto__: { polluted: yes } }\nimports:\n  x: [t]\nvariables:\n  <<: *e\n  v: 1', 'V {{ v }}.\n'),
  }

  it('merge keys (<<: *a) are not merged: top level stays a plain key, in variables an error at the key', async () => {
    const s = await scenario(
      {
        'content/traits/x/t.md': traitFile('variables:\n  y: 2', 'T {{ y }}.\n'),
        'content/agents/top.md': agentFile('', 'Top.\n'),
        'content/agents/vars.md': agentFile('imports:\n  x: [t]\nvariables:\n  v: 1', 'V {{ v }}.\n'),
      },
      mergeFiles,
    )
    expectMessages(s.bad, 1, [
      ['error', 'INVALID_FRONTMATTER', 'content/agents/vars.md', 7, 7, /"variables\.<<"/],
      // A trait's variable names are checked: `<<` is not one, reported at the key with the rule it breaks.
      ['error', 'INVALID_FRONTMATTER', 'content/traits/x/t.md', 4, 3, /"variables\.<<": variable names are letters, digits, _ and -/],
    ])
    expectKept(s, ['vars'])
    // The description is the agent's own, not the merged "injected".
    expect(readOutput(s.box, 'agents/top.md')).toMatch(/^---\nname: top\ndescription: Test agent\n/)
  })

  it('merge keys in-process: no prototype reached', async () => {
    const tg = createTraitgen({ root: sandbox(mergeFiles).root })
    try {
      await tg.build()
    } finally {
      await tg.close()
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  // zod's records drop a "__proto__" key, so it is reported instead of vanishing silently.
  it('a variable named __proto__ is INVALID_FRONTMATTER at its value; nothing is polluted', async () => {
    const box = sandbox({ 'content/agents/a.md': agentFile('variables:\n  __proto__: p', 'Inline `{{ __proto__ }}` here.\n') })
    expectMessages(await run(box), 1, [['error', 'INVALID_FRONTMATTER', 'content/agents/a.md', 4, 14, /"__proto__" cannot name a variable; rename it/]])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('an import group named __proto__ is INVALID_FRONTMATTER at its value, never silently dropped', async () => {
    const box = sandbox({ 'content/traits/x/t.md': 'Trait text.\n', 'content/agents/a.md': agentFile('imports:\n  __proto__: [x/t]') })
    expectMessages(await run(box), 1, [['error', 'INVALID_FRONTMATTER', 'content/agents/a.md', 4, 14, /"__proto__" cannot name an import group; rename it/]])
  })
})
