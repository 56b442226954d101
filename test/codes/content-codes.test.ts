// One test per error code a user can cause in content (spec §2–§5, §12): exact code, file:line:column and fix hint.
import { symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { agentFile, listFiles, makeProject, removeProject, runJson, traitFile, type JsonReport } from '../support/project.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) removeProject(root)
})

type Expected = [code: string, file: string, line: number, column: number, hint: RegExp]

/** Build `files` and assert exit 1 and exactly these error messages (warnings and infos ignored). */
function expectErrors(files: Record<string, string | Uint8Array>, expected: Expected[], args: string[] = ['build']): JsonReport {
  const root = makeProject(files)
  roots.push(root)
  const { status, json, stderr } = runJson(args, root)
  expect(stderr).toBe('')
  const errors = json.messages.filter((m) => m.severity === 'error')
  expect(errors.map((m) => [m.code, m.file, m.line, m.column])).toEqual(expected.map(([c, f, l, col]) => [c, f, l, col]))
  errors.forEach((m, i) => {
    expect(m.message).toMatch((expected[i] as Expected)[4])
  })
  expect(status).toBe(1)
  expect(listFiles(root).every((f) => f.startsWith('content/') || f.startsWith('output/') || f.startsWith('traitgen.config'))).toBe(true)
  return json
}

const agentUsing = (refs: string, group = 'x') => agentFile(`imports:\n  ${group}: [${refs}]`)

