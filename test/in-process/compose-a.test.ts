// Refs, frontmatter, parse limits and composition corners through the library API, in process: each case
// checks the exact code, text and place a user sees, or the exact output.
import { describe, expect, it } from 'vitest'
import { createTraitgen, TraitNotFoundError, TraitValidationError, type UserConfig } from '../../src/index.js'
import { DependencyGraph } from '../../src/graph.js'
import { parseRef } from '../../src/resolve/ref.js'
import { buildAt, rejection } from '../support/in-process.js'
import { agentFile, readProjectFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

/** A library instance on a new project. */
function library(files: Record<string, string>, config?: UserConfig) {
  const root = project(files)
  return createTraitgen(config ? { root, config } : { root })
}

/** Build a project in process. */
async function build(files: Record<string, string>, config: UserConfig = {}) {
  const root = project(files)
  return { root, result: await buildAt(root, config) }
}

/** Messages as `file:line:column CODE message`. */
const lines = (messages: ReadonlyArray<{ file: string; line: number; column: number; code: string; message: string }>) =>
  messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code} ${m.message}`)

describe('refs that are refused (INVALID_REF)', () => {
  it('an empty ref, a "." segment, a .md ending and an empty #section, each at its import', async () => {
    const { result } = await build({
      'content/traits/t/x.md': '# X\n\nText.\n',
      'content/agents/a.md': agentFile("imports:\n  t:\n    - ./x\n    - t/x.md\n    - t/x#\n    - '  '"),
    })
    expect(lines(result.messages)).toEqual([
      'content/agents/a.md:5:7 INVALID_REF ref "./x" contains "."; refs are trait ids, not file paths',
      'content/agents/a.md:6:7 INVALID_REF ref "t/x.md" ends in .md; write the trait id without the extension',
      'content/agents/a.md:7:7 INVALID_REF ref "t/x#" has an empty #section',
      'content/agents/a.md:8:7 INVALID_REF a ref is empty',
    ])
    expect(result.agents.failed).toEqual(['a'])
  })

  it('loadTrait of a blank ref throws INVALID_REF', async () => {
    const error = await rejection(library({ 'content/traits/t/x.md': 'X.\n' }).loadTrait('   '))
    expect(error).toBeInstanceOf(TraitValidationError)
    expect(error.code).toBe('INVALID_REF')
    expect(error.message).toBe('(api):1:1: a ref is empty')
  })

  it('parsed refs are memoised, and the memo is bounded: after 50,000 other refs it starts again', () => {
    const first = parseRef('t/memo@^1.0.0#part')
    expect(first).toEqual({ ref: { target: 't/memo', range: '^1.0.0', slug: 'part' } })
    expect(parseRef('t/memo@^1.0.0#part')).toBe(first)
    for (let i = 0; i <= 50_001; i++) parseRef(`t/filler-${i}`)
    const again = parseRef('t/memo@^1.0.0#part')
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
  })
})

describe('suggestions for a trait that is not found', () => {
  it('ids at the same distance are suggested in id order, at most three', async () => {
    const { result } = await build({
      'content/traits/t/abc3.md': 'Three.\n',
      'content/traits/t/abc1.md': 'One.\n',
      'content/traits/t/abc4.md': 'Four.\n',
      'content/traits/t/abc2.md': 'Two.\n',
      'content/agents/a.md': agentFile('imports:\n  t: [t/abc0]'),
    })
    expect(lines(result.messages)).toEqual(['content/agents/a.md:4:7 TRAIT_NOT_FOUND no trait "t/abc0"; did you mean "t/abc1", "t/abc2", "t/abc3"?'])
    expect(result.messages[0]?.context).toEqual({ ref: 't/abc0', suggestions: ['t/abc1', 't/abc2', 't/abc3'] })
  })
})

describe('frontmatter corners', () => {
  it('a version given through a YAML alias reads the anchored value (a string, or a number read loosely)', async () => {
    const tg = library({
      'content/traits/t/semver.md': traitFile('base: &v 1.2.3\nversion: *v', 'Text.\n'),
      'content/traits/t/loose.md': traitFile('base: &v 2\nversion: *v', 'Text.\n'),
    })
    expect((await tg.loadTrait('t/semver')).meta.version).toBe('1.2.3')
    expect((await tg.loadTrait('t/loose')).meta.version).toBe('2.0.0')
    expect((await tg.loadTrait('t/loose')).meta.extra).toEqual({ base: 2 })
    await tg.close()
  })

  it('an empty frontmatter (two fences) is no frontmatter: defaults apply and the body follows', async () => {
    const tg = library({ 'content/traits/t/bare.md': '---\n---\n\nFirst paragraph.\n' })
    const trait = await tg.loadTrait('t/bare')
    expect(trait.messages).toEqual([])
    expect(trait.meta).toMatchObject({ name: 'bare', category: 't', version: '0.0.0', description: 'First paragraph.' })
    await tg.close()
  })

  it('an empty key is YAML\'s null key: free metadata, and under --strict an unknown key at its line', async () => {
    const files = { 'content/traits/t/empty-key.md': '---\n: value\n---\n\nText.\n' }
    const tg = library(files)
    expect((await tg.loadTrait('t/empty-key')).messages).toEqual([])
    await tg.close()
    const strict = createTraitgen({ root: project(files), strict: true })
    const error = await rejection(strict.loadTrait('t/empty-key'))
    expect(error.code).toBe('INVALID_FRONTMATTER')
    expect(error.message).toMatch(/^content\/traits\/t\/empty-key\.md:2:1: unknown key "null" \(--strict\); known keys: name, category, version/)
    await strict.close()
  })
})

describe('parse limits counted across a file', () => {
  it(`more link reference definitions than the limit is MARKDOWN_TOO_DEEP at the first one past it`, async () => {
    const definitions = Array.from({ length: 1001 }, (_, i) => `[d${i}]: https://example.com/${i}`).join('\n')
    const { result } = await build({ 'content/traits/t/defs.md': traitFile('version: 1.0.0', `${definitions}\n`), 'content/agents/a.md': agentFile('imports:\n  t: [defs]') })
    // Frontmatter (3 lines) and a blank line come first: the 1001st definition is on line 1005.
    expect(lines(result.messages)).toEqual([
      'content/traits/t/defs.md:1005:1 MARKDOWN_TOO_DEEP Markdown too deeply nested to parse in bounded time: more than 1000 link reference definitions; flatten or split this part of the file',
    ])
  })

  it('more emphasis or bracket characters in one paragraph than the limit is MARKDOWN_TOO_DEEP; a blank line starts the count again', async () => {
    const line = '*a '.repeat(700)
    const { result } = await build({
      'content/traits/t/ok.md': `${line}\n${line}\n\n${line}\n${line}\n`,
      'content/traits/t/dense.md': `${line}\n${line}\n${line}\n`,
      'content/agents/a.md': agentFile('imports:\n  t: [ok, dense]'),
    })
    expect(lines(result.messages)).toEqual([
      'content/traits/t/dense.md:3:1 MARKDOWN_TOO_DEEP Markdown too deeply nested to parse in bounded time: more than 2000 emphasis or bracket characters in one paragraph; flatten or split this part of the file',
    ])
  })
})

