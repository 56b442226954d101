// The persistent build cache: nothing changed means nothing rebuilt; an edit rebuilds only its agents, and
// parses only the files it changed (the parse cache).
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { version } from '../src/version.js'
import { agentFile, readProjectFile, repoRoot, runCli, runJson, temporaryProjects, traitFile, writeFiles } from './support/project.js'

const project = temporaryProjects()

const library = {
  'content/traits/base/core.md': 'Core.\n',
  'content/traits/base/extra.md': traitFile('dependencies: [core]', 'Extra.\n'),
  'content/traits/other/misc.md': 'Misc.\n',
  'content/agents/a.md': agentFile('imports:\n  base: [extra]', 'A.\n'),
  'content/agents/b.md': agentFile('imports:\n  other: [misc]', 'B.\n'),
  'content/agents/c.md': agentFile('imports:\n  any: [helper]', 'C.\n'),
  'content/traits/x/helper.md': 'Helper.\n',
}

const statuses = (json: { outputs: Array<{ path: string; status: string }> }) => Object.fromEntries(json.outputs.map((o) => [o.path.replace('output/agents/', ''), o.status]))

describe('build cache', () => {
  it('a second build with nothing changed says the agents are up to date and rebuilds nothing', () => {
    const root = project(library)
    expect(runCli(['build'], root).status).toBe(0)
    const second = runCli(['build'], root)
    expect(second.stdout).toMatch(/^3 agents up to date, in \d+ ms$/m)
    const { json } = runJson(['build'], root)
    expect(json.stats).toMatchObject({ agents: { built: 3, upToDate: 3 }, phases: { parse: 0, resolve: 0 } })
    expect(readProjectFile(root, 'output/.traitgen/.gitignore')).toBe('cache.json\ncache/\nlock\n')
  })

  it('an edit rebuilds only the agents it reaches, through dependencies', () => {
    const root = project(library)
    runCli(['build'], root)
    writeFiles(root, { 'content/traits/base/core.md': 'Core, edited.\n' })
    const { json } = runJson(['build'], root)
    expect(statuses(json)).toEqual({ 'a.md': 'written', 'b.md': 'unchanged', 'c.md': 'unchanged' })
    expect(json.stats).toMatchObject({ agents: { built: 3, upToDate: 2 } })
  })

  it('a new trait that takes over a short name rebuilds the agent that used it', () => {
    const root = project(library)
    runCli(['build'], root)
    writeFiles(root, { 'content/traits/any/helper.md': 'Group helper.\n' })
    const { json } = runJson(['build'], root)
    expect(statuses(json)).toEqual({ 'a.md': 'unchanged', 'b.md': 'unchanged', 'c.md': 'written' })
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Group helper.')
  })

  it('never trusts an output edited by hand, a changed config, or --clean', () => {
    const root = project(library)
    runCli(['build'], root)
    writeFileSync(path.join(root, 'output/agents/b.md'), 'edited by hand\n')
    expect(statuses(runJson(['build'], root).json)['b.md']).toBe('written')
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Misc.')
    writeFiles(root, { 'traitgen.config.mjs': 'export default { provenance: true }\n' })
    const reconfigured = runJson(['build'], root).json
    expect(reconfigured.stats).toMatchObject({ agents: { upToDate: 0 } })
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('<!-- trait: base/core@0.0.0 -->')
    expect(runJson(['build', '--clean'], root).json.stats).toMatchObject({ agents: { upToDate: 0 } })
  })

  it('rebuilds what the manifest or source maps lost, even when the cache says current', () => {
    const root = project(library)
    runCli(['build'], root)
    rmSync(path.join(root, 'output/.traitgen/sourcemap.json'))
    expect(runJson(['build'], root).json.stats).toMatchObject({ agents: { upToDate: 0 } })
    expect(JSON.parse(readProjectFile(root, 'output/.traitgen/sourcemap.json'))).toHaveProperty(['output/agents/a.md'])
    expect(runCli(['check'], root).status).toBe(0)
  })

  it('a build that changes nothing rewrites none of its bookkeeping; one that finds it damaged mends it', async () => {
    const root = project(library)
    // Settled files (see 'file stamps'): the first build records their stamps, so the second has nothing new to record.
    await new Promise((resolve) => setTimeout(resolve, 2100))
    runCli(['build'], root)
    const state = ['manifest.json', 'sourcemap.json', 'cache.json'].map((name) => path.join(root, 'output/.traitgen', name))
    const times = () => state.map((file) => `${path.basename(file)} ${statSync(file).mtimeMs}`)
    const before = times()
    expect(Object.values(statuses(runJson(['build'], root).json))).toEqual(['unchanged', 'unchanged', 'unchanged'])
    expect(times()).toEqual(before)
    // An entry the manifest reader drops: the manifest is written again without it.
    const manifest = JSON.parse(readProjectFile(root, 'output/.traitgen/manifest.json'))
    writeFileSync(state[0] as string, JSON.stringify({ ...manifest, files: { ...manifest.files, 'output/agents/x.md': 5 } }))
    runCli(['build'], root)
    expect(Object.keys(JSON.parse(readProjectFile(root, 'output/.traitgen/manifest.json')).files)).toEqual(Object.keys(manifest.files))
  }, 20_000)

  it('a deleted or corrupt cache only costs speed', () => {
    const root = project(library)
    runCli(['build'], root)
    writeFileSync(path.join(root, 'output/.traitgen/cache.json'), '{ not json')
    expect(runJson(['build'], root).json.stats).toMatchObject({ agents: { built: 3, upToDate: 0 } })
    rmSync(path.join(root, 'output/.traitgen/cache.json'))
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(Object.values(statuses(json))).toEqual(['unchanged', 'unchanged', 'unchanged'])
  })

  it('keeps the version the cache key uses equal to package.json', () => {
    expect(version).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version)
  })
})

