// A watch session through the library API (createTraitgen().watch), in-process: defaults, a folder that vanishes and comes back.
import { renameSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTraitgen, type WatchEvent, type WatchHandle } from '../../src/index.js'
import { agentFile, readProjectFile, temporaryProjects, traitFile, writeFiles } from '../support/project.js'
import { sleep } from '../support/watch.js'

const project = temporaryProjects()
const handles: WatchHandle[] = []
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close()
})

/** Events of a session, and a wait for the next one that matches. */
function recorder() {
  const events: WatchEvent[] = []
  return {
    events,
    onEvent: (event: WatchEvent) => events.push(event),
    async next(predicate: (event: WatchEvent) => boolean, from = events.length): Promise<WatchEvent> {
      const deadline = Date.now() + 20_000
      for (;;) {
        const found = events.slice(from).find(predicate)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`timed out; events: ${JSON.stringify(events.map((e) => [e.event, e.changed, e.error]))}`)
        await sleep(25)
      }
    },
  }
}

describe('watch session (library API)', () => {
  it('with default options: builds, rebuilds an edit, pauses while the content folder is gone, and on its return reloads the config and builds all', async () => {
    const root = project({
      'traitgen.config.ts': "export default { variables: { who: 'config' } }\n",
      'content/traits/t/one.md': traitFile('', 'Hello {{ who }}.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [one]', 'Agent A.\n'),
    })
    const tg = createTraitgen({ root })
    const r = recorder()
    const handle = await tg.watch({ onEvent: r.onEvent })
    handles.push(handle)
    expect(r.events.map((e) => e.event).slice(0, 2)).toEqual(['build', 'watching'])
    expect(r.events[0]?.result?.stats.budgets).toEqual([])

    const edit = r.events.length
    writeFiles(root, { 'content/traits/t/one.md': traitFile('', 'Hello again, {{ who }}.\n') })
    const rebuild = await r.next((e) => e.event === 'rebuild', edit)
    expect([rebuild.changed, rebuild.rebuilt]).toEqual([['content/traits/t/one.md'], ['a']])

    const moved = r.events.length
    renameSync(path.join(root, 'content'), path.join(root, 'content-away'))
    const paused = await r.next((e) => e.event === 'watch-error', moved)
    expect([paused.changed, paused.error]).toEqual([['content'], 'content was deleted or moved; the outputs are kept as they are; waiting for it to come back (Ctrl-C to stop)'])
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Hello again, config.')

    writeFiles(root, { 'traitgen.config.ts': "export default { variables: { who: 'the new config' } }\n" })
    const back = r.events.length
    renameSync(path.join(root, 'content-away'), path.join(root, 'content'))
    const resumed = await r.next((e) => e.event === 'rebuild', back)
    expect([resumed.changed, resumed.rebuilt, resumed.result?.ok]).toEqual([['content', 'content/traits', 'content/agents'], ['a'], true])
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Hello again, the new config.')
  })

  it('two folders gone at once are named together; a config broken while they were away is reported on their return, and the old one kept', async () => {
    const root = project({
      'traitgen.config.ts': "export default { traits: 'traits', variables: { who: 'old config' } }\n",
      'traits/t/one.md': traitFile('', 'Hello {{ who }}.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [one]', 'Agent A.\n'),
    })
    const r = recorder()
    handles.push(await createTraitgen({ root }).watch({ onEvent: r.onEvent, settleMs: 40 }))
    await r.next((e) => e.event === 'watching', 0)

    const moved = r.events.length
    renameSync(path.join(root, 'content'), path.join(root, 'content-away'))
    renameSync(path.join(root, 'traits'), path.join(root, 'traits-away'))
    const paused = await r.next((e) => e.event === 'watch-error', moved)
    expect(paused.error).toMatch(/^(content, traits|traits, content) were deleted or moved; the outputs are kept as they are; waiting for them to come back \(Ctrl-C to stop\)$/)

    writeFiles(root, { 'traitgen.config.ts': 'export default { colour: 1 }\n' })
    const back = r.events.length
    renameSync(path.join(root, 'traits-away'), path.join(root, 'traits'))
    renameSync(path.join(root, 'content-away'), path.join(root, 'content'))
    const rejected = await r.next((e) => e.event === 'config-error', back)
    expect([rejected.changed, rejected.error]).toEqual([['traitgen.config.ts'], expect.stringMatching(/^traitgen\.config\.ts: unknown key colour \(colour\); allowed: /)])
    const resumed = await r.next((e) => e.event === 'rebuild', back)
    expect([resumed.rebuilt, resumed.result?.ok]).toEqual([['a'], true])
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Hello old config.')
  })
})
