// Watch mode in-process: which agents a burst touches (an agent deleted in the same burst as its trait's edit,
// a trait that becomes unreadable), and the idle-time parsing that closing a session stops or a rebuild defers.
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DependencyGraph } from '../../src/graph.js'
import { loadProjectConfig } from '../../src/config/load.js'
import { createTraitgen, type TraitgenPlugin, type WatchEvent, type WatchHandle } from '../../src/index.js'
import { ContentStore } from '../../src/store.js'
import { impactOf } from '../../src/watch/affected.js'
import type { BuildContext } from '../../src/build.js'
import { agentFile, temporaryProjects, traitFile, writeFiles } from '../support/project.js'
import { sleep } from '../support/watch.js'

const project = temporaryProjects()
const handles: WatchHandle[] = []
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close()
})

async function contextOf(root: string): Promise<BuildContext> {
  const config = await loadProjectConfig(root)
  const store = new ContentStore(config, { strict: false })
  store.refresh()
  return { project: config, store, graph: new DependencyGraph(), targets: config.targetDefinitions, strict: false }
}

describe('impactOf', () => {
  it('an agent deleted in the same burst as an edit of its trait is not rebuilt; the trait’s other users are', async () => {
    const root = project({
      'content/traits/t/one.md': traitFile('', 'One.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [one]'),
      'content/agents/b.md': agentFile('imports:\n  t: [one]'),
    })
    const context = await contextOf(root)
    for (const agent of ['a', 'b']) context.graph.addDependency(agent, 't/one')
    writeFiles(root, { 'content/traits/t/one.md': traitFile('', 'One, edited.\n') })
    rmSync(path.join(root, 'content/agents/a.md'))
    expect([...impactOf(context).agents]).toEqual(['b'])
  })

  it('a trait that becomes unreadable (invalid UTF-8) still reaches the agents that found it by its `name`', async () => {
    const root = project({
      'content/traits/t/one.md': traitFile('name: uno', 'One.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [uno]'),
      'content/agents/c.md': agentFile(''),
    })
    const context = await contextOf(root)
    expect(context.store.shortNames('t/one')).toEqual(['one', 'uno'])
    context.graph.addDependency('a', 'name:uno')
    writeFileSync(path.join(root, 'content/traits/t/one.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]))
    expect([...impactOf(context).agents]).toEqual(['a'])
    expect(context.store.shortNames('t/one')).toEqual(['one'])
    expect(context.store.byName('uno')).toEqual([])
  })
})

/** Events of a session, and a wait for the next one that matches. */
function recorder() {
  const events: WatchEvent[] = []
  return {
    events,
    onEvent: (event: WatchEvent) => events.push(event),
    async next(predicate: (event: WatchEvent) => boolean, from = 0, timeoutMs = 30_000): Promise<WatchEvent> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = events.slice(from).find(predicate)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`timed out; events: ${JSON.stringify(events.map((e) => [e.event, e.changed, e.error]))}`)
        await sleep(25)
      }
    },
  }
}

describe('idle-time parsing', () => {
  it('an open session says `warm` once every file is parsed; one closed at once never does', async () => {
    const files: Record<string, string> = { 'content/agents/a.md': agentFile('imports:\n  t: [t0]') }
    for (let i = 0; i < 20; i++) files[`content/traits/t/t${i}.md`] = traitFile('', `Trait ${i}.\n`)
    const root = project(files)
    const closed = recorder()
    const handle = await createTraitgen({ root }).watch({ onEvent: closed.onEvent })
    await handle.close()
    const open = recorder()
    handles.push(await createTraitgen({ root }).watch({ onEvent: open.onEvent }))
    const warm = await open.next((e) => e.event === 'warm')
    expect(warm.total).toBe(1)
    expect(closed.events.map((e) => e.event)).toEqual(['build', 'watching'])
  })

  it('after a cached build, an edit made while files are still being parsed in idle time is rebuilt first; `warm` follows', async () => {
    const files: Record<string, string> = { 'content/agents/a.md': agentFile('imports:\n  t: [t0]') }
    for (let i = 0; i < 1500; i++) files[`content/traits/t/t${i}.md`] = traitFile('', `Trait ${i}: ${'text '.repeat(40)}\n\n## More\n\n- a\n- b\n`)
    const root = project(files)
    // A document plugin that takes a while (a timer): the rebuild spans event-loop turns, in which idle-time parsing waits.
    const slow: TraitgenPlugin = { name: 'slow', document: [() => async () => new Promise((resolve) => setTimeout(resolve, 40))] }
    const config = { plugins: [slow] }
    const tg = createTraitgen({ root, config })
    expect((await tg.build()).ok).toBe(true)
    await tg.close()
    const r = recorder()
    handles.push(await createTraitgen({ root, config }).watch({ onEvent: r.onEvent, settleMs: 20 }))
    writeFiles(root, { 'content/agents/a.md': agentFile('imports:\n  t: [t1]') })
    const rebuild = await r.next((e) => e.event === 'rebuild')
    expect([rebuild.changed, rebuild.rebuilt, rebuild.result?.ok]).toEqual([['content/agents/a.md'], ['a'], true])
    await r.next((e) => e.event === 'warm', 0, 60_000)
    expect(r.events.map((e) => e.event)).toEqual(['build', 'watching', 'rebuild', 'warm'])
  }, 120_000)
})