describe('file stamps', () => {
  // A stamp is trusted only once the file is older than the settling time (2 s) when it is read.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2100))
  const readCount = (root: string) => (runJson(['build'], root).json.stats as { read: unknown }).read

  it('a build after one that read settled files reads none; an edit is read, even one that keeps the size and the modification time', async () => {
    const root = project(library)
    // A whole second, which utimes sets back exactly.
    const file = path.join(root, 'content/traits/x/helper.md')
    const then = Math.floor(Date.now() / 1000) - 3600
    utimesSync(file, then, then)
    await settle()
    expect(readCount(root)).toEqual({ files: 7, read: 7 })
    expect(readCount(root)).toEqual({ files: 7, read: 0 })
    // Same length, same mtime: only the change time (which no program can set back) tells.
    writeFileSync(file, 'Helped.\n')
    utimesSync(file, then, then)
    expect(statSync(file).mtimeMs).toBe(then * 1000)
    const { json } = runJson(['build'], root)
    // The edited trait, and the agent rebuilt with it (its text goes into the output).
    expect((json.stats as { read: unknown }).read).toEqual({ files: 7, read: 2 })
    expect(statuses(json)).toEqual({ 'a.md': 'unchanged', 'b.md': 'unchanged', 'c.md': 'written' })
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Helped.')
    // --clean trusts no stamp: every file is read again.
    expect((runJson(['build', '--clean'], root).json.stats as { read: unknown }).read).toEqual({ files: 7, read: 7 })
  }, 20_000)

  it('a file changed just before a build is read again by the next one, however its stamp looks', () => {
    const root = project(library)
    expect(readCount(root)).toEqual({ files: 7, read: 7 })
    expect(readCount(root)).toEqual({ files: 7, read: 7 })
    const cache = JSON.parse(readProjectFile(root, 'output/.traitgen/cache.json')) as { files: Record<string, { stamp?: string }> }
    expect(Object.values(cache.files).map((f) => f.stamp)).toEqual(Array(7).fill(undefined))
  })
})

