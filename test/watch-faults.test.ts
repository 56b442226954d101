// Watch faults (spec §11): folders deleted under it, link loops, event storms, broken configs. Real `traitgen watch` processes.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { agentFile, listFiles, readProjectFile, runCli, temporaryProjects, traitFile, writeFiles } from './support/project.js'
import { sleep, WatchProcess } from './support/watch.js'

const project = temporaryProjects()
const running: WatchProcess[] = []
afterEach(async () => {
  for (const w of running.splice(0)) await w.stop()
})

function watch(root: string, args: string[] = []): WatchProcess {
  const w = new WatchProcess(root, args)
  running.push(w)
  return w
}

const library = {
  'content/traits/safety/careful.md': traitFile('version: 1.0.0', 'Be careful.\n'),
  'content/traits/tools/git.md': traitFile('', 'Use git.\n'),
  'content/agents/a.md': agentFile('imports:\n  safety: [careful]', 'Agent A.\n'),
  'content/agents/b.md': agentFile('imports:\n  tools: [git]', 'Agent B.\n'),
}

describe('traitgen watch under faults', () => {
  it('the content folder deleted: reported, outputs kept, no crash; rebuilt once it is back, and later edits are seen', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    const good = readProjectFile(root, 'output/agents/a.md')
    const from = w.events.length
    rmSync(path.join(root, 'content'), { recursive: true })
    const gone = await w.waitFor((e) => e.event === 'watch-error', from)
    expect(gone.error).toBe('content was deleted or moved; the outputs are kept as they are; waiting for it to come back (Ctrl-C to stop)')
    await sleep(1000)
    expect(w.events.slice(from).filter((e) => e.event === 'rebuild')).toEqual([])
    expect(listFiles(root, 'output/agents')).toEqual(['output/agents/a.md', 'output/agents/b.md'])
    expect(readProjectFile(root, 'output/agents/a.md')).toBe(good)

    writeFiles(root, { ...library, 'content/traits/safety/careful.md': traitFile('version: 1.0.1', 'Be careful, restored.\n') })
    const back = await w.waitFor((e) => e.event === 'rebuild', from)
    expect(back.ok).toBe(true)
    expect(back.rebuilt).toEqual(['a', 'b'])
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Be careful, restored.')
    // The folders are watched afresh.
    writeFiles(root, { 'content/traits/tools/git.md': traitFile('', 'Use git, after the return.\n') })
    await w.nextRebuild((e) => e.rebuilt.includes('b'))
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use git, after the return.')
    expect(await w.stop()).toBe(0)
  })

  it('the whole project deleted: reported, no crash, Ctrl-C exits 0; a project put back is built', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    const from = w.events.length
    rmSync(root, { recursive: true })
    const gone = await w.waitFor((e) => e.event === 'watch-error', from)
    expect(gone.error).toBe('content was deleted or moved; the outputs are kept as they are; waiting for it to come back (Ctrl-C to stop)')
    writeFiles(root, library)
    await w.waitFor((e) => e.event === 'rebuild' && e.ok, from)
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Be careful.')
    expect(await w.stop()).toBe(0)
    expect(w.stderr).toBe('')
  })

  it('a symbolic-link loop under the traits folder: no hang, no crash, edits still rebuild', async () => {
    const root = project(library)
    symlinkSync('.', path.join(root, 'content/traits/tools/self'))
    const w = watch(root)
    await w.ready()
    expect(w.events.find((e) => e.event === 'build')?.ok).toBe(true)
    // A loop of two links made while watching.
    mkdirSync(path.join(root, 'content/traits/loops'))
    symlinkSync('b', path.join(root, 'content/traits/loops/a'))
    symlinkSync('a', path.join(root, 'content/traits/loops/b'))
    symlinkSync('../..', path.join(root, 'content/traits/loops/up'))
    await sleep(500)
    writeFiles(root, { 'content/traits/tools/git.md': traitFile('', 'Use git, loops around.\n') })
    const rebuild = await w.nextRebuild((e) => e.rebuilt.includes('b'))
    expect(rebuild.messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use git, loops around.')
    expect(await w.stop()).toBe(0)
    // And a plain build of the same tree finishes.
    const build = runCli(['build'], root)
    expect(build.status).toBe(0)
  })

  it('500 file events in a burst: one rebuild (two at most, if the OS delivers them in two batches), bounded memory', async () => {
    const bulk = (take: string) => {
      const files: Record<string, string> = {}
      for (let i = 0; i < 500; i++) files[`content/traits/bulk/t${String(i).padStart(3, '0')}.md`] = traitFile('', `Bulk trait ${i}, ${take}.\n`)
      return files
    }
    const root = project({ ...library, ...bulk('first'), 'content/agents/c.md': agentFile('imports:\n  bulk: [t000, t499]', 'Agent C.\n') })
    const w = watch(root)
    await w.ready()
    const from = w.events.length
    writeFiles(root, bulk('second')) // 500 change events
    writeFiles(root, { 'content/traits/bulk/new.md': 'A new trait.\n' }) // and an add
    const rebuild = await w.nextRebuild((e) => e.rebuilt.includes('c'))
    await sleep(2000)
    const rebuilds = w.events.slice(from).filter((e) => e.event === 'rebuild')
    expect(rebuilds.length).toBeGreaterThanOrEqual(1)
    expect(rebuilds.length).toBeLessThanOrEqual(2)
    expect([...new Set(rebuilds.flatMap((e) => e.rebuilt))]).toEqual(['c'])
    expect(rebuild.ok).toBe(true)
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Bulk trait 0, second.')
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Bulk trait 499, second.')
    const stats = (rebuilds.at(-1) as unknown as { stats: { peakRssMb: number } }).stats
    expect(stats.peakRssMb).toBeLessThan(400)
  })

  it('a config that fails to load keeps the old one (config-error), content edits still build, the next good config is used', async () => {
    const root = project({ ...library, 'content/traits/tools/git.md': traitFile('', 'Use {{ vcs }}.\n'), 'traitgen.config.mjs': "export default { variables: { vcs: 'git' } }\n" })
    const w = watch(root)
    await w.ready()
    // A syntax error, together with a content edit in the same burst.
    let from = w.events.length
    writeFiles(root, { 'traitgen.config.mjs': 'export default { variables: { vcs: \n', 'content/agents/b.md': agentFile('imports:\n  tools: [git]', 'Agent B, edited.\n') })
    const syntax = await w.waitFor((e) => e.event === 'config-error', from)
    expect(syntax.changed).toContain('traitgen.config.mjs')
    await w.waitFor((e) => e.event === 'rebuild' && e.rebuilt.includes('b'), from)
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Agent B, edited.')
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use git.')
    // A config that loads but is invalid.
    from = w.events.length
    writeFiles(root, { 'traitgen.config.mjs': "export default { variables: { vcs: 'hg' }, limits: { lines: { max: 'many' } } }\n" })
    const invalid = await w.waitFor((e) => e.event === 'config-error', from)
    expect(invalid.error).toMatch(/limits\.lines\.max/)
    // A config that throws while loading.
    from = w.events.length
    writeFiles(root, { 'traitgen.config.mjs': "throw new Error('no config today')\n" })
    const thrown = await w.waitFor((e) => e.event === 'config-error', from)
    expect(thrown.error).toMatch(/no config today/)
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use git.')
    // Fixed: picked up, everything rebuilt with it.
    writeFiles(root, { 'traitgen.config.mjs': "export default { variables: { vcs: 'jj' } }\n" })
    const reload = await w.nextRebuild((e) => e.rebuilt.length === 2)
    expect(reload.ok).toBe(true)
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use jj.')
  })

  it('holds the output lock only while it builds: a build next to an idle watch runs at once; Ctrl-C leaves no lock', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    const build = runCli(['build'], root)
    expect(build.status).toBe(0)
    expect(build.stderr).toBe('')
    writeFiles(root, { 'content/traits/tools/git.md': traitFile('', 'Use git, once more.\n') })
    await w.nextRebuild()
    expect(await w.stop()).toBe(0)
    expect(existsSync(path.join(root, 'output/.traitgen/lock'))).toBe(false)
  })
})

describe('traitgen watch next to a stuck build', () => {
  it('a rebuild that cannot get the lock in 10 s says so and keeps waiting; the change is built once the lock is free', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      writeFileSync(path.join(root, 'output/.traitgen/lock'), `${JSON.stringify({ pid: holder.pid, host: hostname(), started: '2025-01-01T00:00:00.000Z' })}\n`)
      const from = w.events.length
      writeFiles(root, { 'content/traits/tools/git.md': traitFile('', 'Use git, when free.\n') })
      const locked = await w.waitFor((e) => e.event === 'watch-error', from, 30_000)
      expect(locked.error).toMatch(/^another traitgen build \(pid \d+ on .+\) is writing to this output folder; waited 10 s\. .*; still waiting$/)
      expect(readProjectFile(root, 'output/agents/b.md')).not.toContain('when free')
    } finally {
      holder.kill('SIGKILL')
    }
    await w.waitFor((e) => e.event === 'rebuild' && e.rebuilt.includes('b'), 0, 30_000)
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use git, when free.')
  }, 60_000)
})
