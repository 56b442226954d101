// Error codes about agents, outputs, paths and the config (spec §3, §6, §7, §8, §12), and what a failing build leaves on disk.
// Each test builds a tiny project with the real CLI (child process) and checks code, file:line:column, fix hint, exit status.
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentFile, listFiles, projectFileExists, readProjectFile, runCli, traitFile, writeFiles } from '../support/project.js'
import { agentUsing, expectMessages, projectMaker, runIn } from './helpers.js'

const project = projectMaker()

describe('DUPLICATE_AGENT', () => {
  it('the same name in two agents: the later one fails at its name key, the first still builds', () => {
    const built = runIn(
      project({
        'content/agents/a.md': agentFile('name: helper'),
        'content/agents/b.md': agentFile('model: sonnet\nname: helper'),
      }),
    )
    expectMessages(built, 1, [['error', 'DUPLICATE_AGENT', 'content/agents/b.md', 4, 1, /agent name "helper" is already used by a; give this agent another name/]])
    expect(built.json.outputs.map((o) => [o.path, o.status])).toEqual([['output/agents/a.md', 'written']])
  })

  const caseFiles = { 'content/agents/Foo.md': agentFile('name: upper'), 'content/agents/foo.md': agentFile('name: lower') }
  /** Whether this file system keeps Foo.md and foo.md apart. */
  const caseSensitive = (root: string) => readdirSync(path.join(root, 'content/agents')).length === 2

  it('ids differing only in case (agents/Foo.md and agents/foo.md): the later one fails, at 1:1', (context) => {
    const root = project(caseFiles)
    if (!caseSensitive(root)) context.skip()
    const built = runIn(root)
    expect(built.json.messages.map((m) => [m.severity, m.code, m.file, m.line, m.column])).toEqual([['error', 'DUPLICATE_AGENT', 'content/agents/foo.md', 1, 1]])
    expect(built.json.messages[0]?.message).toMatch(/agent "foo" differs from "Foo" only in letter case/)
    expect(built.status).toBe(1)
    expect(listFiles(root, 'output/agents')).toEqual(['output/agents/Foo.md'])
  })

  // Fixed (was a bug): the case-collision message explains the problem but not the fix ("…would collide on
  // case-insensitive disks"), unlike every other message; it should say to rename one of the files.
  it('ids differing only in case: the message says how to fix it', (context) => {
    const root = project(caseFiles)
    if (!caseSensitive(root)) context.skip()
    const built = runIn(root)
    expect(built.json.messages[0]?.code).toBe('DUPLICATE_AGENT')
    expect(built.json.messages[0]?.message).toMatch(/rename/)
  })
})

describe('AGENT_NOT_FOUND', () => {
  it('build nope: names the agents folder, lists the agents, builds nothing', () => {
    const built = runIn(project({ 'content/agents/a.md': agentFile(''), 'content/agents/b.md': agentFile('') }), ['build', 'nope'])
    expectMessages(built, 1, [['error', 'AGENT_NOT_FOUND', 'content/agents', 1, 1, /no agent "nope" in content\/agents; agents: a, b/]])
    expect(built.json.messages[0]?.context).toEqual({ agent: 'nope' })
    expect(listFiles(built.root, 'output/agents')).toEqual([])
  })
})

describe('OUTPUT_CONFLICT', () => {
  it('a hand-written file at output/agents/x.md is kept and reported; --force overwrites it', () => {
    const root = project({ 'content/agents/x.md': agentFile('', 'Generated body.\n'), 'output/agents/x.md': 'Hand-written.\n' })
    const refused = runIn(root)
    expectMessages(refused, 1, [
      ['error', 'OUTPUT_CONFLICT', 'output/agents/x.md', 1, 1, /output\/agents\/x\.md exists and was not written by traitgen; move it away, or run with --force to overwrite it/],
    ])
    expect(readProjectFile(root, 'output/agents/x.md')).toBe('Hand-written.\n')

    const forced = runIn(root, ['build', '--force'])
    expectMessages(forced, 0, [])
    expect(readProjectFile(root, 'output/agents/x.md')).toBe('---\nname: x\ndescription: Test agent\n---\n\nGenerated body.\n')
    // traitgen owns it now: a plain build is fine.
    expectMessages(runIn(root), 0, [])
  })
})

describe('PATH_OUTSIDE_ROOT', () => {
  /** A project whose content/traits/x/secret.md is a symbolic link to outside/secret.md (outside the content folder). */
  const linked = (files: Record<string, string>) => {
    const root = project({ ...files, 'outside/secret.md': 'Secret text.\n' })
    mkdirSync(path.join(root, 'content/traits/x'), { recursive: true })
    symlinkSync(path.join(root, 'outside/secret.md'), path.join(root, 'content/traits/x/secret.md'))
    return root
  }

  it('a trait linked from outside the content folder and used: an error at the ref; its text is never read', () => {
    const built = runIn(linked({ 'content/agents/a.md': agentUsing('secret') }))
    expectMessages(built, 1, [
      ['error', 'PATH_OUTSIDE_ROOT', 'content/agents/a.md', 4, 7, /trait "x\/secret" \(content\/traits\/x\/secret\.md\) is a symbolic link that leads out of the content folders; copy the file in instead/],
    ])
    expect(listFiles(built.root, 'output/agents')).toEqual([])
  })

  it('the same link unused: a warning at the link, and the build succeeds', () => {
    const built = runIn(linked({ 'content/agents/a.md': agentFile('') }))
    expectMessages(built, 0, [
      ['warning', 'PATH_OUTSIDE_ROOT', 'content/traits/x/secret.md', 1, 1, /is a symbolic link that leads out of the content folders; it is skipped/],
    ])
    expect(readProjectFile(built.root, 'output/agents/a.md')).not.toContain('Secret')
  })
})

