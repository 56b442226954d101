// Composition (spec §5, §14) through the library API, in process: templates that cannot be found, the
// expansion limit, and composition hooks that answer for some agents or traits and pass on the others.
import { describe, expect, it } from 'vitest'
import { composeHooks } from '../../src/compose/hooks.js'
import { type Agent, type BlockPiece, type ComposeContext, createMessage, createTraitgen, type Piece, type TraitgenPlugin, type UserConfig } from '../../src/index.js'
import { buildAt } from '../support/in-process.js'
import { agentFile, readProjectFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

/** Build a project in process and return the result. */
async function build(files: Record<string, string>, config: UserConfig = {}) {
  const root = project(files)
  return { root, result: await buildAt(root, config) }
}

/** The messages of a result as `file:line:column code`. */
const places = (messages: ReadonlyArray<{ file: string; line: number; column: number; code: string }>) => messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code}`)

describe('templates that cannot be used', () => {
  it("the config's default template that does not exist fails every agent at 1:1, with the nearest name", async () => {
    const { result } = await build(
      {
        'content/templates/house.md': '# {{ name }}\n\n<!-- @body -->\n',
        'content/agents/a.md': agentFile('', 'Text.\n'),
      },
      { template: 'hous' },
    )
    expect(result.ok).toBe(false)
    expect(places(result.messages)).toEqual(['content/agents/a.md:1:1 TEMPLATE_NOT_FOUND'])
    expect(result.messages[0]?.message).toBe('the config sets template "hous" does not exist; did you mean "house"?')
    expect(result.messages[0]?.context).toEqual({ template: 'hous', suggestions: ['house'] })
    expect(result.agents.failed).toEqual(['a'])
  })

  it("an agent's template with no near name lists the templates there are", async () => {
    const { result } = await build({
      'content/templates/house.md': '<!-- @body -->\n',
      'content/templates/team/plain.md': '<!-- @body -->\n',
      'content/agents/a.md': agentFile('template: zzzzzzzzzz', 'Text.\n'),
    })
    expect(places(result.messages)).toEqual(['content/agents/a.md:3:11 TEMPLATE_NOT_FOUND'])
    expect(result.messages[0]?.message).toBe('template "zzzzzzzzzz" does not exist; templates: house, team/plain')
  })

  it('an agent template in a project without templates says there is none', async () => {
    const { result } = await build({ 'content/agents/a.md': agentFile('template: house', 'Text.\n') })
    expect(places(result.messages)).toEqual(['content/agents/a.md:3:11 TEMPLATE_NOT_FOUND'])
    expect(result.messages[0]?.message).toBe('template "house" does not exist; there is no template in the templates folder')
  })

  it('a template that exists but is broken reports only its own problem, and the agent fails', async () => {
    const { result } = await build({
      'content/templates/house.md': '# No body marker\n',
      'content/agents/a.md': agentFile('template: house', 'Text.\n'),
    })
    expect(places(result.messages)).toEqual(['content/templates/house.md:1:1 TEMPLATE_INVALID'])
    expect(result.agents.failed).toEqual(['a'])
    expect(result.outputs.filter((o) => o.status === 'written')).toEqual([])
  })
})

describe('the expansion limit', () => {
  it('an agent that expands past limits.expandedBytes is EXPANSION_LIMIT at its file; a smaller one builds', async () => {
    const { result } = await build(
      {
        'content/traits/t/long.md': traitFile('', `${'A long line of trait text. '.repeat(20)}\n`),
        'content/agents/big.md': agentFile('imports:\n  t: [long]', 'Short.\n'),
        'content/agents/small.md': agentFile('', 'Short.\n'),
      },
      { limits: { expandedBytes: 200 } },
    )
    expect(places(result.messages)).toEqual(['content/agents/big.md:1:1 EXPANSION_LIMIT'])
    expect(result.messages[0]?.message).toBe('the expanded agent passes limits.expandedBytes (200 bytes); check for include chains, or raise the limit')
    expect(result.agents).toEqual({ built: ['small'], failed: ['big'] })
  })
})

describe('composition hooks beside the built-ins', () => {
  const files = {
    'content/traits/t/base.md': traitFile('', 'Base text.\n'),
    'content/traits/t/first.md': traitFile('dependencies: [base]', 'First text.\n'),
    'content/traits/t/second.md': traitFile('', 'Second text.\n'),
    'content/agents/solo.md': agentFile('imports:\n  t: [first, second]', '# Solo\n'),
    'content/agents/other.md': agentFile('imports:\n  t: [first, second]', '# Other\n\n<!-- @include t/first -->\n'),
  }

  it('a pre resolveImports that answers for one agent and passes (undefined) on the others', async () => {
    const firstOnly: TraitgenPlugin = {
      name: 'first-only',
      enforce: 'pre',
      resolveImports({ agent, imports }, context) {
        if (agent?.id !== 'solo') return undefined
        const placements = []
        for (const { group, refs } of imports) {
          const ref = refs[0]
          const resolution = ref && context.resolve(ref, agent.doc.file.path, group)
          if (ref && resolution) placements.push({ group, resolution, reason: { kind: 'import' as const, group }, file: agent.doc.file.path, place: ref.place })
        }
        return placements
      },
    }
    const root = project(files)
    const tg = createTraitgen({ root, config: { plugins: [firstOnly] } })
    expect((await tg.processTraitImports('solo')).map((p) => p.id)).toEqual(['t/first'])
    expect((await tg.processTraitImports('other')).map((p) => `${p.id}:${p.reason.kind}`)).toEqual(['t/base:dependency', 't/first:include', 't/second:import'])
    await tg.close()
  })

  it('a pre resolveDependencies that answers for one included trait (none) and passes on the others', async () => {
    const seen: string[] = []
    const noDependencies: TraitgenPlugin = {
      name: 'no-dependencies',
      enforce: 'pre',
      resolveDependencies(resolution) {
        seen.push(resolution.trait.id)
        return resolution.trait.id === 't/first' ? [] : undefined
      },
    }
    const root = project({
      ...files,
      'content/traits/t/third.md': traitFile('dependencies: [base]', 'Third text.\n'),
      'content/agents/other.md': agentFile('', '# Other\n\n<!-- @include t/first -->\n\n<!-- @include t/third -->\n'),
    })
    const tg = createTraitgen({ root, config: { plugins: [noDependencies] } })
    // t/first's dependency is left out by the plugin; t/third's is placed by the built-in step.
    expect((await tg.processTraitImports('other')).map((p) => p.id)).toEqual(['t/first', 't/base', 't/third'])
    expect(seen).toEqual(['t/first', 't/third'])
    expect(await tg.renderAgent('other')).toContain('# Other\n\nFirst text.\n\nBase text.\n\nThird text.\n')
    await tg.close()
  })

  it('a warning reported by checkPlacements does not fail the agent', async () => {
    const count: TraitgenPlugin = {
      name: 'count',
      checkPlacements(placements, context) {
        const agent = context.agent
        if (agent) context.report(createMessage('warning', 'PLUGIN_MESSAGE', `${placements.length} traits placed`, agent.doc.file.path))
      },
    }
    const { result } = await build(files, { plugins: [count] })
    expect(result.ok).toBe(true)
    expect(result.messages.map((m) => `${m.file} ${m.severity} ${m.message}`)).toEqual(['content/agents/other.md warning 3 traits placed', 'content/agents/solo.md warning 3 traits placed'])
    expect(result.agents.built).toEqual(['other', 'solo'])
  })
})

describe('the hooks of a plugin list', () => {
  it('with no plugin: no placements, the body as the layout, no edits; the same list gives the same hooks', () => {
    const plugins: TraitgenPlugin[] = []
    const hooks = composeHooks(plugins)
    expect(composeHooks(plugins)).toBe(hooks)
    expect(composeHooks([])).not.toBe(hooks)
    const context = {} as ComposeContext
    const body: Piece[] = [{ kind: 'text', text: 'body', headingDepth: undefined }]
    expect(hooks.resolveImports(undefined, [{ group: 'g', refs: [{ raw: 'x', place: { line: 1, column: 1 } }] }], context)).toEqual([])
    expect(hooks.splice({ agent: {} as Agent, body, groups: [], template: undefined }, context)).toBe(body)
    expect(hooks.blockEdits({} as BlockPiece, () => {}, () => {})).toEqual([])
  })
})

describe('expand, as a plugin calls it', () => {
  it('a range past the end of the file expands the blocks there are', async () => {
    const relayout: TraitgenPlugin = {
      name: 'relayout',
      enforce: 'pre',
      splice({ agent }, context) {
        // The agent's body again, asked for with a generous range, and its groups left out.
        return context.expand(agent.doc, 0, agent.doc.blocks.length + 10, undefined, [])
      },
    }
    const { root, result } = await build(
      { 'content/traits/t/x.md': traitFile('', 'Trait.\n'), 'content/agents/a.md': agentFile('imports:\n  t: [x]', '# A\n\nOwn text.\n') },
      { plugins: [relayout] },
    )
    expect(result.ok).toBe(true)
    expect(readProjectFile(root, 'output/agents/a.md')).toBe('---\nname: a\ndescription: Test agent\n---\n\n# A\n\nOwn text.\n')
  })
})