describe('links and placeholders', () => {
  it('a link whose target holds a placeholder is interpolated, not rewritten as a relative link', async () => {
    const { root, result } = await build(
      {
        'content/traits/t/links.md': 'See [guide]({{docs}}/guide.md) and [local](guide.md).\n',
        'content/agents/a.md': agentFile('imports:\n  t: [links]', '# A\n'),
      },
      { variables: { docs: 'manual' } },
    )
    expect(result.messages).toEqual([])
    expect(readProjectFile(root, 'output/agents/a.md')).toBe(
      '---\nname: a\ndescription: Test agent\n---\n\n# A\n\n## T\n\nSee [guide](manual/guide.md) and [local](../../content/traits/t/guide.md).\n',
    )
  })
})

describe('dependencies of included traits', () => {
  it("an included trait's dependency that does not resolve is TRAIT_NOT_FOUND at that dependency, and the agent fails", async () => {
    const { result } = await build({
      'content/traits/t/inc.md': traitFile('dependencies:\n  - t/ghost', 'Included.\n'),
      'content/agents/a.md': agentFile('', '# A\n\n<!-- @include t/inc -->\n'),
    })
    expect(lines(result.messages)).toEqual(['content/traits/t/inc.md:3:5 TRAIT_NOT_FOUND no trait "t/ghost"; check the trait id'])
    expect(result.agents.failed).toEqual(['a'])
  })

  it('an imported trait that includes a trait with a broken dependency reports that dependency once', async () => {
    const { result } = await build({
      'content/traits/t/outer.md': 'Outer.\n\n<!-- @include inner -->\n',
      'content/traits/t/inner.md': traitFile('dependencies: [t/ghost]', 'Inner.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [outer]'),
    })
    expect(lines(result.messages)).toEqual(['content/traits/t/inner.md:2:16 TRAIT_NOT_FOUND no trait "t/ghost"; check the trait id'])
  })

  it('an imported trait whose included trait reaches one trait by two paths places each once, dependencies first', async () => {
    const tg = library({
      'content/traits/t/outer.md': 'Outer.\n\n<!-- @include inner -->\n',
      'content/traits/t/inner.md': traitFile('dependencies: [leaf, mid]', 'Inner.\n'),
      'content/traits/t/mid.md': traitFile('dependencies: [leaf]', 'Mid.\n'),
      'content/traits/t/leaf.md': 'Leaf.\n',
      'content/agents/a.md': agentFile('imports:\n  t: [outer]', '# A\n'),
    })
    expect((await tg.processTraitImports('a')).map((p) => `${p.id} ${p.reason.kind}`)).toEqual([
      't/outer import',
      't/leaf dependency',
      't/mid dependency',
      't/inner include',
    ])
    expect(await tg.renderAgent('a')).toBe('---\nname: a\ndescription: Test agent\n---\n\n# A\n\n## T\n\nOuter.\n\nLeaf.\n\nMid.\n\nInner.\n')
    await tg.close()
  })
})

