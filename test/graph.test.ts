// The dependency map and what a change invalidates (incremental rebuilds, spec §11).
import { rmSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBuild, type BuildContext } from '../src/build.js'
import { loadProjectConfig } from '../src/config/load.js'
import { DependencyGraph } from '../src/graph.js'
import { ContentStore } from '../src/store.js'
import { builtinTargets } from '../src/targets/builtin.js'
import { impactOf } from '../src/watch/affected.js'
import { agentFile, temporaryProjects, traitFile, writeFiles } from './support/project.js'

const project = temporaryProjects()

async function contextFor(root: string): Promise<BuildContext> {
  const config = await loadProjectConfig(root)
  return { project: config, store: new ContentStore(config, { strict: false }), graph: new DependencyGraph(), targets: new Map(builtinTargets().map((t) => [t.name, t])), strict: false }
}

describe('DependencyGraph', () => {
  it('records edges, answers dependants, and forgets a node on reset', () => {
    const graph = new DependencyGraph()
    graph.addDependency('a', 'x/t')
    graph.addDependency('b', 'x/t')
    graph.addDependency('b', 'name:u')
    expect(graph.dependantsOf('x/t')).toEqual(['a', 'b'])
    graph.resetNode('b')
    expect(graph.dependantsOf('x/t')).toEqual(['a'])
    expect(graph.dependantsOf('name:u')).toEqual([])
    expect(graph.inputsOf('a')).toEqual(['x/t'])
  })
})

describe('impactOf', () => {
  const files = {
    'content/traits/base/core.md': 'Core.\n',
    'content/traits/base/extra.md': traitFile('dependencies: [core]', 'Extra.\n'),
    'content/traits/other/misc.md': 'Misc.\n',
    'content/agents/uses-extra.md': agentFile('imports:\n  base: [extra]'),
    'content/agents/uses-misc.md': agentFile('imports:\n  other: [misc]'),
    'content/agents/uses-short.md': agentFile('imports:\n  any: [helper]'),
  }

  it('a dependency edit invalidates the agents that reach it through dependencies, and no others', async () => {
    const root = project(files)
    const context = await contextFor(root)
    await runBuild(context)
    writeFiles(root, { 'content/traits/base/core.md': 'Core, edited.\n' })
    expect(impactOf(context)).toEqual({ agents: new Set(['uses-extra']) })
  })

  it('a new trait re-resolves the agents whose short name it may answer; a removed one breaks its dependants', async () => {
    const root = project(files)
    const context = await contextFor(root)
    await runBuild(context)
    writeFiles(root, { 'content/traits/tools/helper.md': 'Helper.\n' })
    expect(impactOf(context).agents).toEqual(new Set(['uses-short']))
    rmSync(path.join(root, 'content/traits/other/misc.md'))
    expect(impactOf(context).agents).toEqual(new Set(['uses-misc']))
  })

  it('an agent edit is that agent; a vanished folder is every trait in it; nothing changed is nothing', async () => {
    const root = project(files)
    const context = await contextFor(root)
    await runBuild(context)
    expect(impactOf(context)).toEqual({ agents: new Set() })
    writeFiles(root, { 'content/agents/uses-misc.md': agentFile('imports:\n  other: [misc]', 'Edited.\n') })
    expect(impactOf(context)).toEqual({ agents: new Set(['uses-misc']) })
    rmSync(path.join(root, 'content/traits/other'), { recursive: true })
    expect(impactOf(context)).toEqual({ agents: new Set(['uses-misc']) })
  })
})

describe('watch errors', () => {
  it('tells how to fix running out of watchers', async () => {
    const { describeWatchError } = await import('../src/watch/watcher.js')
    expect(describeWatchError(Object.assign(new Error('watch'), { code: 'ENOSPC' }))).toMatch(/fs\.inotify\.max_user_watches=524288.*--poll/)
    expect(describeWatchError(Object.assign(new Error('watch'), { code: 'EMFILE' }))).toMatch(/ulimit -n.*--poll/)
  })
})
