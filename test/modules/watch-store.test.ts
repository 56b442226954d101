// The file watcher and the content store in-process: bursts, ignored paths, watcher errors; names, known files and trait events.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProjectConfig } from '../../src/config/load.js'
import { ContentStore, type TraitOperation } from '../../src/store.js'
import { describeWatchError, startWatcher } from '../../src/watch/watcher.js'
import { agentFile, temporaryProjects, traitFile } from '../support/project.js'
import { sleep } from '../support/watch.js'

const project = temporaryProjects()

describe('describeWatchError', () => {
  it('says how to fix running out of watchers or permissions, and quotes anything else', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code })
    expect(describeWatchError(errno('ENOSPC'))).toBe(
      'the system ran out of file watchers (ENOSPC); raise the limit (sudo sysctl fs.inotify.max_user_watches=524288, and ulimit -n for EMFILE) or run traitgen watch --poll',
    )
    expect(describeWatchError(errno('EMFILE'))).toMatch(/^the system ran out of file watchers \(EMFILE\)/)
    expect(describeWatchError(errno('EACCES'))).toBe('permission denied while watching (EACCES); check the folder permissions')
    expect(describeWatchError(errno('EPERM'))).toBe('permission denied while watching (EPERM); check the folder permissions')
    expect(describeWatchError(new Error('lost the folder'))).toBe('watching failed: lost the folder')
    expect(describeWatchError('a string')).toBe('watching failed: a string')
    expect(describeWatchError(undefined)).toBe('watching failed: undefined')
  })
})

describe('startWatcher', () => {
  it('turns a series of saves into one burst, sorted, without ignored folders or hidden and underscore names', async () => {
    const root = project({ 'content/traits/t/a.md': 'A\n', 'output/agents/a.md': 'A\n' })
    const bursts: string[][] = []
    const errors: string[] = []
    const watcher = await startWatcher({
      paths: [path.join(root, 'content'), path.join(root, 'output')],
      ignore: [path.join(root, 'output')],
      poll: false,
      onBurst: (paths) => bursts.push(paths),
      onError: (message) => errors.push(message),
    })
    try {
      writeFileSync(path.join(root, 'content/traits/t/b.md'), 'B\n')
      writeFileSync(path.join(root, 'content/traits/t/a.md'), 'A2\n')
      writeFileSync(path.join(root, 'content/traits/t/.a.md.swp'), 'swap\n')
      mkdirSync(path.join(root, 'content/traits/_drafts'))
      writeFileSync(path.join(root, 'content/traits/_drafts/c.md'), 'C\n')
      writeFileSync(path.join(root, 'output/agents/a.md'), 'written by a build\n')
      const deadline = Date.now() + 10_000
      while (bursts.length === 0 && Date.now() < deadline) await sleep(50)
      await sleep(300)
    } finally {
      await watcher.close()
    }
    expect(bursts).toEqual([[path.join(root, 'content/traits/t/a.md'), path.join(root, 'content/traits/t/b.md')]])
    expect(errors).toEqual([])
  })
})

describe('startWatcher close', () => {
  it('drops a burst still settling: no onBurst after close', async () => {
    const root = project({ 'content/a.md': 'A\n' })
    const bursts: string[][] = []
    const watcher = await startWatcher({ paths: [path.join(root, 'content')], ignore: [], poll: false, settleMs: 60_000, onBurst: (paths) => bursts.push(paths), onError: () => {} })
    writeFileSync(path.join(root, 'content/a.md'), 'A2\n')
    writeFileSync(path.join(root, 'content/b.md'), 'B\n')
    await sleep(500)
    await watcher.close()
    await sleep(200)
    expect(bursts).toEqual([])
  })
})

describe('ContentStore', () => {
  async function store(files: Record<string, string>) {
    const root = project(files)
    const s = new ContentStore(await loadProjectConfig(root, { inline: {} }), { strict: false })
    return { root, store: s }
  }

  it('a trait answers to its file name and its `name`; one whose name line is not YAML answers to its file name only', async () => {
    const { store: s } = await store({
      'content/traits/t/long-file-name.md': traitFile('name: short', 'Text.\n'),
      'content/traits/t/plain.md': traitFile('name: plain', 'Text.\n'),
      'content/traits/t/odd.md': traitFile('name: [unclosed', 'Text.\n'),
    })
    s.refresh()
    expect(['t/long-file-name', 't/plain', 't/odd', 't/none'].map((id) => s.shortNames(id))).toEqual([['long-file-name', 'short'], ['plain'], ['odd'], ['none']])
    expect(s.byName('short')).toEqual(['t/long-file-name'])
    // Parsed now: the same answers from the parse.
    expect(s.get('t/long-file-name')?.meta.name).toBe('short')
    expect(s.shortNames('t/long-file-name')).toEqual(['long-file-name', 'short'])
  })

  it('reports a read and a parse event per trait, and the parse fails for a trait with errors', async () => {
    const { store: s } = await store({ 'content/traits/t/good.md': 'Good.\n', 'content/traits/t/bad.md': '---\nversion: [\n---\n\nBad.\n' })
    const events: Array<Omit<TraitOperation, 'durationMs'>> = []
    s.onTraitOperation = ({ durationMs, ...event }) => {
      expect(durationMs).toBeGreaterThanOrEqual(0)
      events.push(event)
    }
    s.refresh()
    s.get('t/good')
    s.get('t/bad')
    expect(events).toEqual([
      { operation: 'read', trait: 't/bad', success: true },
      { operation: 'read', trait: 't/good', success: true },
      { operation: 'parse', trait: 't/good', success: true },
      { operation: 'parse', trait: 't/bad', success: false },
    ])
    expect(s.timings.traitLoads).toHaveLength(2)
  })

  it('uses what an earlier build knew of unchanged files (messages, agent names) without parsing them', async () => {
    const { root, store: s } = await store({ 'content/agents/a.md': agentFile('name: alpha'), 'content/traits/t/x.md': traitFile('name: ex') })
    s.refresh()
    expect(s.knownFiles().size).toBe(0)
    s.agent('a')
    s.get('t/x')
    const known = s.knownFiles()
    expect([...known.keys()].sort()).toEqual(['content/agents/a.md', 'content/traits/t/x.md'])
    expect(known.get('content/agents/a.md')?.name).toBe('alpha')
    // Another store over the same content, told what the first one knew (with other names, to tell them apart): nothing is parsed.
    const copy = new ContentStore(await loadProjectConfig(root, { inline: {} }), { strict: false })
    copy.known = new Map([...known].map(([file, entry]) => [file, { ...entry, name: `${entry.name}-remembered`, messages: [] }]))
    copy.refresh()
    expect(copy.agentName('a')).toBe('alpha-remembered')
    expect(copy.shortNames('t/x')).toEqual(['x', 'ex-remembered'])
    expect(copy.fileMessages()).toEqual([])
    expect(copy.timings.parsed).toBe(0)
    expect(copy.knownFiles().get('content/agents/a.md')?.name).toBe('alpha-remembered')
  })

  it('a template that does not exist has no messages and no value; an agent without a name line is named by its file', async () => {
    const { store: s } = await store({ 'content/agents/team/b.md': agentFile('') })
    s.refresh()
    expect([s.template('house'), s.templateMessages('house')]).toEqual([undefined, []])
    expect(s.agentName('team/b')).toBe('b')
    expect(s.agentName('team/missing')).toBe('missing')
  })
})
