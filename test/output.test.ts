// Output safety (spec §6): manifest-only deletions, conflicts, atomic replacement of links, last good output kept.
import { existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentFile, listFiles, readProjectFile, runCli, runJson, temporaryProjects, traitFile, writeFiles } from './support/project.js'

const project = temporaryProjects()

const base = {
  'content/traits/t/one.md': traitFile('version: 1.0.0', 'Trait one.\n'),
  'content/agents/a.md': agentFile('imports:\n  t: [one]', 'Agent A.\n'),
  'content/agents/b.md': agentFile('', 'Agent B.\n'),
}

describe('output', () => {
  it('writes outputs and a manifest listing them', () => {
    const root = project(base)
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(json.outputs.map((o) => [o.path, o.status])).toEqual([
      ['output/agents/a.md', 'written'],
      ['output/agents/b.md', 'written'],
    ])
    const manifest = JSON.parse(readProjectFile(root, 'output/.traitgen/manifest.json'))
    expect(Object.keys(manifest.files)).toEqual(['output/agents/a.md', 'output/agents/b.md'])
    expect(readProjectFile(root, 'output/agents/a.md')).toBe('---\nname: a\ndescription: Test agent\n---\n\nAgent A.\n\n## T\n\nTrait one.\n')
  })

  it('a second build rewrites nothing (mtimes unchanged) and says so', () => {
    const root = project(base)
    runCli(['build'], root)
    const before = lstatSync(path.join(root, 'output/agents/a.md')).mtimeMs
    const { json } = runJson(['build'], root)
    expect(json.outputs.every((o) => o.status === 'unchanged')).toBe(true)
    expect(lstatSync(path.join(root, 'output/agents/a.md')).mtimeMs).toBe(before)
  })

  it('deletes the outputs of a removed agent, and nothing it did not write', () => {
    const root = project(base)
    runCli(['build'], root)
    writeFiles(root, { 'output/agents/notes.md': 'mine\n', 'output/README.md': 'mine too\n' })
    rmSync(path.join(root, 'content/agents/b.md'))
    const { json } = runJson(['build'], root)
    expect(json.outputs.find((o) => o.path === 'output/agents/b.md')?.status).toBe('deleted')
    expect(listFiles(root, 'output').filter((f) => !f.includes('.traitgen'))).toEqual(['output/README.md', 'output/agents/a.md', 'output/agents/notes.md'])
  })

  it('an agent that fails keeps its last good output; --clean removes it', () => {
    const root = project(base)
    runCli(['build'], root)
    const good = readProjectFile(root, 'output/agents/a.md')
    writeFiles(root, { 'content/agents/a.md': agentFile('imports:\n  t: [missing]', 'Agent A changed.\n') })
    const run = runJson(['build'], root)
    expect(run.status).toBe(1)
    expect(run.json.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code}`)).toEqual(['content/agents/a.md:4:7 TRAIT_NOT_FOUND'])
    expect(readProjectFile(root, 'output/agents/a.md')).toBe(good)
    const clean = runJson(['build', '--clean'], root)
    expect(clean.status).toBe(1)
    expect(existsSync(path.join(root, 'output/agents/a.md'))).toBe(false)
    expect(existsSync(path.join(root, 'output/agents/b.md'))).toBe(true)
  })

  it('refuses to overwrite a file it did not write (OUTPUT_CONFLICT) unless --force', () => {
    const root = project({ ...base, 'output/agents/a.md': 'hand-written\n' })
    const run = runJson(['build'], root)
    expect(run.status).toBe(1)
    expect(run.json.messages.map((m) => [m.file, m.line, m.column, m.code])).toEqual([['output/agents/a.md', 1, 1, 'OUTPUT_CONFLICT']])
    expect(readProjectFile(root, 'output/agents/a.md')).toBe('hand-written\n')
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Agent B.')
    expect(runCli(['build', '--force'], root).status).toBe(0)
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Trait one.')
  })

  it('replaces a symbolic link at an output path instead of writing through it', () => {
    const root = project(base)
    const victim = path.join(root, 'victim.txt')
    writeFileSync(victim, 'do not touch\n')
    mkdirSync(path.join(root, 'output/agents'), { recursive: true })
    symlinkSync(victim, path.join(root, 'output/agents/a.md'))
    // The link is not in the manifest: it is a conflict first; with --force it is replaced.
    expect(runCli(['build'], root).status).toBe(1)
    expect(runCli(['build', '--force'], root).status).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe('do not touch\n')
    expect(lstatSync(path.join(root, 'output/agents/a.md')).isSymbolicLink()).toBe(false)
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('Agent A.')
  })

  it('leaves no temporary files behind', () => {
    const root = project(base)
    runCli(['build'], root)
    writeFiles(root, { 'content/traits/t/one.md': traitFile('version: 1.0.1', 'Trait one, edited.\n') })
    runCli(['build'], root)
    const all = listFiles(root, 'output')
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('build <agent> builds only that agent and deletes nothing else', () => {
    const root = project(base)
    runCli(['build'], root)
    writeFiles(root, { 'content/agents/b.md': agentFile('', 'Agent B edited.\n'), 'content/agents/a.md': agentFile('', 'Agent A edited.\n') })
    const { json } = runJson(['build', 'a'], root)
    expect(json.outputs.map((o) => [o.path, o.status])).toEqual([['output/agents/a.md', 'written']])
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Agent B.')
  })

  it('check lists stale, missing and extra files, writes nothing, and ignores files it never wrote', () => {
    const root = project(base)
    runCli(['build'], root)
    writeFiles(root, {
      'content/agents/a.md': agentFile('', 'Agent A edited.\n'),
      'content/agents/c.md': agentFile('', 'Agent C.\n'),
      'output/agents/mine.md': 'not traitgen\n',
    })
    rmSync(path.join(root, 'content/agents/b.md'))
    const before = listFiles(root)
    const { status, json } = runJson(['check'], root)
    expect(status).toBe(1)
    const diffs = json.messages.map((m) => `${m.code} ${m.file}`)
    expect(diffs).toContain('STALE_OUTPUT output/agents/a.md')
    expect(diffs).toContain('MISSING_OUTPUT output/agents/c.md')
    expect(diffs).toContain('EXTRA_OUTPUT output/agents/b.md')
    expect(diffs.some((d) => d.includes('mine.md'))).toBe(false)
    expect(listFiles(root)).toEqual(before)
    expect(runCli(['build'], root).status).toBe(0)
    expect(runCli(['check'], root).status).toBe(0)
  })

  it('writes a custom target folder inside the root, and refuses one outside (exit 2)', () => {
    const root = project({ ...base, 'traitgen.config.mjs': "export default { targets: [{ name: 'claude', dir: '.claude/agents' }] }\n" })
    expect(runCli(['build'], root).status).toBe(0)
    expect(readdirSync(path.join(root, '.claude/agents')).sort()).toEqual(['a.md', 'b.md'])
    writeFiles(root, { 'traitgen.config.mjs': "export default { targets: [{ name: 'claude', dir: '../elsewhere' }] }\n" })
    const run = runCli(['build'], root)
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/must be a folder inside the project root/)
  })
})
