// traitgen watch as authors use it: a child process over real files on disk (spec §11).
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { agentFile, listFiles, readProjectFile, temporaryProjects, traitFile, writeFiles } from './support/project.js'
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
  'content/agents/c.md': agentFile('imports:\n  tools: [git]', 'Agent C.\n'),
}
const mtime = (root: string, rel: string) => statSync(path.join(root, rel)).mtimeMs

describe('traitgen watch', () => {
  it('builds, says watching, and rebuilds only the agents a trait edit touches', async () => {
    const root = project(library)
    const w = watch(root)
    const first = await w.waitFor((e) => e.event === 'build')
    expect(first.outputs.map((o) => o.status)).toEqual(['written', 'written', 'written'])
    await w.ready()
    const bBefore = mtime(root, 'output/agents/b.md')
    writeFiles(root, { 'content/traits/safety/careful.md': traitFile('version: 1.0.1', 'Be very careful.\n') })
    const rebuild = await w.nextRebuild()
    expect(rebuild.changed).toEqual(['content/traits/safety/careful.md'])
    expect(rebuild.rebuilt).toEqual(['a'])
    expect(rebuild.total).toBe(3)
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Be very careful.')
    expect(mtime(root, 'output/agents/b.md')).toBe(bBefore)
  })

  it('turns a burst of saves into one rebuild, and never watches its own output', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    const before = w.events.length
    for (let i = 0; i < 30; i++) writeFiles(root, { 'content/traits/tools/git.md': traitFile('', `Use git, take ${i}.\n`) })
    const rebuild = await w.nextRebuild()
    expect(rebuild.rebuilt).toEqual(['b', 'c'])
    await sleep(1500)
    expect(w.events.slice(before).filter((e) => e.event === 'rebuild')).toHaveLength(1)
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use git, take 29.')
  })

  it('reports a broken file with its place, keeps the last good output, and recovers', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    const good = readProjectFile(root, 'output/agents/a.md')
    writeFiles(root, { 'content/traits/safety/careful.md': '---\nversion: [unclosed\n---\n\nBroken.\n' })
    const broken = await w.nextRebuild()
    expect(broken.ok).toBe(false)
    expect(broken.messages.map((m) => [m.code, m.file, m.line])).toEqual([['YAML_SYNTAX', 'content/traits/safety/careful.md', 3]])
    expect(readProjectFile(root, 'output/agents/a.md')).toBe(good)
    writeFiles(root, { 'content/traits/safety/careful.md': traitFile('version: 1.0.2', 'Careful again.\n') })
    const fixed = await w.nextRebuild()
    expect(fixed.ok).toBe(true)
    expect(fixed.recovered).toEqual(['a'])
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Careful again.')
  })

  it('sees atomic saves (temp file renamed over), deletions, and new files in new folders', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    writeFileSync(path.join(root, 'content/traits/tools/.git.md.swp'), traitFile('', 'Use git (atomic).\n'))
    renameSync(path.join(root, 'content/traits/tools/.git.md.swp'), path.join(root, 'content/traits/tools/git.md'))
    await w.nextRebuild((e) => e.rebuilt.includes('b'))
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Use git (atomic).')

    rmSync(path.join(root, 'content/agents/c.md'))
    const deletion = await w.nextRebuild()
    expect(deletion.outputs).toContainEqual(expect.objectContaining({ path: 'output/agents/c.md', status: 'deleted' }))
    expect(listFiles(root, 'output/agents')).toEqual(['output/agents/a.md', 'output/agents/b.md'])

    writeFiles(root, { 'content/agents/team/d.md': agentFile('imports:\n  review: [checklist]', 'Agent D.\n') })
    const missing = await w.nextRebuild()
    expect(missing.messages.map((m) => m.code)).toEqual(['TRAIT_NOT_FOUND'])
    writeFiles(root, { 'content/traits/review/checklist.md': 'Check everything.\n' })
    const added = await w.nextRebuild((e) => e.rebuilt.includes('team/d'))
    expect(added.recovered).toEqual(['team/d'])
    expect(readProjectFile(root, 'output/agents/team/d.md')).toContain('Check everything.')
  })

  it('reloads a changed config, keeps the old one when the new one is broken', async () => {
    const root = project({ ...library, 'content/traits/tools/git.md': traitFile('', 'Use {{ vcs }}.\n'), 'traitgen.config.mjs': "export default { variables: { vcs: 'git' } }\n" })
    const w = watch(root)
    await w.ready()
    writeFiles(root, { 'traitgen.config.mjs': "export default { variables: { vcs: 'jj' } }\n" })
    const reload = await w.nextRebuild()
    expect(reload.rebuilt).toEqual(['a', 'b', 'c'])
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use jj.')
    writeFiles(root, { 'traitgen.config.mjs': 'export default { variables: { vcs: \n' })
    const error = await w.waitFor((e) => e.event === 'config-error', w.events.length)
    expect(error.error).toMatch(/could not load traitgen\.config\.mjs/)
    writeFiles(root, { 'content/agents/b.md': agentFile('imports:\n  tools: [git]', 'Agent B, edited.\n') })
    await w.nextRebuild((e) => e.rebuilt.includes('b'))
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Use jj.')
  })

  it('sees a change made while a rebuild runs, and runs builds one at a time', async () => {
    const big = `${'A paragraph of filler text for a slower build. '.repeat(40)}\n\n`.repeat(200)
    const root = project({ ...library, 'content/traits/tools/big.md': big, 'content/agents/b.md': agentFile('imports:\n  tools: [git, big]', 'Agent B.\n') })
    const w = watch(root)
    await w.ready()
    const before = w.events.length
    writeFiles(root, { 'content/traits/tools/big.md': `${big}First edit.\n` })
    await sleep(150)
    writeFiles(root, { 'content/traits/safety/careful.md': traitFile('', 'Second edit, during the rebuild.\n') })
    await w.waitFor((e) => e.event === 'rebuild' && e.changed.includes('content/traits/safety/careful.md'), before)
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Second edit, during the rebuild.')
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('First edit.')
    expect(w.events.slice(before).filter((e) => e.event === 'rebuild').length).toBeLessThanOrEqual(2)
  })

  it('survives a folder removed and recreated (a git checkout)', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    const good = readProjectFile(root, 'output/agents/b.md')
    rmSync(path.join(root, 'content/traits/tools'), { recursive: true })
    const gone = await w.nextRebuild((e) => e.messages.some((m) => m.code === 'TRAIT_NOT_FOUND'))
    expect(gone.messages.filter((m) => m.code === 'TRAIT_NOT_FOUND').map((m) => m.file)).toEqual(['content/agents/b.md', 'content/agents/c.md'])
    expect(readProjectFile(root, 'output/agents/b.md')).toBe(good)
    writeFiles(root, { 'content/traits/tools/git.md': traitFile('', 'Use git, restored.\n') })
    const back = await w.nextRebuild((e) => e.recovered.length > 0)
    expect(back.recovered).toEqual(['b', 'c'])
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Use git, restored.')
  })

  it('reloads when a file the config imports changes', async () => {
    const root = project({
      ...library,
      'content/traits/tools/git.md': traitFile('', 'Use {{ vcs }}.\n'),
      'traitgen.config.mjs': "import { shared } from './config/shared.mjs'\nexport default { variables: shared }\n",
      'config/shared.mjs': "export const shared = { vcs: 'git' }\n",
    })
    const w = watch(root)
    await w.ready()
    writeFiles(root, { 'config/shared.mjs': "export const shared = { vcs: 'hg' }\n" })
    const reload = await w.nextRebuild()
    expect(reload.changed).toEqual(['config/shared.mjs'])
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Use hg.')
  })

  it('exits 0 on Ctrl-C and leaves no temporary files', async () => {
    const root = project(library)
    const w = watch(root)
    await w.ready()
    writeFiles(root, { 'content/traits/tools/git.md': traitFile('', 'Use git, last time.\n') })
    await w.nextRebuild()
    expect(await w.stop()).toBe(0)
    expect(listFiles(root).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})
