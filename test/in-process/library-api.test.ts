// The library API (spec §10) on broken and unusual projects, in process: what each call throws or reports
// for agents and traits that fail, and how graph, list and explain treat them.
import { describe, expect, it } from 'vitest'
import { createTraitgen, TraitNotFoundError, TraitValidationError, type TraitgenPlugin, type UserConfig } from '../../src/index.js'
import { rejection } from '../support/in-process.js'
import { agentFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

/** A library instance on a new project; closed after the test file by its project's removal. */
function library(files: Record<string, string>, config?: UserConfig) {
  const root = project(files)
  return createTraitgen(config ? { root, config } : { root })
}

const files = {
  'content/traits/base.md': traitFile('description: A top-level trait.', 'Base text.\n'),
  'content/traits/t/uses-base.md': traitFile('dependencies: [base, missing-dep]', 'Uses base.\n\n<!-- @include nowhere/none -->\n\n<!-- @include base -->\n'),
  'content/traits/t/bad-yaml.md': '---\nversion: [1\n---\n\nText.\n',
  'content/traits/t/bad-key.md': traitFile('version: 1.0.0\ndependancies: [base]', 'Text.\n'),
  'content/traits/top.md': traitFile('dependencies: [base]', 'Top text.\n'),
  'content/agents/good.md': agentFile('imports:\n  t: [uses-base]', '# Good\n\nGood text.\n'),
  'content/agents/broken-yaml.md': '---\ndescription: [oops\n---\n\nBody.\n',
  'content/agents/missing.md': agentFile('imports:\n  t: [nope]'),
  'content/agents/flat.md': agentFile('', 'No headings at all.\n'),
}

describe('agents that fail', () => {
  it('processTraitImports of an agent that does not parse throws its YAML problem at its place', async () => {
    const error = await rejection(library(files).processTraitImports('broken-yaml'))
    expect(error).toBeInstanceOf(TraitValidationError)
    expect(error.code).toBe('YAML_SYNTAX')
    expect(error.message).toMatch(/^content\/agents\/broken-yaml\.md:3:1: invalid YAML in frontmatter: /)
  })

  it('processTraitImports, renderAgent (also streamed) and explain of an agent with a missing trait throw TRAIT_NOT_FOUND at the import', async () => {
    const tg = library(files)
    for (const attempt of [
      tg.processTraitImports('missing'),
      tg.renderAgent('missing'),
      tg.explain('missing'),
      (async () => {
        for await (const _chunk of tg.renderAgent('missing', { stream: true })) throw new Error('no chunk expected')
      })(),
    ]) {
      const error = await rejection(attempt)
      expect(error).toBeInstanceOf(TraitNotFoundError)
      expect(error.code).toBe('TRAIT_NOT_FOUND')
      expect(error.message).toMatch(/^content\/agents\/missing\.md:4:7: no trait "nope"/)
    }
  })

  it('renderAgent throws when a validator reports an error on an agent that composed fine', async () => {
    const noFlat: TraitgenPlugin = { name: 'no-flat', validate: (doc) => (doc.text.includes('#') ? [] : [{ message: 'needs a heading', line: 5 }]) }
    const tg = library(files, { plugins: [noFlat] })
    const error = await rejection(tg.renderAgent('flat'))
    expect(error.code).toBe('PLUGIN_MESSAGE')
    expect(error.message).toBe('content/agents/flat.md:5:1: needs a heading (no-flat)')
  })

  it('renderSection of an agent without headings lists none', async () => {
    const error = await rejection(library(files).renderSection('flat', 'usage'))
    expect(error).toBeInstanceOf(TraitNotFoundError)
    expect(error.code).toBe('SECTION_NOT_FOUND')
    expect(error.message).toBe('agent flat has no section "usage"; sections: (none)')
  })
})

describe('traits that fail', () => {
  it('loadTrait of a trait with a near-miss key throws its INVALID_FRONTMATTER at the key', async () => {
    const tg = library(files)
    const key = await rejection(tg.loadTrait('t/bad-key'))
    expect(key).toBeInstanceOf(TraitValidationError)
    expect(key.code).toBe('INVALID_FRONTMATTER')
    expect(key.message).toMatch(/^content\/traits\/t\/bad-key\.md:3:1: .*did you mean "dependencies"/)
  })

  it('loadTrait finds a trait at the top of the traits folder by its id', async () => {
    const trait = await library(files).loadTrait('base')
    expect([trait.id, trait.meta.category, trait.meta.description]).toEqual(['base', 'general', 'A top-level trait.'])
  })
})

describe('graph, list and explain around broken files', () => {
  it('graph leaves out traits and agents that do not parse, and edges whose target does not resolve', async () => {
    const graph = await library(files).graph()
    expect(graph.nodes.map((n) => n.id)).toEqual(['base', 't/bad-key', 't/uses-base', 'top'])
    // A top-level trait's short refs are looked up by name (it has no folder).
    expect(graph.edges).toEqual([
      { from: 't/uses-base', to: 'base', kind: 'dependency' },
      { from: 't/uses-base', to: 'base', kind: 'include' },
      { from: 'top', to: 'base', kind: 'dependency' },
    ])
    expect(Object.keys(graph.agents)).toEqual(['flat', 'good', 'missing'])
    expect(graph.agents.missing).toEqual([])
  })

  it('list marks failed agents (sizes 0) and failed traits, and counts users of the rest', async () => {
    const { agents, traits } = await library(files).list()
    const byId = (items: typeof agents) => Object.fromEntries(items.map((i) => [i.id, { failed: i.failed, lines: i.lines, related: i.related }]))
    expect(byId(agents)).toEqual({
      'broken-yaml': { failed: true, lines: 0, related: [] },
      flat: { failed: false, lines: 6, related: [] },
      good: { failed: true, lines: 0, related: ['t/uses-base', 'base'] },
      missing: { failed: true, lines: 0, related: [] },
    })
    expect(Object.fromEntries(traits.map((t) => [t.id, [t.failed, t.unused]]))).toEqual({
      base: [false, false],
      't/bad-key': [true, true],
      't/bad-yaml': [true, true],
      't/uses-base': [false, false],
      top: [false, true],
    })
  })
})

describe('the claude text when claude is not a configured target', () => {
  it('renderAgent, list and explain still render the claude format', async () => {
    const tg = library({ 'content/agents/a.md': agentFile('model: opus', '# A\n\nText.\n') }, { targets: ['opencode'] })
    const text = await tg.renderAgent('a')
    expect(text).toBe('---\nname: a\ndescription: Test agent\nmodel: opus\n---\n\n# A\n\nText.\n')
    expect((await tg.list()).agents.map((a) => [a.id, a.lines])).toEqual([['a', 9]])
    expect((await tg.explain('a')).total.lines).toBe(9)
  })
})

describe('templates through the API', () => {
  it('validateTemplate of a name with no near template has no hint', async () => {
    const messages = await library({ 'content/templates/house.md': '<!-- @body -->\n' }).validateTemplate('zzzzzzzz')
    expect(messages.map((m) => [m.code, m.file, m.message])).toEqual([['TEMPLATE_NOT_FOUND', 'content/templates', 'no template "zzzzzzzz" in content/templates']])
  })
})

describe('streaming a large agent', () => {
  it('yields chunks of about 64 KiB that end at line ends and join to the whole text', async () => {
    const line = `${'word '.repeat(30)}\n`
    const tg = library({ 'content/agents/big.md': agentFile('', line.repeat(1500)) })
    const whole = await tg.renderAgent('big')
    const chunks: string[] = []
    for await (const chunk of tg.renderAgent('big', { stream: true })) chunks.push(chunk)
    expect(chunks.length).toBe(Math.ceil(whole.length / 65_536))
    expect(chunks.join('')).toBe(whole)
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true)
    expect(chunks[0]?.length).toBeGreaterThanOrEqual(65_536)
  })
})

