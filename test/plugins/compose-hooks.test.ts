// Composition hooks (spec §9): the built-in steps are plugins of these hooks, and a user's plugin is their peer.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentFile, readProjectFile, repoRoot, runCli, runJson, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

const content = {
  'content/traits/safety/careful.md': traitFile('description: Be careful.\nvariables:\n  team: core', '## Care\n\nCheck *twice*, {{ team }} team.\n\n<!-- @snippet motto -->\n'),
  'content/traits/testing/tdd.md': traitFile('description: Tests first.', '## Tests\n\nWrite the test first.\n'),
  'content/agents/reviewer.md': agentFile(
    'name: reviewer\nimports:\n  safety: [careful]\n  testing: [tdd]',
    '# Reviewer\n\nReview code on TODAY.\n\n<!-- @include testing/tdd -->\n\n## Safety\n',
  ),
  'content/agents/writer.md': agentFile('name: writer', '# Writer\n\nWrite docs on TODAY.\n'),
}

/** The agents whose output a build wrote. */
const writtenAgents = (json: { outputs: Array<{ agent: string; status: string }> }) => json.outputs.filter((o) => o.status === 'written').map((o) => o.agent)

const config = (plugins: string) => `import { defineConfig, type TraitgenPlugin } from 'traitgen'
${plugins}
`