describe('unusable config: exit 2', () => {
  /** Run in `root/proj`, so that `../x` would land in the (otherwise empty) temporary root. */
  const configProject = (config: string) => project({ 'proj/traitgen.config.mjs': config, 'proj/content/agents/a.md': agentFile('') })
  const configError = (root: string) => {
    const cwd = path.join(root, 'proj')
    const json = runCli(['build', '--json'], cwd)
    const text = runCli(['build'], cwd)
    return { json, text, report: JSON.parse(json.stdout) as { ok: boolean; error: { code: string; message: string }; messages: unknown[] } }
  }

  it('an unknown key: the message names the key path and the allowed keys', () => {
    const root = configProject('export default { limits: { lines: { maxx: 5 } } }\n')
    const { json, text, report } = configError(root)
    expect(json.status).toBe(2)
    expect(report.ok).toBe(false)
    expect(report.error.code).toBe('INVALID_CONFIG')
    expect(report.error.message).toMatch(/unknown key limits\.lines\.maxx .*; allowed: min, max/)
    expect(text.status).toBe(2)
    expect(text.stderr).toMatch(/^traitgen: traitgen\.config\.mjs: unknown key limits\.lines\.maxx/)
    expect(text.stderr).not.toMatch(/\n\s+at /)
    expect(listFiles(root)).toEqual(['proj/content/agents/a.md', 'proj/traitgen.config.mjs'])
  })

  it("output: '.' (the root itself) and output: '../x' (outside it): refused, nothing written", () => {
    for (const [output, shown] of [['.', '"\\."'], ['../x', '"\\.\\./x"']] as const) {
      const root = configProject(`export default { output: '${output}' }\n`)
      const { json, text, report } = configError(root)
      expect(json.status).toBe(2)
      expect(report.error.code).toBe('INVALID_OUTPUT_DIR')
      expect(report.error.message).toMatch(new RegExp(`^output: output folder ${shown} must be a folder inside the project root, not the root itself or outside it`))
      expect(text.status).toBe(2)
      expect(listFiles(root)).toEqual(['proj/content/agents/a.md', 'proj/traitgen.config.mjs'])
      expect(projectFileExists(root, 'x')).toBe(false)
    }
  })
})

describe('a failing build', () => {
  it('keeps the failing agent’s last good output unchanged, builds the others, and writes nothing outside output/', () => {
    const root = project({
      'content/traits/x/t.md': traitFile('version: 1.0.0', 'Trait text.\n'),
      'content/agents/a.md': agentUsing('t'),
      'content/agents/b.md': agentFile('', 'B body.\n'),
    })
    expectMessages(runIn(root), 0, [])
    const good = readProjectFile(root, 'output/agents/a.md')
    expect(good).toContain('Trait text.')
    // The parse cache's entries are named by content hash: edited files get new ones.
    const outputFiles = () => listFiles(root, 'output').filter((f) => !f.startsWith('output/.traitgen/cache/'))
    const outputsBefore = outputFiles()

    writeFiles(root, { 'content/traits/x/t.md': traitFile('version: 1.0.0\ndependancies: [u]', 'Changed text.\n'), 'content/agents/b.md': agentFile('', 'B changed.\n') })
    const failed = runIn(root)
    expectMessages(failed, 1, [['error', 'INVALID_FRONTMATTER', 'content/traits/x/t.md', 3, 1, /did you mean "dependencies"\?/]])
    expect(readProjectFile(root, 'output/agents/a.md')).toBe(good)
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('B changed.')
    expect(outputFiles()).toEqual(outputsBefore)
    expect(listFiles(root).filter((f) => !f.startsWith('output/'))).toEqual(['content/agents/a.md', 'content/agents/b.md', 'content/traits/x/t.md'])
  })

  it('prints each message as <file>:<line>:<column>: error <CODE> <text> without --json', () => {
    const root = project({ 'content/agents/a.md': agentFile('', 'Ask {{ owner }}.\n') })
    const run = runCli(['build'], root)
    expect(run.status).toBe(1)
    expect(run.stderr).toBe('')
    expect(run.stdout.split('\n')[0]).toBe(
      'content/agents/a.md:5:5: error UNDEFINED_VARIABLE undefined variable "owner"; define it in the agent\'s variables or the config\'s variables, or write \\{{ to keep the braces',
    )
  })
})
