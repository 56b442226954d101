// The CLI on less common ground: a lock file nobody can read, a duplicate agent name on a file that does not
// parse, a manifest entry behind a link loop, a folder link inside the content folders.
import { mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentFile, projectFileExists, readProjectFile, runCli, runJson, temporaryProjects, traitFile, writeFiles } from '../support/project.js'

const project = temporaryProjects()

describe('the build lock', () => {
  it('a lock file without an owner (cut short): the build says it waits for "another process", then takes the lock over once it is old', () => {
    const root = project({ 'content/agents/a.md': agentFile('') })
    const lock = path.join(root, 'output/.traitgen/lock')
    mkdirSync(path.dirname(lock), { recursive: true })
    writeFileSync(lock, '{"pid": 12')
    // Judged stale 2 s after its mtime: set it a few seconds ahead, so the build waits past the 1 s notice first.
    const ahead = new Date(Date.now() + 4000)
    utimesSync(lock, ahead, ahead)
    const run = runCli(['build'], root)
    expect(run.stderr).toBe(`traitgen: waiting for another traitgen build (another process) to finish writing; lock: ${lock}\n`)
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^built 1 agent \(1 written, 0 unchanged\), in \d+ ms\n$/)
    expect(projectFileExists(root, 'output/.traitgen/lock')).toBe(false)
  })
})

describe('agents', () => {
  it('a duplicate name on an agent whose frontmatter does not parse: DUPLICATE_AGENT at 1:1 beside the YAML error; the first agent builds', () => {
    const root = project({
      'content/agents/a.md': '---\nname: dup\ndescription: A\n---\n\nBody A.\n',
      'content/agents/b.md': '---\nname: dup\ndescription: [unclosed\n---\n\nBody B.\n',
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages.map((m) => [m.file, m.line, m.column, m.code, m.message])).toEqual([
      ['content/agents/b.md', 1, 1, 'DUPLICATE_AGENT', 'agent name "dup" is already used by a; give this agent another name'],
      ['content/agents/b.md', 4, 1, 'YAML_SYNTAX', expect.stringMatching(/^invalid YAML in frontmatter: /)],
    ])
    expect(json.outputs.map((o) => [o.path, o.status])).toEqual([['output/agents/a.md', 'written']])
    expect(projectFileExists(root, 'output/agents/b.md')).toBe(false)
  })
})

describe('deleting outputs', () => {
  it('a removed agent whose output folder is now a link loop: WRITE_FAILED (could not delete) at the file, the manifest entry kept', () => {
    const root = project({ 'content/agents/a.md': agentFile(''), 'content/agents/sub/x.md': agentFile('') })
    expect(runCli(['build'], root).status).toBe(0)
    rmSync(path.join(root, 'content/agents/sub'), { recursive: true })
    rmSync(path.join(root, 'output/agents/sub'), { recursive: true })
    symlinkSync('sub', path.join(root, 'output/agents/sub'))
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages).toHaveLength(1)
    expect(json.messages[0]).toMatchObject({ file: 'output/agents/sub/x.md', line: 1, column: 1, code: 'WRITE_FAILED', context: { errno: 'ELOOP' } })
    expect(json.messages[0]?.message).toMatch(/^could not delete output\/agents\/sub\/x\.md: ELOOP: too many symbolic links encountered, .*; fix the cause, then run traitgen build again; the previous file is kept unchanged$/)
    expect(JSON.parse(readProjectFile(root, 'output/.traitgen/manifest.json')).files['output/agents/sub/x.md']).toMatchObject({ agent: 'sub/x' })
    // Once the loop is gone, the next build forgets the file.
    rmSync(path.join(root, 'output/agents/sub'))
    const again = runJson(['build'], root)
    expect([again.status, again.json.messages]).toEqual([0, []])
    expect(JSON.parse(readProjectFile(root, 'output/.traitgen/manifest.json')).files['output/agents/sub/x.md']).toBeUndefined()
  })
})

describe('discovery', () => {
  it('a folder link to another folder inside the traits folder: its traits are found once, under the link, whichever comes first', () => {
    const root = project({
      'content/traits/zz-shared/tone.md': traitFile('', 'Be kind.\n'),
      'content/agents/a.md': agentFile('imports:\n  style: [alias/tone]'),
    })
    symlinkSync('zz-shared', path.join(root, 'content/traits/alias'))
    const listed = runCli(['list', '--json'], root)
    expect(listed.status).toBe(0)
    expect((JSON.parse(listed.stdout) as { traits: Array<{ id: string }> }).traits.map((t) => t.id)).toEqual(['alias/tone'])
    const built = runCli(['build'], root)
    expect([built.status, built.stdout]).toEqual([0, expect.stringMatching(/^built 1 agent/)])
    expect(readProjectFile(root, 'output/agents/a.md')).toContain('## Style\n\nBe kind.\n')
    writeFiles(root, { 'content/agents/b.md': agentFile('imports:\n  style: [zz-shared/tone]') })
    const missing = runJson(['build', 'b'], root)
    expect(missing.json.messages.map((m) => [m.file, m.code])).toEqual([['content/agents/b.md', 'TRAIT_NOT_FOUND']])
  })
})
