// Error codes of single content files (spec §2, §3, §12): frontmatter, YAML, encoding, size, Markdown depth.
// Each test builds a tiny project with the real CLI (child process) and checks code, file:line:column, fix hint, exit status.
import { describe, expect, it } from 'vitest'
import { agentFile, traitFile } from '../support/project.js'
import { agentUsing, expectMessages, projectMaker, runIn } from './helpers.js'

const project = projectMaker()

describe('INVALID_FRONTMATTER', () => {
  it('an agent without description: at 1:1, says to add it', () => {
    const built = runIn(project({ 'content/agents/a.md': '---\nname: a\nmodel: sonnet\n---\n\nBody.\n' }))
    expectMessages(built, 1, [['error', 'INVALID_FRONTMATTER', 'content/agents/a.md', 1, 1, /"description" is required; add it to the frontmatter/]])
  })

  it('a near-miss key (dependancies) at the key, with its did-you-mean', () => {
    const built = runIn(
      project({
        'content/traits/x/t.md': traitFile('version: 1.0.0\ndependancies: [y]'),
        'content/agents/a.md': agentUsing('t'),
      }),
    )
    expectMessages(built, 1, [['error', 'INVALID_FRONTMATTER', 'content/traits/x/t.md', 3, 1, /unknown key "dependancies"; did you mean "dependencies"\?/]])
    expect(built.json.messages[0]?.context).toEqual({ key: 'dependancies', suggestion: 'dependencies' })
  })

  it('a version that is not semver (abc), at the version key; a loose 1.10 is fine', () => {
    const built = runIn(
      project({
        'content/traits/x/t.md': traitFile('name: t\nversion: abc'),
        'content/traits/x/u.md': traitFile('version: 1.10'),
        'content/agents/a.md': agentUsing('t, u@^1.10.0'),
      }),
    )
    expectMessages(built, 1, [['error', 'INVALID_FRONTMATTER', 'content/traits/x/t.md', 3, 1, /version "abc" is not a semantic version; write it like 1\.2\.0/]])
  })

  it('--strict: an unknown key is an error at the key; without --strict it is free metadata', () => {
    const root = project({ 'content/traits/x/t.md': traitFile('tags: [a]\nowner: me'), 'content/agents/a.md': agentUsing('t') })
    expectMessages(runIn(root, ['build']), 0, [])
    expectMessages(runIn(root, ['build', '--strict']), 1, [
      ['error', 'INVALID_FRONTMATTER', 'content/traits/x/t.md', 3, 1, /unknown key "owner" \(--strict\); known keys: name, category, version/],
    ])
  })

  it('unterminated frontmatter: at 1:1, says to add the closing ---', () => {
    const built = runIn(project({ 'content/agents/a.md': '---\ndescription: a\nmodel: sonnet\n\nBody.\n' }))
    expectMessages(built, 1, [['error', 'INVALID_FRONTMATTER', 'content/agents/a.md', 1, 1, /never closed; add a line --- after it/]])
  })
})

describe('YAML_SYNTAX', () => {
  it('bad YAML (an unclosed flow list): where the parser finds the missing ]', () => {
    const built = runIn(project({ 'content/agents/a.md': '---\ndescription: d\ntools: [Read, Write\n---\n\nBody.\n' }))
    expectMessages(built, 1, [['error', 'YAML_SYNTAX', 'content/agents/a.md', 4, 1, /invalid YAML in frontmatter: .*end with a \]/]])
  })

  it('a duplicate key: at the second one, says to remove one', () => {
    const built = runIn(project({ 'content/agents/a.md': '---\ndescription: a\nmodel: sonnet\ndescription: b\n---\n\nBody.\n' }))
    expectMessages(built, 1, [['error', 'YAML_SYNTAX', 'content/agents/a.md', 4, 1, /Map keys must be unique; remove one of them/]])
  })

  it('a !!js/function tag: at the tag, says to remove it (never evaluated)', () => {
    const built = runIn(project({ 'content/agents/a.md': '---\ndescription: !!js/function "function () { process.exit(9) }"\n---\n\nBody.\n' }))
    expectMessages(built, 1, [['error', 'YAML_SYNTAX', 'content/agents/a.md', 2, 14, /Unresolved tag: tag:yaml\.org,2002:js\/function; remove the tag/]])
  })
})

