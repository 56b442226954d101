// Builds (spec §6, §13) in process: targets chosen per build, the build cache's invalidation by each kind of
// input, library pages kept or remade, hooks and budgets without a config file, and an agent that breaks traitgen.
import { rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTraitgen, TraitConfigError, type BuildOptions, type TargetDefinition, type TraitgenOptions, type TraitgenPlugin, type UserConfig } from '../../src/index.js'
import { agentFile, readProjectFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

/** A project and a function that builds it with a fresh library instance each time (as separate runs would). */
function builder(files: Record<string, string>, config: UserConfig = {}, extra: Omit<TraitgenOptions, 'root' | 'config'> = {}) {
  const root = project(files)
  const build = async (options: BuildOptions = {}) => {
    const tg = createTraitgen({ root, config, ...extra })
    try {
      return await tg.build(options)
    } finally {
      await tg.close()
    }
  }
  return { root, build }
}

/** `path: status` of each output. */
const statuses = (result: { outputs: ReadonlyArray<{ path: string; status: string }> }) => Object.fromEntries(result.outputs.map((o) => [o.path, o.status]))
const codes = (result: { messages: ReadonlyArray<{ file: string; line: number; column: number; code: string }> }) => result.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code}`)

describe('targets chosen per build', () => {
  it('a build of one target, then of all, then of one again: each writes only what it must', async () => {
    const { build } = builder({ 'content/agents/a.md': agentFile('', 'Text.\n') }, { targets: ['claude', 'opencode'] })
    expect(statuses(await build({ targets: ['claude'] }))).toEqual({ 'output/agents/a.md': 'written' })
    // The cache knows the agent was built for claude only: it is built again for both.
    const all = await build()
    expect(statuses(all)).toEqual({ 'output/agents/a.md': 'unchanged', 'output/opencode/a.md': 'written' })
    expect(all.stats.agents.upToDate).toBe(0)
    // Now it is current for claude, whose outputs are kept; the opencode file is left alone.
    const again = await build({ targets: ['claude'] })
    expect(again.stats.agents.upToDate).toBe(1)
    expect(statuses(again)).toEqual({ 'output/agents/a.md': 'unchanged' })
  })

  it('a target the config does not name is a config error listing the targets', async () => {
    const { build } = builder({ 'content/agents/a.md': agentFile('') })
    const error = await build({ targets: ['gemini'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TraitConfigError)
    expect((error as TraitConfigError).code).toBe('UNKNOWN_TARGET')
    expect((error as Error).message).toBe('--target gemini: no such target in the config; targets: claude')
  })

  it("an agent's targets entry that is not configured is INVALID_FRONTMATTER at the key", async () => {
    const { build } = builder({ 'content/agents/a.md': agentFile('targets: [claude, codex]') })
    const result = await build()
    expect(codes(result)).toEqual(['content/agents/a.md:3:1 INVALID_FRONTMATTER'])
    expect(result.messages[0]?.message).toBe('targets: "codex" is not a configured target; configured: claude')
  })

  it('naming an agent in a project without agents is AGENT_NOT_FOUND saying there are none', async () => {
    const { build } = builder({ 'content/traits/t/x.md': traitFile('') })
    const result = await build({ agents: ['reviewer'] })
    expect(codes(result)).toEqual(['content/agents:1:1 AGENT_NOT_FOUND'])
    expect(result.messages[0]?.message).toBe('no agent "reviewer" in content/agents; agents: (none)')
  })
})

describe('the build cache', () => {
  const files = {
    'content/traits/t/short.md': traitFile('', 'By short name.\n'),
    'content/traits/t/full.md': traitFile('', 'By id.\n'),
    'content/templates/house.md': '# House\n\n<!-- @body -->\n',
    'content/agents/by-name.md': agentFile('imports:\n  other: [short]'),
    'content/agents/by-id.md': agentFile('imports:\n  t: [t/full]'),
    'content/agents/templated.md': agentFile('template: house'),
  }

  it('an agent is rebuilt when a trait it found by short name, a trait it named by id, or its template is deleted', async () => {
    const { root, build } = builder(files)
    expect((await build()).ok).toBe(true)
    for (const file of ['content/traits/t/short.md', 'content/traits/t/full.md', 'content/templates/house.md']) rmSync(path.join(root, file))
    const result = await build()
    expect(result.stats.agents.upToDate).toBe(0)
    expect(codes(result)).toEqual(['content/agents/by-id.md:4:7 TRAIT_NOT_FOUND', 'content/agents/by-name.md:4:11 TRAIT_NOT_FOUND', 'content/agents/templated.md:3:11 TEMPLATE_NOT_FOUND'])
  })

  it('an output whose mtime changed but whose content did not is still current, and is not rewritten', async () => {
    const { root, build } = builder(files)
    await build()
    const output = path.join(root, 'output/agents/by-id.md')
    utimesSync(output, new Date(2020, 0, 1), new Date(2020, 0, 1))
    const result = await build()
    expect(result.stats.agents.upToDate).toBe(3)
    expect(statSync(output).mtime.getFullYear()).toBe(2020)
  })
})

describe('library pages', () => {
  it('are kept when nothing they show changed, and written again when one was deleted', async () => {
    const { root, build } = builder({ 'content/traits/t/x.md': traitFile('description: X.'), 'content/agents/a.md': agentFile('imports:\n  t: [x]') }, { targets: ['docs'] })
    expect(statuses(await build())['output/docs/index.md']).toBe('written')
    expect(statuses(await build())['output/docs/index.md']).toBe('unchanged')
    const index = readProjectFile(root, 'output/docs/index.md')
    rmSync(path.join(root, 'output/docs/index.md'))
    expect(statuses(await build())['output/docs/index.md']).toBe('written')
    expect(readProjectFile(root, 'output/docs/index.md')).toBe(index)
  })

  it('an empty page gets an empty source map', async () => {
    const emptyPage: TargetDefinition = { name: 'pages', renderAgent: () => [], renderLibrary: ({ dir }) => [{ path: `${dir}/empty.md`, text: '', sourceMap: undefined }] }
    const { root, build } = builder({ 'content/agents/a.md': agentFile('') }, { targets: ['pages'], plugins: [{ name: 'pages', targets: [emptyPage] }] })
    expect(statuses(await build())).toEqual({ 'output/pages/empty.md': 'written' })
    expect(readProjectFile(root, 'output/pages/empty.md')).toBe('')
    expect(JSON.parse(readProjectFile(root, 'output/.traitgen/sourcemap.json'))['output/pages/empty.md']).toEqual({ sources: [], runs: [] })
  })
})

describe('without a config file', () => {
  it('a build hook that throws is PLUGIN_ERROR at traitgen.config; the agents still build', async () => {
    const failing: TraitgenPlugin = {
      name: 'announcer',
      buildStart() {
        throw new Error('cannot announce')
      },
    }
    const { build } = builder({ 'content/agents/a.md': agentFile('') }, { plugins: [failing] })
    const result = await build()
    expect(codes(result)).toEqual(['traitgen.config:1:1 PLUGIN_ERROR'])
    expect(result.messages[0]?.message).toBe('plugin "announcer" failed on traitgen.config: cannot announce; fix the plugin, or remove it from the config\'s plugins')
    expect(result.agents.built).toEqual(['a'])
  })

  it('the cache hit rate counts files parsed earlier in the same process, as a watch session has them', async () => {
    const root = project({
      'content/traits/t/one.md': 'One.\n',
      'content/traits/t/two.md': 'Two.\n',
      'content/traits/t/three.md': 'Three.\n',
      'content/agents/a.md': agentFile('imports:\n  t: [one, two, three]', 'A.\n'),
    })
    const traitgen = createTraitgen({ root })
    expect((await traitgen.build()).stats.cacheHitRate).toBe(0)
    writeFileSync(path.join(root, 'content/traits/t/two.md'), 'Two, edited.\n')
    // Four files looked at, one of them changed: the other three are hits, parsed by the first build.
    const second = await traitgen.build({ budgets: true, cacheBudget: true })
    expect(second.stats.cacheHitRate).toBe(0.75)
    expect(second.stats.budgets.find((b) => b.name === 'minCacheHitRate')).toMatchObject({ value: 0.75, met: false })
  })

  it('budgets, with the cache hit rate, are reported; a missed one is an error when strict', async () => {
    const { build } = builder({ 'content/agents/a.md': agentFile('') }, { performance: { maxMemoryMb: 1 } }, { strict: true })
    const result = await build({ budgets: true, cacheBudget: true })
    expect(result.stats.budgets.map((b) => [b.name, b.met])).toEqual([
      ['maxLoadTimeMs', true],
      ['maxResolveTimeMs', true],
      ['maxMemoryMb', false],
      ['minCacheHitRate', result.stats.cacheHitRate >= 0.95],
    ])
    const budget = result.messages.find((m) => m.message.startsWith('performance.maxMemoryMb missed'))
    expect(budget).toMatchObject({ severity: 'error', code: 'PERFORMANCE_BUDGET', file: 'traitgen.config', line: 1, column: 1 })
    expect(result.ok).toBe(false)
  })
})

describe('an agent that breaks traitgen', () => {
  it('is INTERNAL_ERROR at its file, and the other agents build', async () => {
    // A target that returns a file without text: committing it fails inside traitgen.
    const broken: TargetDefinition = {
      name: 'broken',
      renderAgent: ({ dir, composed }) => (composed.agent.id === 'bad' ? [{ path: `${dir}/bad.md`, text: undefined as unknown as string, sourceMap: undefined }] : [{ path: `${dir}/${composed.agent.id}.md`, text: 'ok\n', sourceMap: undefined }]),
    }
    const { build } = builder({ 'content/agents/bad.md': agentFile(''), 'content/agents/good.md': agentFile('') }, { targets: ['broken'], plugins: [{ name: 'broken', targets: [broken] }] })
    const result = await build()
    expect(codes(result)).toEqual(['content/agents/bad.md:1:1 INTERNAL_ERROR'])
    expect(result.messages[0]?.message).toMatch(/^traitgen failed on this agent \(.+\); please report it$/)
    expect(result.agents).toEqual({ built: ['good'], failed: ['bad'] })
  })
})
