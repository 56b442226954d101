// Error codes of references and composition (spec §4, §5): refs, resolution, cycles, includes, expansion, variables.
// Each test builds a tiny project with the real CLI (child process) and checks code, file:line:column, fix hint, exit status.
import { describe, expect, it } from 'vitest'
import { agentFile, readProjectFile, traitFile } from '../support/project.js'
import { agentUsing, expectMessages, projectMaker, runIn, type Expected } from './helpers.js'

const project = projectMaker()

describe('INVALID_REF', () => {
  it('../x, /abs, a\\b, http://x, %2e%2e/x and x@notarange: each at its list item, says what a ref is', () => {
    const refs: Array<[string, RegExp]> = [
      ['../x', /ref "\.\.\/x" contains "\.\."; refs are trait ids, not file paths/],
      ['/abs', /ref "\/abs" is an absolute path; refs are trait ids like category\/name/],
      ['a\\\\b', /ref "a\\b" contains a backslash; refs use trait ids like category\/name/],
      ['http://x', /ref "http:\/\/x" looks like a URL .*; refs are trait ids like category\/name/],
      ['%2e%2e/x', /ref "%2e%2e\/x" contains a percent-encoding; write the trait id plainly/],
      ['x@notarange', /ref "x@notarange" has an invalid version range "notarange"; write a semver range like \^1\.2\.0/],
    ]
    // A valid ref first, so that line numbers of the bad ones do not start at the group.
    const agent = agentFile(`imports:\n  x:\n    - x\n${refs.map(([r]) => `    - "${r}"`).join('\n')}`)
    const built = runIn(project({ 'content/traits/x/x.md': 'X.\n', 'content/agents/a.md': agent }))
    // Line 1 ---, 2 description, 3 imports, 4 x:, 5 `- x`, then one bad ref per line; the value starts at column 7.
    expectMessages(
      built,
      1,
      refs.map(([, hint], i): Expected => ['error', 'INVALID_REF', 'content/agents/a.md', 6 + i, 7, hint]),
    )
  })

  it('a path in an include comment: at the comment', () => {
    const built = runIn(project({ 'content/traits/x/x.md': 'X.\n', 'content/agents/a.md': agentFile('', 'Body.\n\n<!-- @include ../traits/x/x -->\n') }))
    expectMessages(built, 1, [['error', 'INVALID_REF', 'content/agents/a.md', 7, 1, /contains "\.\."; refs are trait ids, not file paths/]])
  })
})

describe('TRAIT_NOT_FOUND', () => {
  it('a misspelt ref: at the ref, with the nearest id in the text and in context.suggestions', () => {
    const built = runIn(
      project({
        'content/traits/style/concise.md': 'Be concise.\n',
        'content/traits/style/formal.md': 'Be formal.\n',
        'content/agents/a.md': agentUsing('consise', 'style'),
      }),
    )
    expectMessages(built, 1, [['error', 'TRAIT_NOT_FOUND', 'content/agents/a.md', 4, 11, /no trait "consise"; did you mean "style\/concise"\?/]])
    expect(built.json.messages[0]?.context).toEqual({ ref: 'consise', suggestions: ['style/concise'] })
  })

  it("in a trait's dependencies: at the dependency in the trait file", () => {
    const built = runIn(project({ 'content/traits/x/t.md': traitFile('name: t\ndependencies:\n  - x/missing'), 'content/agents/a.md': agentUsing('t') }))
    expectMessages(built, 1, [['error', 'TRAIT_NOT_FOUND', 'content/traits/x/t.md', 4, 5, /no trait "x\/missing"/]])
  })
})

describe('TRAIT_AMBIGUOUS', () => {
  it('two traits named the same in different folders, by short name from another group: lists both', () => {
    const built = runIn(
      project({
        'content/traits/a/common.md': 'A.\n',
        'content/traits/b/common.md': 'B.\n',
        'content/agents/ag.md': agentUsing('common', 'other'),
      }),
    )
    expectMessages(built, 1, [['error', 'TRAIT_AMBIGUOUS', 'content/agents/ag.md', 4, 11, /ref "common" matches 2 traits: a\/common, b\/common; write the full id/]])
    expect(built.json.messages[0]?.context).toEqual({ candidates: ['a/common', 'b/common'] })
  })
})

describe('VERSION_MISMATCH', () => {
  it('a range the trait version does not satisfy: at the ref, names both', () => {
    const built = runIn(project({ 'content/traits/x/t.md': traitFile('version: 1.2.0'), 'content/agents/a.md': agentUsing('t@^2.0.0') }))
    expectMessages(built, 1, [
      ['error', 'VERSION_MISMATCH', 'content/agents/a.md', 4, 7, /trait "x\/t" is version 1\.2\.0, which does not satisfy "\^2\.0\.0"; update the range or the trait/],
    ])
  })
})

