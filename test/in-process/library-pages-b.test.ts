// A target's library-wide pages (renderLibrary) across builds: rendered when what they are made of changes,
// kept as they are (not rendered again) when nothing did.
import { describe, expect, it } from 'vitest'
import type { TraitgenPlugin } from '../../src/index.js'
import { buildAt } from '../support/in-process.js'
import { agentFile, readProjectFile, temporaryProjects, traitFile, writeFiles } from '../support/project.js'

const project = temporaryProjects()

function pagesPlugin(calls: { library: number }): TraitgenPlugin {
  return {
    name: 'pages',
    targets: [
      {
        name: 'pages',
        renderAgent: (ctx) => [{ path: `${ctx.dir}/${ctx.composed.agent.id}.md`, text: `# ${ctx.composed.agent.id}\n`, sourceMap: undefined }],
        renderLibrary: (ctx) => {
          calls.library++
          return [{ path: `${ctx.dir}/index.md`, text: `# Library\n\n${ctx.agents.map((a) => `- ${a.id}`).join('\n')}\n`, sourceMap: undefined }]
        },
      },
    ],
  }
}

describe('library pages', () => {
  it('a second build with nothing changed keeps the index without rendering it; a new agent renders it again', async () => {
    const root = project({ 'content/traits/t/one.md': traitFile('', 'One.\n'), 'content/agents/a.md': agentFile('imports:\n  t: [one]') })
    const calls = { library: 0 }
    const config = { targets: ['pages'], plugins: [pagesPlugin(calls)] }
    const first = await buildAt(root, config)
    expect([first.ok, calls.library]).toEqual([true, 1])
    expect(readProjectFile(root, 'output/pages/index.md')).toBe('# Library\n\n- a\n')
    const second = await buildAt(root, config)
    expect(second.outputs.map((o) => [o.path, o.status])).toEqual([
      ['output/pages/a.md', 'unchanged'],
      ['output/pages/index.md', 'unchanged'],
    ])
    expect(calls.library).toBe(1)
    writeFiles(root, { 'content/agents/b.md': agentFile('') })
    const third = await buildAt(root, config)
    expect(third.outputs.find((o) => o.path === 'output/pages/index.md')?.status).toBe('written')
    expect(calls.library).toBe(2)
    expect(readProjectFile(root, 'output/pages/index.md')).toBe('# Library\n\n- a\n- b\n')
  })
})