describe('a user plugin beside the built-in steps', () => {
  it('a pre expandBlock plugin expands its own comments, and the built-in includes, interpolation and splicing still run', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`const mottos: Record<string, string> = { motto: '> Measure twice, cut once.' }
const snippets: TraitgenPlugin = {
  name: 'snippets',
  enforce: 'pre',
  expandBlock(block) {
    const text = block.doc.file.text.slice(block.doc.blocks[block.index]?.position?.start.offset, block.doc.blocks[block.index]?.position?.end.offset)
    const match = /^<!-- @snippet (\\S+) -->$/.exec(text)
    if (!match) return undefined
    return [{ kind: 'text', text: mottos[match[1] as string] ?? '', headingDepth: undefined }]
  },
}
export default defineConfig({ plugins: [snippets] })`),
    })
    const run = runCli(['build'], root)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const out = readProjectFile(root, 'output/agents/reviewer.md')
    expect(out).toContain('> Measure twice, cut once.\n')
    expect(out).not.toContain('@snippet')
    // The built-ins: the include expanded (not placed again by the import), the placeholder filled, the group spliced.
    expect(out).toContain('Review code on TODAY.\n\n## Tests\n\nWrite the test first.\n')
    expect(out.match(/Write the test first\./g)).toHaveLength(1)
    expect(out).toContain('## Safety\n\n### Care\n\nCheck *twice*, core team.\n')
  })

  it("blockEdits from a user plugin apply beside interpolation's, in agents and traits", () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`const today: TraitgenPlugin = {
  name: 'today',
  blockEdits(block) {
    const { text } = block.doc.file
    const position = block.doc.blocks[block.index]?.position
    const edits = []
    for (let at = text.indexOf('TODAY', position?.start.offset); at !== -1 && at < (position?.end.offset ?? 0); at = text.indexOf('TODAY', at + 1)) {
      edits.push({ start: at, end: at + 5, text: '2026-11-30' })
    }
    return edits
  },
}
export default defineConfig({ plugins: [today] })`),
    })
    expect(runCli(['build'], root).status).toBe(0)
    expect(readProjectFile(root, 'output/agents/writer.md')).toContain('Write docs on 2026-11-30.\n')
    const reviewer = readProjectFile(root, 'output/agents/reviewer.md')
    expect(reviewer).toContain('Review code on 2026-11-30.\n')
    expect(reviewer).toContain('Check *twice*, core team.\n')
  })

  it('checkPlacements sees every placement with its reason and reports at the import', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`import { createMessage } from 'traitgen'
const budget: TraitgenPlugin = {
  name: 'budget',
  checkPlacements(placements, context) {
    const reasons = placements.map((p) => p.resolution.trait.id + ':' + p.reason.kind).join(', ')
    const imported = placements.filter((p) => p.reason.kind === 'import')
    if (imported.length > 0 && placements.length > 1) {
      const last = imported[imported.length - 1]!
      context.report(createMessage('error', 'PLUGIN_MESSAGE', 'too many traits (' + reasons + '); keep one', last.file, last.place))
    }
  },
}
export default defineConfig({ plugins: [budget] })`),
    })
    const result = runJson(['build', '--json'], root)
    expect(result.status).toBe(1)
    const message = result.json.messages.find((m: { code: string }) => m.code === 'PLUGIN_MESSAGE')
    expect(message).toMatchObject({ file: 'content/agents/reviewer.md', line: 5, column: 12 })
    expect(message?.message).toContain('testing/tdd:include, safety/careful:import')
    // The agent with one trait or none builds; the failed one has no output.
    expect(writtenAgents(result.json)).toEqual(['writer'])
  })

  it('a composition hook that throws is PLUGIN_ERROR naming the plugin and the agent; the other agents build', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`const broken: TraitgenPlugin = {
  name: 'broken-splice',
  enforce: 'pre',
  splice({ agent }) {
    if (agent.id === 'reviewer') throw new Error('no layout for reviewers')
    return undefined
  },
}
export default defineConfig({ plugins: [broken] })`),
    })
    const result = runJson(['build', '--json'], root)
    expect(result.status).toBe(1)
    const error = result.json.messages.find((m: { code: string }) => m.code === 'PLUGIN_ERROR')
    expect(error).toMatchObject({ file: 'content/agents/reviewer.md', line: 1, column: 1 })
    expect(error?.message).toContain('plugin "broken-splice" failed on content/agents/reviewer.md: no layout for reviewers')
    expect(writtenAgents(result.json)).toEqual(['writer'])
    expect(readProjectFile(root, 'output/agents/writer.md')).toContain('Write docs on TODAY.\n')
  })

  it('a blockEdits hook that throws is PLUGIN_ERROR at the block it failed on', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`export default defineConfig({ plugins: [{ name: 'picky', blockEdits(block) { if (block.doc.file.path.endsWith('writer.md')) throw new Error('cannot edit'); return undefined } }] })`),
    })
    const result = runJson(['build', '--json'], root)
    expect(result.status).toBe(1)
    const error = result.json.messages.find((m: { code: string }) => m.code === 'PLUGIN_ERROR')
    expect(error).toMatchObject({ file: 'content/agents/writer.md', line: 6 })
    expect(error?.message).toContain('plugin "picky" failed')
    expect(writtenAgents(result.json)).toEqual(['reviewer'])
  })

  it('enforce other than pre or post, or a hook that is not a function, exits 2 quoting it', () => {
    const bad = project({ ...content, 'traitgen.config.ts': config(`export default defineConfig({ plugins: [{ name: 'x', enforce: 'first' } as never] })`) })
    const run = runCli(['build'], bad)
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("plugins[0].enforce: expected 'pre' or 'post', not `\"first\"`")
    const notFunction = project({ ...content, 'traitgen.config.ts': config(`export default defineConfig({ plugins: [{ name: 'y', expandBlock: 42 } as never] })`) })
    const second = runCli(['build'], notFunction)
    expect(second.status).toBe(2)
    expect(second.stderr).toContain('plugins[0].expandBlock: expected a function, not `42`')
  })
})

describe('the built-in plugins', () => {
  it('import only the public API (src/index.ts), their own private modules and packages', () => {
    const folder = path.join(repoRoot, 'plugins')
    const files = readdirSync(folder).filter((f) => f.endsWith('.ts'))
    expect(files).toEqual(expect.arrayContaining(['imports.ts', 'includes.ts', 'splice.ts', 'interpolate.ts', 'limits.ts', 'claude.ts', 'docs.ts']))
    for (const file of files) {
      const text = readFileSync(path.join(folder, file), 'utf8')
      for (const [, specifier] of text.matchAll(/from '([^']+)'/g)) {
        const ok = specifier === '../src/index.js' || /^\.\/[\w-]+\.js$/.test(specifier as string) || !(specifier as string).startsWith('.')
        expect(ok, `${file} imports ${specifier}`).toBe(true)
      }
    }
  })
})