describe('SECTION_NOT_FOUND', () => {
  it('a ref #nope: at the ref, lists the slugs that exist', () => {
    const built = runIn(project({ 'content/traits/x/t.md': '# Intro\n\nA.\n\n## Code Style\n\nB.\n', 'content/agents/a.md': agentUsing('t#nope') }))
    expectMessages(built, 1, [['error', 'SECTION_NOT_FOUND', 'content/agents/a.md', 4, 7, /trait "x\/t" has no section "#nope"; sections: intro, code-style/]])
    expect(built.json.messages[0]?.context).toEqual({ slugs: ['intro', 'code-style'] })
  })

  it('export: naming no heading: at the export value, lists the headings', () => {
    const built = runIn(project({ 'content/traits/x/t.md': traitFile('export: Usage', '# Intro\n\nA.\n'), 'content/agents/a.md': agentUsing('t') }))
    expectMessages(built, 1, [['error', 'SECTION_NOT_FOUND', 'content/traits/x/t.md', 2, 9, /export "Usage" names no heading of this trait; headings: intro/]])
  })
})

describe('DEPENDENCY_CYCLE', () => {
  it('a → b → c → a among dependencies: at the dependency that closes it, with the whole path of ids', () => {
    const built = runIn(
      project({
        'content/traits/x/a.md': traitFile('dependencies: [b]'),
        'content/traits/x/b.md': traitFile('dependencies: [c]'),
        'content/traits/x/c.md': traitFile('dependencies: [a]'),
        'content/agents/ag.md': agentUsing('a'),
      }),
    )
    expectMessages(built, 1, [
      ['error', 'DEPENDENCY_CYCLE', 'content/traits/x/c.md', 2, 16, /dependency cycle: x\/a → x\/b → x\/c → x\/a; remove one of these dependencies or includes/],
    ])
    expect(built.json.messages[0]?.context).toEqual({ cycle: ['x/a', 'x/b', 'x/c', 'x/a'] })
  })

  const includeCycle = {
    'content/traits/x/a.md': 'A.\n\n<!-- @include b -->\n',
    'content/traits/x/b.md': 'B.\n\n<!-- @include c -->\n',
    'content/traits/x/c.md': 'C.\n\n<!-- @include a -->\n',
  }
  const includeCycleMessage: Expected = ['error', 'DEPENDENCY_CYCLE', 'content/traits/x/c.md', 3, 1, /dependency cycle: x\/a → x\/b → x\/c → x\/a; remove one of/]

  it('an include cycle entered from the agent body: at the include that closes it, with the path', () => {
    const built = runIn(project({ ...includeCycle, 'content/agents/ag.md': agentFile('', 'Body.\n\n<!-- @include x/a -->\n') }))
    expectMessages(built, 1, [includeCycleMessage])
  })

  // BUG: when a trait of an include cycle is imported (not included by the agent), includedWhole() in
  // src/compose/agent.ts finds it "included whole" by the last trait of the cycle and skips the import,
  // so nothing expands: no DEPENDENCY_CYCLE, exit 0, and the agent is written without the trait's text.
  it('an include cycle entered from imports: reported like the one from the body', () => {
    const built = runIn(project({ ...includeCycle, 'content/agents/ag.md': agentUsing('a') }))
    expectMessages(built, 1, [includeCycleMessage])
  })
})

describe('TRAIT_CONFLICT', () => {
  it('two traits of which one conflicts with the other: at the later import, names both', () => {
    const built = runIn(
      project({
        'content/traits/x/a.md': traitFile('conflicts: [b]'),
        'content/traits/x/b.md': 'B.\n',
        'content/agents/ag.md': agentFile('imports:\n  x:\n    - a\n    - b'),
      }),
    )
    expectMessages(built, 1, [
      ['error', 'TRAIT_CONFLICT', 'content/agents/ag.md', 6, 7, /traits "x\/a" and "x\/b" conflict \("x\/a" lists "b" in conflicts\); use only one of them/],
    ])
  })
})

describe('INVALID_INCLUDE', () => {
  it('an include comment with trailing text: at the comment, shows the right form', () => {
    const built = runIn(project({ 'content/traits/x/a.md': 'A.\n', 'content/agents/ag.md': agentFile('', 'Body.\n\n<!-- @include x/a --> and more text\n') }))
    expectMessages(built, 1, [
      ['error', 'INVALID_INCLUDE', 'content/agents/ag.md', 7, 1, /an include must be an HTML comment alone in a top-level block: <!-- @include <ref> -->/],
    ])
  })
})

describe('INCLUDE_DEPTH_EXCEEDED', () => {
  it('limits.includeDepth 3 and a chain of 5: at the 4th include, with the chain, says to raise the limit', () => {
    const files: Record<string, string> = { 'traitgen.config.mjs': 'export default { limits: { includeDepth: 3 } }\n' }
    for (let i = 1; i <= 5; i++) files[`content/traits/c/t${i}.md`] = `T${i}.\n${i < 5 ? `\n<!-- @include t${i + 1} -->\n` : ''}`
    files['content/agents/ag.md'] = agentFile('', 'Body.\n\n<!-- @include c/t1 -->\n')
    const built = runIn(project(files))
    expectMessages(built, 1, [
      ['error', 'INCLUDE_DEPTH_EXCEEDED', 'content/traits/c/t3.md', 3, 1, /includes nest more than 3 levels \(c\/t1 → c\/t2 → c\/t3\); flatten them or raise limits\.includeDepth/],
    ])
  })
})

