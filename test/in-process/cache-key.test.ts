// The build cache's key sees what plugins are made of even without a config file to read: options a factory
// keeps in a closure (`cacheKey`), `[plugin, options]` entries, and the text of the plugins' functions.
import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import { agentPolicy } from '../../plugins/agent-policy.js'
import type { TraitgenPlugin } from '../../src/index.js'
import { buildAt } from '../support/in-process.js'
import { agentFile, readProjectFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()
const library = {
  'content/traits/t/one.md': traitFile('version: 1.0.0', 'One trait, with some words in it.\n'),
  'content/agents/a.md': agentFile('imports:\n  t: [one]', 'Agent A.\n'),
}

/** A unified plugin that appends a paragraph saying `options.text`. */
function stamp(options: { text: string }) {
  return () => (tree: Root) => {
    tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: options.text }] })
  }
}

describe('build cache key of inline configs', () => {
  it('options kept in a closure (agentPolicy) count: changing them rebuilds and reports anew', async () => {
    const root = project(library)
    const first = await buildAt(root, { plugins: [agentPolicy({ maxTokens: 10_000, warnAt: 0.99 })] })
    expect(first.messages.filter((m) => m.code === 'PLUGIN_MESSAGE')).toEqual([])
    const second = await buildAt(root, { plugins: [agentPolicy({ maxTokens: 10_000, warnAt: 0.0001 })] })
    expect(second.stats.agents.upToDate).toBe(0)
    expect(second.messages.map((m) => m.message).join('\n')).toMatch(/output\/agents\/a\.md has \d+ tokens, 0% of the budget of 10000/)
    // The same options again: up to date.
    const third = await buildAt(root, { plugins: [agentPolicy({ maxTokens: 10_000, warnAt: 0.0001 })] })
    expect(third.stats.agents.upToDate).toBe(1)
  })

  it('the options of a [plugin, options] entry count: the output follows them', async () => {
    const root = project(library)
    const plugin = (text: string): TraitgenPlugin => ({ name: 'stamp', document: [[(options: { text: string }) => stamp(options)(), { text }]] })
    await buildAt(root, { plugins: [plugin('first stamp')] })
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('first stamp')
    const second = await buildAt(root, { plugins: [plugin('second stamp')] })
    expect(second.stats.agents.upToDate).toBe(0)
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('second stamp')
  })

  it('a plugin whose code changed (a new version of a package) rebuilds', async () => {
    const root = project(library)
    await buildAt(root, { plugins: [{ name: 'pkg', document: [() => (tree: Root) => void tree.children.push({ type: 'thematicBreak' })] }] })
    expect(readProjectFile(root, 'output/agents/a.md')).toMatch(/\*\*\*\n$/)
    const second = await buildAt(root, { plugins: [{ name: 'pkg', document: [() => (tree: Root) => void tree.children.push({ type: 'html', value: '<!-- v2 -->' })] }] })
    expect(second.stats.agents.upToDate).toBe(0)
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('<!-- v2 -->')
  })
})