describe("the problem thrown is the failing file's own", () => {
  it("loadTrait of a trait that does not parse, by id or short name, throws that trait's problem, not the first problem in the project", async () => {
    const tg = library(files)
    for (const ref of ['t/bad-yaml', 'bad-yaml']) {
      const error = await rejection(tg.loadTrait(ref))
      expect([error.code, error.context.file]).toEqual(['YAML_SYNTAX', 'content/traits/t/bad-yaml.md'])
      expect(error.message).toMatch(/^content\/traits\/t\/bad-yaml\.md:3:1: invalid YAML in frontmatter: /)
    }
  })

  it("an agent that imports a broken trait by a short name from another group fails with the trait's problem", async () => {
    const tg = library({ ...files, 'content/agents/elsewhere.md': agentFile('imports:\n  other: [bad-yaml]') })
    const error = await rejection(tg.processTraitImports('elsewhere'))
    expect([error.code, error.context.file, error.context.line]).toEqual(['YAML_SYNTAX', 'content/traits/t/bad-yaml.md', 3])
  })

  it('an agent that does not parse throws its own problem, not that of a trait whose file has the same name', async () => {
    const tg = library({
      'content/traits/x/a.md': traitFile('dependancies: [y]'),
      'content/agents/a.md': '---\ndescription: [oops\n---\n\nBody.\n',
    })
    const error = await rejection(tg.processTraitImports('a'))
    expect([error.code, error.context.file]).toEqual(['YAML_SYNTAX', 'content/agents/a.md'])
  })
})