describe('EXPANSION_LIMIT', () => {
  /** A chain of `levels` traits, each including the next twice. */
  const doubleChain = (levels: number, text: (i: number) => string) => {
    const files: Record<string, string> = {}
    for (let i = 1; i <= levels; i++) {
      files[`content/traits/c/t${i}.md`] = `${text(i)}\n${i < levels ? `\n<!-- @include t${i + 1} -->\n\n<!-- @include t${i + 1} -->\n` : ''}`
    }
    return files
  }
  const limitMessage: Expected = ['error', 'EXPANSION_LIMIT', 'content/agents/ag.md', 1, 1, /passes limits\.expandedBytes \(5000000 bytes\); check for include chains, or raise the limit/]

  it('a double-include chain of big blocks passes 5 MB: stopped, on the agent, quickly', () => {
    const built = runIn(project({ ...doubleChain(25, (i) => `Level ${i}: ${'x'.repeat(2000)}`), 'content/agents/ag.md': agentFile('', 'Body.\n\n<!-- @include c/t1 -->\n') }))
    expectMessages(built, 1, [limitMessage])
    expect(built.ms).toBeLessThan(10_000)
  })

  // Fixed (was a bug): with short blocks the expansion holds ~10^5 pieces before reaching 5 MB, and
  // `out.push(...pieces)` in src/compose/include.ts (includePieces) overflows the call stack:
  // INTERNAL_ERROR "Maximum call stack size exceeded" instead of EXPANSION_LIMIT. (17 levels, 1.6 MB,
  // under the limit, crash the same way.)
  it('25 levels of traits each including the next twice: EXPANSION_LIMIT, not a stack overflow', () => {
    const built = runIn(project({ ...doubleChain(25, (i) => `Level ${i}.`), 'content/agents/ag.md': agentFile('', 'Body.\n\n<!-- @include c/t1 -->\n') }))
    expectMessages(built, 1, [limitMessage])
    expect(built.ms).toBeLessThan(60_000)
  }, 120_000)
})

describe('UNDEFINED_VARIABLE', () => {
  it('in prose: an error at the exact {{ of the agent and of the trait, with a did-you-mean', () => {
    const built = runIn(
      project({
        'content/traits/x/t.md': traitFile('variables:\n  known: k', 'Trait uses {{ known }} and {{ knwn }}.\n'),
        'content/agents/ag.md': agentFile('imports:\n  x: [t]\nvariables:\n  team: core', 'Intro.\n\n# Team {{team}}\n\nAsk {{owner}} first.\n'),
      }),
    )
    expectMessages(built, 1, [
      ['error', 'UNDEFINED_VARIABLE', 'content/agents/ag.md', 13, 5, /undefined variable "owner"; define it in the agent's variables or the config's variables, or write \\\{\{ to keep the braces/],
      ['error', 'UNDEFINED_VARIABLE', 'content/traits/x/t.md', 6, 28, /undefined variable "knwn" \(did you mean "known"\?\); define it in .*the trait's variables/],
    ])
  })

  const codeBody = 'Run `{{ cmd }}` here.\n\n```yaml\nrun: ${{ secrets.X }} {{ matrix_os }}\n```\n'
  const codeInfos: Expected[] = [
    ['info', 'UNDEFINED_VARIABLE', 'content/agents/ag.md', 5, 6, /placeholder "cmd" in code has no value and is left as written/],
    ['info', 'UNDEFINED_VARIABLE', 'content/agents/ag.md', 8, 23, /placeholder "matrix_os" in code has no value and is left as written/],
  ]

  it('in code: not an error, left as written; shown only with --verbose, as info at its place', () => {
    const plain = runIn(project({ 'content/agents/ag.md': agentFile('', codeBody) }))
    expectMessages(plain, 0, [])
    expect(readProjectFile(plain.root, 'output/agents/ag.md')).toContain(codeBody)
    expectMessages(runIn(project({ 'content/agents/ag.md': agentFile('', codeBody) }), ['build', '--verbose']), 0, codeInfos)
  })

  // BUG: the info messages are produced while rendering, and an agent that the build cache finds up to
  // date is not rendered again, so `traitgen build` followed by `traitgen build --verbose` shows nothing:
  // what --verbose reports depends on whether the cache is warm (src/build.ts, isCurrent branch).
  it('in code, --verbose after a plain build still shows the infos', () => {
    const root = project({ 'content/agents/ag.md': agentFile('', codeBody) })
    expectMessages(runIn(root), 0, [])
    expectMessages(runIn(root, ['build', '--verbose']), 0, codeInfos)
  })
})