describe('sections of an output that cannot be parsed again', () => {
  it('renderSection of an agent whose expansion passes a parse limit finds no section and lists none', async () => {
    const half = (prefix: string) => Array.from({ length: 600 }, (_, i) => `[${prefix}${i}]: https://example.com/${i}`).join('\n')
    const tg = library({
      'content/traits/t/defs.md': `${half('t')}\n`,
      'content/agents/a.md': agentFile('imports:\n  t: [defs]', `# A\n\n${half('a')}\n`),
    })
    const error = await rejection(tg.renderSection('a', 'a'))
    expect(error).toBeInstanceOf(TraitNotFoundError)
    expect(error.code).toBe('SECTION_NOT_FOUND')
    expect(error.message).toBe('agent a has no section "a"; sections: (none)')
    await tg.close()
  })
})

describe('the dependency map', () => {
  it('an agent never recorded, or reset, has no inputs and no input lists it', () => {
    const graph = new DependencyGraph()
    expect(graph.inputsOf('a')).toEqual([])
    graph.addDependency('a', 't/x')
    graph.addDependency('b', 't/x')
    expect(graph.dependantsOf('t/x')).toEqual(['a', 'b'])
    graph.resetNode('a')
    expect(graph.inputsOf('a')).toEqual([])
    expect(graph.dependantsOf('t/x')).toEqual(['b'])
  })
})