describe('parse cache', () => {
  const parsed = (json: { stats: unknown }) => (json.stats as { parsed: { files: number; fromCache: number } }).parsed
  const parsedDir = (root: string) => path.join(root, 'output/.traitgen/cache/parsed')
  const entries = (root: string) => readdirSync(parsedDir(root)).sort()

  it('a new process parses only the files an edit changed; the outputs are those of a build from nothing', () => {
    const root = project(library)
    const cold = runJson(['build'], root).json
    // Every content file parsed once, none from the cache: 4 traits and 3 agents.
    expect(parsed(cold)).toEqual({ files: 7, fromCache: 0, inWorkers: 0, workers: 0 })
    expect(entries(root)).toHaveLength(7)
    writeFiles(root, { 'content/traits/base/core.md': 'Core, edited.\n' })
    const before = entries(root)
    const { json } = runJson(['build'], root)
    expect(statuses(json)).toEqual({ 'a.md': 'written', 'b.md': 'unchanged', 'c.md': 'unchanged' })
    // Agent a and its two traits: the edited one parsed, the other two from the cache.
    expect(parsed(json)).toEqual({ files: 3, fromCache: 2, inWorkers: 0, workers: 0 })
    // The edited file's old entry is gone and its new one is there; the others are kept.
    const after = entries(root)
    expect(after).toHaveLength(7)
    expect(after.filter((name) => !before.includes(name))).toHaveLength(1)
    const fresh = project({ ...library, 'content/traits/base/core.md': 'Core, edited.\n' })
    runCli(['build'], fresh)
    expect(readProjectFile(root, 'output/agents/a.md')).toBe(readProjectFile(fresh, 'output/agents/a.md'))
  })

  it('a corrupt entry, or one copied over another file\'s, is parsed again; check writes no entry', () => {
    const root = project(library)
    runCli(['build'], root)
    const expected = readProjectFile(root, 'output/agents/a.md')
    const names = entries(root)
    // Every entry but one replaced by another file's entry, and that one made garbage.
    for (const name of names.slice(1)) copyFileSync(path.join(parsedDir(root), names[0] as string), path.join(parsedDir(root), name))
    writeFileSync(path.join(parsedDir(root), names[0] as string), '{ "tree": ')
    const { status, json } = runJson(['build', '--clean'], root)
    expect(status).toBe(0)
    expect(parsed(json).fromCache).toBe(0)
    expect(readProjectFile(root, 'output/agents/a.md')).toBe(expected)
    rmSync(parsedDir(root), { recursive: true })
    expect(runCli(['check'], root).status).toBe(0)
    expect(() => readdirSync(parsedDir(root))).toThrow()
  })

  it('a trait-stage plugin turns the cache off for traits: its edits are never skipped', () => {
    const root = project({
      ...library,
      'traitgen.config.mjs': `export default { plugins: [{ name: 'upper', trait: [() => (tree) => { for (const n of tree.children) if (n.type === 'paragraph') for (const c of n.children) if (c.type === 'text') c.value = c.value.toUpperCase() }] }] }\n`,
    })
    runCli(['build'], root)
    const second = runJson(['build', '--clean'], root).json
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('EXTRA.\n')
    // Only the agents come from the cache; the traits are parsed again for the plugin.
    expect(parsed(second).fromCache).toBe(3)
  })

  it('keeps only top-level blocks unless a plugin has composition hooks, which then sees whole blocks even after a compact build', () => {
    const list = '- one\n- two\n  - three\n'
    const root = project({ ...library, 'content/traits/other/misc.md': `Misc.\n\n${list}` })
    runCli(['build'], root)
    const compactOutput = readProjectFile(root, 'output/agents/b.md')
    // The parse cache now holds compact trees. A plugin that counts the items of every list block it is
    // asked to expand must see them all: its trees are whole, not the cached compact ones.
    writeFiles(root, {
      'traitgen.config.mjs': `export default { plugins: [{ name: 'items', expandBlock(block) {
        const node = block.doc.blocks[block.index]
        if (node.type !== 'list') return undefined
        const count = (n) => (n.type === 'listItem' ? 1 : 0) + (n.children ?? []).reduce((sum, c) => sum + count(c), 0)
        return [{ kind: 'text', text: 'items: ' + count(node) }]
      } }] }\n`,
    })
    const { json } = runJson(['build'], root)
    expect(json.ok).toBe(true)
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('items: 3\n')
    expect(compactOutput).toContain(list)
    expect(parsed(json).fromCache).toBe(0)
  })
})