describe('frontmatter codes', () => {
  it('INVALID_FRONTMATTER: an agent without description', () => {
    expectErrors({ 'content/agents/a.md': '---\nname: a\nmodel: sonnet\n---\n\nBody.\n' }, [
      ['INVALID_FRONTMATTER', 'content/agents/a.md', 1, 1, /"description" is required; add it/],
    ])
  })

  it('INVALID_FRONTMATTER: a near-miss key, with its did-you-mean', () => {
    const json = expectErrors(
      { 'content/traits/x/t.md': traitFile('version: 1.0.0\ndependancies: [y]'), 'content/agents/a.md': agentUsing('t') },
      [['INVALID_FRONTMATTER', 'content/traits/x/t.md', 3, 1, /unknown key "dependancies"; did you mean "dependencies"\?/]],
    )
    expect(json.messages[0]?.context).toEqual({ key: 'dependancies', suggestion: 'dependencies' })
  })

  it('INVALID_FRONTMATTER: a version that is not semver; loose versions are fine', () => {
    expectErrors({ 'content/traits/x/t.md': traitFile('version: abc'), 'content/traits/x/u.md': traitFile('version: 1.10'), 'content/agents/a.md': agentUsing('t, u@^1.10.0') }, [
      ['INVALID_FRONTMATTER', 'content/traits/x/t.md', 2, 1, /version "abc" is not a semantic version; write it like 1\.2\.0/],
    ])
  })

  it('INVALID_FRONTMATTER: a value of the wrong type, at the value', () => {
    expectErrors({ 'content/traits/x/t.md': traitFile('tags: [a]\nestimated_size: lots'), 'content/agents/a.md': agentUsing('t') }, [
      ['INVALID_FRONTMATTER', 'content/traits/x/t.md', 3, 17, /"estimated_size"/],
    ])
  })

  it('INVALID_FRONTMATTER: an unknown key under --strict', () => {
    expectErrors({ 'content/traits/x/t.md': traitFile('owner: me'), 'content/agents/a.md': agentUsing('t') }, [['INVALID_FRONTMATTER', 'content/traits/x/t.md', 2, 1, /unknown key "owner" \(--strict\)/]], ['build', '--strict'])
  })

  it('INVALID_FRONTMATTER: frontmatter that is never closed', () => {
    expectErrors({ 'content/agents/a.md': '---\ndescription: a\n\nBody.\n' }, [['INVALID_FRONTMATTER', 'content/agents/a.md', 1, 1, /never closed; add a line ---/]])
  })

  it('INVALID_FRONTMATTER: frontmatter that is a list', () => {
    expectErrors({ 'content/agents/a.md': '---\n- a\n- b\n---\n\nBody.\n' }, [['INVALID_FRONTMATTER', 'content/agents/a.md', 2, 1, /must be a mapping/]])
  })

  it('YAML_SYNTAX: invalid YAML, a duplicate key, and an unknown tag', () => {
    expectErrors(
      {
        'content/agents/a.md': '---\ndescription: [unclosed\n---\n\nBody.\n',
        'content/agents/b.md': '---\ndescription: b\ndescription: c\n---\n\nBody.\n',
        'content/agents/c.md': '---\ndescription: !!js/function "function () {}"\n---\n\nBody.\n',
      },
      [
        ['YAML_SYNTAX', 'content/agents/a.md', 3, 1, /invalid YAML in frontmatter/],
        ['YAML_SYNTAX', 'content/agents/b.md', 3, 1, /Map keys must be unique; remove one of them/],
        ['YAML_SYNTAX', 'content/agents/c.md', 2, 14, /Unresolved tag.*; remove the tag/],
      ],
    )
  })

  it('YAML_LIMIT: an alias bomb and deep nesting, quickly', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`)
    const start = performance.now()
    expectErrors(
      {
        'content/agents/a.md': `---\ndescription: a\n${levels.join('\n')}\n---\n\nBody.\n`,
        'content/agents/b.md': `---\ndescription: b\ndeep: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n\nBody.\n`,
      },
      [
        ['YAML_LIMIT', 'content/agents/a.md', 1, 1, /remove the aliases/],
        ['YAML_LIMIT', 'content/agents/b.md', 3, 39, /nests more than 32 levels; flatten it/],
      ],
    )
    expect(performance.now() - start).toBeLessThan(10_000)
  })

  it('frontmatter keys such as __proto__ change no prototype', () => {
    const root = makeProject({
      'content/traits/x/t.md': traitFile('__proto__: { polluted: 1 }\nconstructor: { prototype: { polluted: 1 } }'),
      'content/agents/a.md': '---\ndescription: a\n__proto__: { polluted: 1 }\nimports:\n  x: [t]\n---\n\nBody.\n',
    })
    roots.push(root)
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(json.messages).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('file codes', () => {
  it('EMPTY_TRAIT: no body, and an export section with no content', () => {
    expectErrors(
      {
        'content/traits/x/t.md': traitFile('version: 1.0.0', ''),
        'content/traits/x/u.md': traitFile('export: Usage', '# Notes\n\nText.\n\n# Usage\n\n# Other\n'),
        'content/agents/a.md': agentUsing('t, u'),
      },
      [
        ['EMPTY_TRAIT', 'content/traits/x/t.md', 1, 1, /write its body/],
        ['EMPTY_TRAIT', 'content/traits/x/u.md', 2, 1, /exported section "Usage" is empty/],
      ],
    )
  })

  it('TRAIT_TOO_LARGE: over limits.traitChars', () => {
    expectErrors(
      { 'traitgen.config.mjs': 'export default { limits: { traitChars: 100 } }\n', 'content/traits/x/t.md': `${'word '.repeat(40)}\n`, 'content/agents/a.md': agentUsing('t') },
      [['TRAIT_TOO_LARGE', 'content/traits/x/t.md', 1, 1, /more than the limit of 100; split it, or raise limits\.traitChars/]],
    )
  })

  it('INVALID_ENCODING: at the first bad byte; UTF-16 is named', () => {
    expectErrors(
      {
        'content/traits/x/t.md': Buffer.concat([Buffer.from('line one\nline two\nbad '), Buffer.from([0xc3, 0x28]), Buffer.from(' here\n')]),
        'content/traits/x/u.md': Buffer.from('\ufeffhello', 'utf16le'),
        'content/agents/a.md': agentUsing('t, u'),
      },
      [
        ['INVALID_ENCODING', 'content/traits/x/t.md', 3, 5, /not valid UTF-8 at byte 22; save it as UTF-8/],
        ['INVALID_ENCODING', 'content/traits/x/u.md', 1, 1, /looks like UTF-16/],
      ],
    )
  })

  it('MARKDOWN_TOO_DEEP: 20,000 nested quotes and a 20,000-long emphasis run, in bounded time', () => {
    const start = performance.now()
    expectErrors(
      {
        'content/traits/x/q.md': `Intro.\n\n${'>'.repeat(20000)} deep\n`,
        'content/traits/x/e.md': `${'*'.repeat(20000)}word${'*'.repeat(20000)}\n`,
        'content/traits/x/l.md': Array.from({ length: 300 }, (_, i) => `${' '.repeat(i * 2)}- item`).join('\n'),
        'content/agents/a.md': agentUsing('q, e, l'),
      },
      [
        ['MARKDOWN_TOO_DEEP', 'content/traits/x/e.md', 1, 1, /a run of 20000 emphasis or bracket characters/],
        ['MARKDOWN_TOO_DEEP', 'content/traits/x/l.md', 101, 1, /lists nested more than 100 levels/],
        ['MARKDOWN_TOO_DEEP', 'content/traits/x/q.md', 3, 1, /more than 100 nested block quotes/],
      ],
    )
    expect(performance.now() - start).toBeLessThan(10_000)
  })

  it('PATH_OUTSIDE_ROOT: a trait linked from outside is an error where used, a warning where not', () => {
    const outside = path.join(tmpdir(), `traitgen-outside-${process.pid}.md`)
    writeFileSync(outside, 'Secret text from outside.\n')
    const root = makeProject({ 'content/agents/a.md': agentUsing('x/linked'), 'content/agents/b.md': agentFile('') })
    roots.push(root)
    mkdirSync(path.join(root, 'content/traits/x'), { recursive: true })
    symlinkSync(outside, path.join(root, 'content/traits/x/linked.md'))
    symlinkSync(outside, path.join(root, 'content/traits/x/unused.md'))
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages.map((m) => [m.severity, m.code, m.file, m.line, m.column])).toEqual([
      ['error', 'PATH_OUTSIDE_ROOT', 'content/agents/a.md', 4, 7],
      ['warning', 'PATH_OUTSIDE_ROOT', 'content/traits/x/unused.md', 1, 1],
    ])
    expect(json.messages[0]?.message).toMatch(/leads out of the content folders; copy the file in instead/)
    expect(listFiles(root, 'output').some((f) => f.endsWith('a.md'))).toBe(false)
  })
})

describe('reference codes', () => {
  it('INVALID_REF: paths, URLs, encodings and bad ranges are never refs', () => {
    const refs = ['../x', '/etc/passwd', 'a\\\\b', 'http://x', '%2e%2e/x', 'x@notarange', 'file:x', 'a//b']
    const agent = `---\ndescription: d\nimports:\n  x:\n${refs.map((r) => `    - "${r}"`).join('\n')}\n---\n\nBody.\n`
    expectErrors(
      { 'content/traits/x/x.md': 'X.\n', 'content/agents/a.md': agent },
      refs.map((_, i): Expected => ['INVALID_REF', 'content/agents/a.md', 5 + i, 7, /refs are trait ids|refs use trait ids|invalid version range|percent-encoding|empty path segment/]),
    )
  })

  it('TRAIT_NOT_FOUND: with the nearest ids suggested', () => {
    const json = expectErrors({ 'content/traits/safety/careful.md': 'Careful.\n', 'content/agents/a.md': agentUsing('safety/carefull') }, [
      ['TRAIT_NOT_FOUND', 'content/agents/a.md', 4, 7, /no trait "safety\/carefull"; did you mean "safety\/careful"\?/],
    ])
    expect(json.messages[0]?.context).toEqual({ ref: 'safety/carefull', suggestions: ['safety/careful'] })
  })

  it('TRAIT_AMBIGUOUS: a short name two traits share, listing them', () => {
    expectErrors({ 'content/traits/a/style.md': 'A.\n', 'content/traits/b/style.md': 'B.\n', 'content/agents/a.md': agentUsing('style', 'other') }, [
      ['TRAIT_AMBIGUOUS', 'content/agents/a.md', 4, 11, /matches 2 traits: a\/style, b\/style; write the full id/],
    ])
  })

  it('VERSION_MISMATCH: the range the version does not satisfy', () => {
    expectErrors({ 'content/traits/x/t.md': traitFile('version: 1.4.2'), 'content/agents/a.md': agentUsing('t@^2.0.0') }, [
      ['VERSION_MISMATCH', 'content/agents/a.md', 4, 7, /version 1\.4\.2, which does not satisfy "\^2\.0\.0"/],
    ])
  })

  it('SECTION_NOT_FOUND: a #slug and an export that name no heading, listing the slugs', () => {
    expectErrors(
      {
        'content/traits/x/t.md': '# Setup\n\nA.\n\n## Running tests\n\nB.\n',
        'content/traits/x/u.md': traitFile('export: Nowhere', '# Here\n\nText.\n'),
        'content/agents/a.md': agentUsing('t#nope'),
      },
      [
        ['SECTION_NOT_FOUND', 'content/agents/a.md', 4, 7, /has no section "#nope"; sections: setup, running-tests/],
        ['SECTION_NOT_FOUND', 'content/traits/x/u.md', 2, 9, /export "Nowhere" names no heading of this trait; headings: here/],
      ],
    )
  })

  it('DEPENDENCY_CYCLE: the whole path a → b → c → a', () => {
    const json = expectErrors(
      {
        'content/traits/c/a.md': traitFile('dependencies: [b]'),
        'content/traits/c/b.md': traitFile('dependencies: [c]'),
        'content/traits/c/c.md': traitFile('dependencies: [a]'),
        'content/agents/a.md': agentUsing('a', 'c'),
      },
      [['DEPENDENCY_CYCLE', 'content/traits/c/c.md', 2, 16, /dependency cycle: c\/a → c\/b → c\/c → c\/a; remove one/]],
    )
    expect(json.messages[0]?.context).toEqual({ cycle: ['c/a', 'c/b', 'c/c', 'c/a'] })
  })

  it('DEPENDENCY_CYCLE: an include cycle', () => {
    expectErrors(
      {
        'content/traits/c/a.md': 'A.\n\n<!-- @include b -->\n',
        'content/traits/c/b.md': 'B.\n\n<!-- @include a -->\n',
        'content/agents/a.md': agentFile('', 'Body.\n\n<!-- @include c/a -->\n'),
      },
      [['DEPENDENCY_CYCLE', 'content/traits/c/b.md', 3, 1, /c\/a → c\/b → c\/a/]],
    )
  })

  it('TRAIT_CONFLICT: two traits of which one conflicts with the other', () => {
    expectErrors(
      {
        'content/traits/o/terse.md': traitFile('conflicts: [verbose]'),
        'content/traits/o/verbose.md': 'Verbose.\n',
        'content/agents/a.md': agentFile('imports:\n  o: [verbose]\n  p: [o/terse]'),
      },
      [['TRAIT_CONFLICT', 'content/agents/a.md', 5, 7, /traits "o\/terse" and "o\/verbose" conflict.*use only one of them/]],
    )
  })
})

describe('composition codes', () => {
  it('INVALID_INCLUDE: an include that is not alone in a top-level block', () => {
    expectErrors({ 'content/traits/x/t.md': 'T.\n', 'content/agents/a.md': agentFile('', 'Body.\n\n<!-- @include x/t --> and more\n\n- <!-- @include x/t -->\n') }, [
      ['INVALID_INCLUDE', 'content/agents/a.md', 7, 1, /must be an HTML comment alone in a top-level block/],
      ['INVALID_INCLUDE', 'content/agents/a.md', 9, 3, /alone in a top-level block/],
    ])
  })

  it('INCLUDE_DEPTH_EXCEEDED: a chain deeper than limits.includeDepth', () => {
    const files: Record<string, string> = { 'traitgen.config.mjs': 'export default { limits: { includeDepth: 3 } }\n' }
    for (let i = 0; i < 5; i++) files[`content/traits/c/t${i}.md`] = `T${i}.\n\n<!-- @include t${i + 1} -->\n`
    files['content/traits/c/t5.md'] = 'End.\n'
    files['content/agents/a.md'] = agentFile('', '<!-- @include c/t0 -->\n')
    expectErrors(files, [['INCLUDE_DEPTH_EXCEEDED', 'content/traits/c/t2.md', 3, 1, /includes nest more than 3 levels \(c\/t0 → c\/t1 → c\/t2\); flatten them or raise limits\.includeDepth/]])
  })

  it('EXPANSION_LIMIT: doubling includes 25 deep stop quickly', () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 25; i++) files[`content/traits/c/t${i}.md`] = `Level ${i}.\n\n<!-- @include t${i + 1} -->\n\n<!-- @include t${i + 1} -->\n`
    files['content/traits/c/t25.md'] = `${'Filler text. '.repeat(50)}\n`
    files['content/agents/a.md'] = agentFile('', '<!-- @include c/t0 -->\n')
    const start = performance.now()
    expectErrors(files, [['EXPANSION_LIMIT', 'content/agents/a.md', 1, 1, /passes limits\.expandedBytes \(5000000 bytes\)/]])
    expect(performance.now() - start).toBeLessThan(15_000)
  })

  it('UNDEFINED_VARIABLE: in prose at the placeholder; in code only an info', () => {
    const json = expectErrors(
      { 'content/traits/x/t.md': traitFile('variables:\n  known: yes', 'Fine: {{ known }}.\nBroken: {{ knwon }}.\n\n```sh\necho {{ also_unknown }}\n```\n'), 'content/agents/a.md': agentUsing('t') },
      [['UNDEFINED_VARIABLE', 'content/traits/x/t.md', 7, 9, /undefined variable "knwon" \(did you mean "known"\?\); define it in/]],
      ['build', '--verbose'],
    )
    expect(json.messages.filter((m) => m.severity === 'info').map((m) => [m.code, m.line, m.column])).toEqual([['UNDEFINED_VARIABLE', 10, 6]])
  })

  it('SIZE_LIMIT: an output over limits.lines.max', () => {
    expectErrors({ 'traitgen.config.mjs': 'export default { limits: { lines: { max: 5 } } }\n', 'content/agents/a.md': agentFile('', 'One.\n\nTwo.\n\nThree.\n') }, [
      ['SIZE_LIMIT', 'content/agents/a.md', 1, 1, /has 10 lines, more than limits\.lines\.max \(5\); import fewer traits or raise the limit/],
    ])
  })

  it('DUPLICATE_AGENT: two agents with one name; the first still builds', () => {
    const json = expectErrors({ 'content/agents/a.md': agentFile('name: same'), 'content/agents/b.md': agentFile('name: same') }, [
      ['DUPLICATE_AGENT', 'content/agents/b.md', 3, 1, /agent name "same" is already used by a; give this agent another name/],
    ])
    expect(json.outputs.map((o) => o.path)).toEqual(['output/agents/a.md'])
  })

  it('AGENT_NOT_FOUND: build names no agent', () => {
    expectErrors({ 'content/agents/a.md': agentFile('') }, [['AGENT_NOT_FOUND', 'content/agents', 1, 1, /no agent "nope" in content\/agents; agents: a/]], ['build', 'nope'])
  })
})