describe('YAML_LIMIT', () => {
  it('an alias bomb (10 levels of 10 aliases): refused quickly, says to remove the aliases', () => {
    const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 10; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`)
    const built = runIn(project({ 'content/agents/a.md': `---\ndescription: d\n${lines.join('\n')}\n---\n\nBody.\n` }))
    expectMessages(built, 1, [['error', 'YAML_LIMIT', 'content/agents/a.md', 1, 1, /frontmatter expands too much .*; remove the aliases/]])
    expect(built.ms).toBeLessThan(10_000)
  })

  it('deep flow nesting (5,000 brackets): at the 33rd bracket, says to flatten it', () => {
    const built = runIn(project({ 'content/agents/a.md': `---\ndescription: d\ndeep: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n\nBody.\n` }))
    // `deep: ` is 6 characters: bracket n is at column 6 + n; the first one past the limit of 32 is the 33rd.
    expectMessages(built, 1, [['error', 'YAML_LIMIT', 'content/agents/a.md', 3, 39, /nests more than 32 levels; flatten it/]])
    expect(built.ms).toBeLessThan(10_000)
  })
})

describe('EMPTY_TRAIT', () => {
  it('a trait with frontmatter and no body: at 1:1, says to write its body', () => {
    const built = runIn(project({ 'content/traits/x/t.md': traitFile('version: 1.0.0', ''), 'content/agents/a.md': agentUsing('t') }))
    expectMessages(built, 1, [['error', 'EMPTY_TRAIT', 'content/traits/x/t.md', 1, 1, /trait has no content; write its body below the frontmatter/]])
    expect(built.json.outputs).toEqual([])
  })

  it('export pointing at an empty section: at the export key, names the section', () => {
    const built = runIn(
      project({
        'content/traits/x/t.md': traitFile('name: t\nexport: Rules', '# Intro\n\nText.\n\n## Rules\n\n## Other\n\nMore.\n'),
        'content/agents/a.md': agentUsing('t'),
      }),
    )
    expectMessages(built, 1, [['error', 'EMPTY_TRAIT', 'content/traits/x/t.md', 3, 1, /the exported section "Rules" is empty; write its content/]])
  })
})

describe('TRAIT_TOO_LARGE', () => {
  it('over limits.traitChars from traitgen.config.mjs: at 1:1, says to split or raise the limit', () => {
    const built = runIn(
      project({
        'traitgen.config.mjs': 'export default { limits: { traitChars: 100 } }\n',
        'content/traits/x/t.md': `${'word '.repeat(30)}\n`,
        'content/traits/x/small.md': 'Small.\n',
        'content/agents/a.md': agentUsing('t'),
        'content/agents/b.md': agentUsing('small'),
      }),
    )
    expectMessages(built, 1, [
      ['error', 'TRAIT_TOO_LARGE', 'content/traits/x/t.md', 1, 1, /has 151 characters, more than the limit of 100; split it, or raise limits\.traitChars/],
    ])
    // The other agent still builds.
    expect(built.json.outputs.map((o) => [o.path, o.status])).toEqual([['output/agents/b.md', 'written']])
  })
})

describe('INVALID_ENCODING', () => {
  it('invalid UTF-8 on line 3: at the first bad byte, column in characters, says to save as UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('line one\nline two\nCafé '), Buffer.from([0xc3, 0x28]), Buffer.from(' bad\n')])
    const built = runIn(project({ 'content/traits/x/t.md': bytes, 'content/agents/a.md': agentUsing('t') }))
    // `Café ` is 5 characters (6 bytes): the bad sequence starts at column 6, byte 24.
    expectMessages(built, 1, [['error', 'INVALID_ENCODING', 'content/traits/x/t.md', 3, 6, /is not valid UTF-8 at byte 24; save it as UTF-8/]])
  })
})

describe('MARKDOWN_TOO_DEEP', () => {
  it('2,000 nested > and a 5,000-long * run around a word: refused at the line, in under 10 s', () => {
    const built = runIn(
      project({
        'content/traits/x/quotes.md': traitFile('name: quotes', `Intro.\n\n${'>'.repeat(2000)} deep\n`),
        'content/traits/x/stars.md': `Intro.\n\nMore.\n\n${'*'.repeat(5000)}word${'*'.repeat(5000)}\n`,
        'content/agents/a.md': agentUsing('quotes, stars'),
      }),
    )
    expectMessages(built, 1, [
      ['error', 'MARKDOWN_TOO_DEEP', 'content/traits/x/quotes.md', 7, 1, /more than 100 nested block quotes; flatten or split this part of the file/],
      ['error', 'MARKDOWN_TOO_DEEP', 'content/traits/x/stars.md', 5, 1, /a run of 5000 emphasis or bracket characters .*; flatten or split/],
    ])
    expect(built.ms).toBeLessThan(10_000)
  })
})

describe('SIZE_LIMIT', () => {
  it('limits.lines.max 5: on the agent at 1:1, with the measure, says to import fewer traits or raise the limit', () => {
    const built = runIn(
      project({
        'traitgen.config.mjs': 'export default { limits: { lines: { max: 5 } } }\n',
        'content/agents/a.md': agentFile('', 'One.\n\nTwo.\n\nThree.\n'),
      }),
    )
    // Output: 4 frontmatter lines, a blank line, then 5 body lines = 10 lines.
    expectMessages(built, 1, [
      ['error', 'SIZE_LIMIT', 'content/agents/a.md', 1, 1, /output\/agents\/a\.md has 10 lines, more than limits\.lines\.max \(5\); import fewer traits or raise the limit/],
    ])
    expect(built.json.messages[0]?.context).toEqual({ measure: 'lines', value: 10, limit: 5 })
    expect(built.json.outputs).toEqual([])
  })
})
