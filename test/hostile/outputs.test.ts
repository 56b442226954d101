// Hostile outputs (spec §3, §6, §12): agent names and ids aimed outside or onto each other, links
// already in the output folder, tampered manifests, and output folders that are not a folder traitgen owns.
import { lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { agentFile } from '../support/project.js'
import { expectKept, expectMessages, expectUsageError, outputBytes, readOutput, run, sandbox, scenario, type Box, type Files } from './harness.js'

const outputList = (box: Box) => [...outputBytes(box)].filter(([, v]) => v !== 'dir').map(([k]) => k)

describe.concurrent('agent names and ids', { timeout: 180_000 }, () => {
  it('names spelled as paths (../../evil, /etc/passwd, ..\\..\\evil): outputs stay at output/agents/<id>.md', async () => {
    const box = sandbox({
      'content/agents/a.md': agentFile('name: ../../evil'),
      'content/agents/b.md': agentFile('name: /etc/passwd'),
      'content/agents/c.md': agentFile('name: ..\\..\\evil'),
    })
    expectMessages(await run(box), 0, [])
    expect(outputList(box)).toEqual(['agents/a.md', 'agents/b.md', 'agents/c.md'])
    expect(readOutput(box, 'agents/a.md')).toMatch(/^---\nname: \.\.\/\.\.\/evil\n/)
  })

  it('ids equal but for case (Foo/foo, Team/x/team/x) and a name taken from another id: DUPLICATE_AGENT; the first keeps its output', async () => {
    const s = await scenario(
      { 'content/agents/Foo.md': agentFile('', 'Foo.\n'), 'content/agents/Team/x.md': agentFile('', 'Team x.\n') },
      { 'content/agents/foo.md': agentFile('', 'foo.\n'), 'content/agents/team/x.md': agentFile('', 'team x.\n'), 'content/agents/bar.md': agentFile('name: Foo') },
    )
    expectMessages(s.bad, 1, [
      ['error', 'DUPLICATE_AGENT', 'content/agents/bar.md', 3, 1, /agent name "Foo" is already used by Foo; give this agent another name/],
      ['error', 'DUPLICATE_AGENT', 'content/agents/foo.md', 1, 1, /differs from "Foo" only in letter case.*rename one/],
      // team/x and Team/x also share their default name "x": the name check speaks first.
      ['error', 'DUPLICATE_AGENT', 'content/agents/team/x.md', 1, 1, /agent name "x" is already used by Team\/x/],
    ])
    expectKept(s, ['Foo', 'Team/x'])
    expect(outputList(s.box)).toEqual(['agents/Foo.md', 'agents/Team/x.md'])
  })

  it('reserved names: Windows device names build (this is Linux), and .traitgen/ or _x agents are ignored, never mapped onto traitgen’s state', async () => {
    const box = sandbox({
      'content/agents/CON.md': agentFile(''),
      'content/agents/nul.md': agentFile(''),
      'content/agents/.traitgen/manifest.md': agentFile('', 'Evil manifest.\n'),
      'content/agents/_cache.md': agentFile('', 'Ignored.\n'),
    })
    expectMessages(await run(box), 0, [])
    expect(outputList(box)).toEqual(['agents/CON.md', 'agents/nul.md'])
    const manifest = JSON.parse(readFileSync(path.join(box.root, 'output/.traitgen/manifest.json'), 'utf8')) as { files: Record<string, unknown> }
    expect(Object.keys(manifest.files)).toEqual(['output/agents/CON.md', 'output/agents/nul.md'])
  })

  // BUG: when the name defaults to the file name, src/render/frontmatter.ts (emitFrontmatter) writes
  // `name: ${agent.meta.name}` unquoted: a file named "x\ntools: Bash.md" adds `tools: Bash` to the
  // subagent (a permission it never declared), and names like "#x", "a: b", "[x]", "*x", "null" or
  // "123" give invalid YAML or a name that is not the file name.
  it('file names that are YAML syntax (newline + key, #, a: b, [x], *x, null, 123): output name is the file name, no key injected', async () => {
    const names = ['x\ntools: Bash', '#x', 'a: b', '[x]', '*x', 'null', '123']
    const box = sandbox(Object.fromEntries(names.map((n) => [`content/agents/${n}.md`, agentFile('')])))
    expectMessages(await run(box), 0, [])
    for (const name of names) {
      const data = parse(readOutput(box, `agents/${name}.md`).split('---\n')[1] ?? '') as Record<string, unknown>
      expect(data).toEqual({ name, description: 'Test agent' })
    }
  })
})

describe.concurrent('symbolic links in the output folder', { timeout: 180_000 }, () => {
  const target = 'PRECIOUS outside file.\n'
  /** Replace output/agents/a.md by a link to <parent>/outside/target.md. */
  const linkOutput = (box: Box) => {
    mkdirSync(path.join(box.root, 'output/agents'), { recursive: true })
    try {
      unlinkSync(path.join(box.root, 'output/agents/a.md'))
    } catch {
      // Not built yet.
    }
    symlinkSync(path.join(box.parent, 'outside/target.md'), path.join(box.root, 'output/agents/a.md'))
  }

  it('a link at a path traitgen wrote (pointing outside the root): replaced by the new file, never written through', async () => {
    const s = await scenario({ 'content/agents/a.md': agentFile('', 'Old.\n') }, { 'content/agents/a.md': agentFile('', 'New.\n') }, { outside: { 'target.md': target }, change: linkOutput })
    expectMessages(s.bad, 0, [])
    expect(lstatSync(path.join(s.box.root, 'output/agents/a.md')).isFile()).toBe(true)
    expect(readOutput(s.box, 'agents/a.md')).toContain('New.')
    expect(readFileSync(path.join(s.box.parent, 'outside/target.md'), 'utf8')).toBe(target)
  })

  it('a link at an output path traitgen never wrote: OUTPUT_CONFLICT, link kept; with --force replaced, target untouched', async () => {
    const box = sandbox({ 'content/agents/a.md': agentFile('', 'New.\n') }, { outside: { 'target.md': target } })
    linkOutput(box)
    expectMessages(await run(box), 1, [['error', 'OUTPUT_CONFLICT', 'output/agents/a.md', 1, 1, /was not written by traitgen; move it away, or run with --force/]])
    expect(lstatSync(path.join(box.root, 'output/agents/a.md')).isSymbolicLink()).toBe(true)
    expectMessages(await run(box, ['build', '--force']), 0, [])
    expect(lstatSync(path.join(box.root, 'output/agents/a.md')).isFile()).toBe(true)
    expect(readFileSync(path.join(box.parent, 'outside/target.md'), 'utf8')).toBe(target)
  })

  it('a folder link output/agents/sub → a folder outside the root: WRITE_FAILED for the agent under it, nothing written there', async () => {
    const box = sandbox({ 'content/agents/a.md': agentFile(''), 'content/agents/sub/x.md': agentFile('') }, { outside: { 'dir/keep.md': target } })
    mkdirSync(path.join(box.root, 'output/agents'), { recursive: true })
    symlinkSync(path.join(box.parent, 'outside/dir'), path.join(box.root, 'output/agents/sub'))
    expectMessages(await run(box), 1, [['error', 'WRITE_FAILED', 'output/agents/sub/x.md', 1, 1, /leads outside the output folder; fix the cause/]])
    expect(readdirSync(path.join(box.parent, 'outside/dir'))).toEqual(['keep.md'])
  })

  // BUG: assertWritableLocation() is called with the project root, not the output folder
  // (src/output/commit.ts OutputCommitter.commit), so a folder link inside output/ that leads back
  // into the root (here into content/traits/x) is written through: the build plants a new trait file.
  it('a folder link output/agents/sub → ../../content/traits/x: nothing is written into content/', async () => {
    const box = sandbox({ 'content/traits/x/t.md': 'T.\n', 'content/agents/sub/evil.md': agentFile('', 'Planted.\n') })
    mkdirSync(path.join(box.root, 'output/agents'), { recursive: true })
    symlinkSync('../../content/traits/x', path.join(box.root, 'output/agents/sub'))
    const r = await run(box)
    expect(readdirSync(path.join(box.root, 'content/traits/x'))).toEqual(['t.md'])
    expectMessages(r, 1, [['error', 'WRITE_FAILED', 'output/agents/sub/evil.md', 1, 1]])
  })
})

describe.concurrent('a tampered manifest (the output folder arrives in the pull request too)', { timeout: 180_000 }, () => {
  const manifest = (box: Box, paths: string[]) => {
    const files = Object.fromEntries(paths.map((p) => [p, { agent: 'gone', target: 'claude', hash: 'x' }]))
    mkdirSync(path.join(box.root, 'output/.traitgen'), { recursive: true })
    writeFileSync(path.join(box.root, 'output/.traitgen/manifest.json'), JSON.stringify({ version: 1, files }))
  }

  it('listing files outside the output folder (../outside, absolute, output/../keep.md, content/…): none deleted', async () => {
    const files: Files = { 'content/agents/a.md': agentFile(''), 'keep.md': 'Keep.\n' }
    const s = await scenario(files, {}, {
      outside: { 'victim.md': 'Victim.\n' },
      change: (box) =>
        manifest(box, [
          '../outside/victim.md',
          path.join(box.parent, 'outside/victim.md'),
          'output/../keep.md',
          'output/agents/../../keep.md',
          'keep.md',
          'content/agents/a.md',
          'output/agents/a.md',
        ]),
    })
    // The run's own check: nothing outside output/ changed (victim, keep.md, the agent source).
    expectMessages(s.bad, 0, [])
  })

  // BUG: deletion checks the manifest path lexically (src/output/commit.ts folderOf) and removeOutput()
  // (src/output/write.ts) unlinks through a folder link: with output/agents/dir → <outside> and the
  // manifest listing output/agents/dir/victim.md, the build deletes a file outside the root.
  it('listing output/agents/dir/victim.md where output/agents/dir links outside: the outside file is not deleted', async () => {
    const s = await scenario({ 'content/agents/a.md': agentFile('') }, {}, {
      outside: { 'victim.md': 'Victim.\n' },
      change: (box) => {
        symlinkSync(path.join(box.parent, 'outside'), path.join(box.root, 'output/agents/dir'))
        manifest(box, ['output/agents/a.md', 'output/agents/dir/victim.md'])
      },
    })
    expect(readdirSync(path.join(s.box.parent, 'outside'))).toContain('victim.md')
    expectSafeDelete(s.bad.touched)
  })
})

/** Nothing outside the output folder changed. */
function expectSafeDelete(touched: string[]): void {
  expect(touched).toEqual([])
}

describe.concurrent('output folders traitgen must refuse (exit 2, INVALID_OUTPUT_DIR, nothing written)', { timeout: 180_000 }, () => {
  const configured = (output: string, extra: Files = {}, setup?: (box: Box) => void) => {
    const box = sandbox({ 'traitgen.config.mjs': `export default { output: ${JSON.stringify(output)} }\n`, 'content/agents/a.md': agentFile(''), ...extra }, { output: 'never-written' })
    setup?.(box)
    return box
  }
  const cases: Array<[name: string, box: () => Box, text: RegExp]> = [
    ["output: '.' (the root)", () => configured('.'), /output folder "\." must be a folder inside the project root, not the root itself/],
    ["output: './' (the root, spelt differently)", () => configured('./'), /output folder "\.\/" must be a folder inside the project root/],
    ["output: '..' (the parent)", () => configured('..'), /output folder "\.\." must be a folder inside the project root/],
    ["output: 'output/..' (the root again)", () => configured('output/..'), /output folder "output\/\.\." must be a folder inside the project root/],
    ["output: 'out' holding .git", () => configured('out', { 'out/.git/HEAD': 'ref: refs/heads/main\n' }), /output folder "out" holds a \.git folder; choose a folder traitgen owns/],
    [
      "output: 'out', a link to a folder outside the root",
      () => configured('out', {}, (box) => symlinkSync(path.join(box.parent, 'outside'), path.join(box.root, 'out'))),
      /output folder "out" leads outside the root through a symbolic link/,
    ],
  ]
  it.each(cases)('%s', async (_name, make, text) => {
    const r = await run(make())
    expectUsageError(r, 'INVALID_OUTPUT_DIR', text)
  })
})
