// The plugin API (spec §9) through the real CLI: stages, validators, targets, hooks, failures.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { agentFile, projectFileExists, readProjectFile, removeProject, runCli, runJson, traitFile, makeProject } from '../support/project.js'

const roots: string[] = []
afterAll(() => roots.forEach(removeProject))
const project = (files: Record<string, string>) => {
  const root = makeProject(files)
  roots.push(root)
  return root
}

const content = {
  'content/traits/safety/careful.md': traitFile('description: Be careful.', '## Care\n\nCheck *twice* before acting.\n'),
  'content/agents/reviewer.md': agentFile('name: reviewer\nimports:\n  safety: [careful]', '# Reviewer\n\nReview   code   as written.\n\n## Safety\n'),
  'content/agents/writer.md': agentFile('name: writer', '# Writer\n\nWrite docs.\n'),
}

const config = (body: string, imports = '') => `import { defineConfig } from 'traitgen'
import type { Root } from 'mdast'
${imports}
export default defineConfig(${body})
`

describe('stages', () => {
  it('a document plugin changes only the nodes it touches; the rest stays byte-identical', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`{
  plugins: [{
    name: 'shout',
    document: [() => (tree: Root) => {
      for (const node of tree.children) if (node.type === 'heading' && node.depth === 2) for (const c of node.children) if (c.type === 'text') c.value = c.value.toUpperCase()
    }],
  }],
}`),
    })
    const run = runCli(['build'], root)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const out = readProjectFile(root, 'output/agents/reviewer.md')
    expect(out).toContain('## SAFETY\n')
    expect(out).toContain('### Care\n')
    expect(out).not.toContain('## Safety')
    // Untouched text keeps its odd spacing and its emphasis markers as written.
    expect(out).toContain('Review   code   as written.\n')
    expect(out).toContain('Check *twice* before acting.\n')
    expect(out.startsWith('---\nname: reviewer\n')).toBe(true)
    // blame still maps an untouched line to its source.
    const lines = out.split('\n')
    const checkLine = lines.indexOf('Check *twice* before acting.') + 1
    const blame = runCli(['blame', `output/agents/reviewer.md:${checkLine}`], root)
    expect(blame.stdout).toContain('content/traits/safety/careful.md:')
  })

  it('a bare unified plugin and a [plugin, options] pair run at the document stage, in config order', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`{
  plugins: [
    function appendNote() { return (tree: Root) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'first' }] }) } },
    [function appendWith(options: { text: string }) { return (tree: Root) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: options.text }] }) } }, { text: 'second' }],
  ],
}`),
    })
    expect(runCli(['build'], root).status).toBe(0)
    expect(readProjectFile(root, 'output/agents/writer.md')).toMatch(/Write docs\.\n\nfirst\n\nsecond\n$/)
  })

  it('trait and agent stages see each file after it is parsed; output plugins see the target file', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`{
  plugins: [{
    name: 'stamp',
    trait: [() => (tree: Root, file: any) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'trait ' + file.data.traitgen.id }] }) }],
    agent: [() => (tree: Root, file: any) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'agent ' + file.data.traitgen.id }] }) }],
    output: [() => (tree: Root, file: any) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'for ' + file.data.traitgen.target }] }) }],
  }],
}`),
    })
    const run = runCli(['build'], root)
    expect(run.status).toBe(0)
    const out = readProjectFile(root, 'output/agents/reviewer.md')
    expect(out).toContain('Check *twice* before acting.\n\ntrait safety/careful\n')
    expect(out).toContain('agent reviewer')
    expect(out).toMatch(/for claude\n$/)
  })

  it('vfile messages from a plugin are reported at their place with the plugin name', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`{
  plugins: [{ name: 'lint', agent: [() => (tree: Root, file: any) => { file.message('no shouting', { place: tree.children[1]?.position, ruleId: 'no-shout' }) }] }],
}`),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    const found = json.messages.filter((m) => m.code === 'PLUGIN_MESSAGE')
    expect(found.map((m) => [m.severity, m.file, m.line, m.column])).toContainEqual(['warning', 'content/agents/reviewer.md', 8, 1])
    expect(found[0]?.message).toContain('(lint:no-shout)')
  })
})

describe('validate', () => {
  it('errors fail the agent (its old output stays); warnings do not', () => {
    const root = project(content)
    expect(runCli(['build'], root).status).toBe(0)
    const before = readProjectFile(root, 'output/agents/reviewer.md')
    writeConfig(root, `{
  plugins: [{
    name: 'policy',
    validate: (doc) => doc.agent === 'reviewer'
      ? [{ message: 'reviewer needs tools', line: 2, column: 1, ruleId: 'tools' }, { severity: 'warning', message: 'just so you know' }]
      : [],
  }],
}`)
    writeAgent(root, 'reviewer', 'Changed body.\n')
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages.map((m) => [m.severity, m.code, m.file, m.line, m.column])).toEqual([
      ['warning', 'PLUGIN_MESSAGE', 'content/agents/reviewer.md', 1, 1],
      ['error', 'PLUGIN_MESSAGE', 'content/agents/reviewer.md', 2, 1],
    ])
    expect(json.messages[1]?.message).toBe('reviewer needs tools (policy:tools)')
    expect(readProjectFile(root, 'output/agents/reviewer.md')).toBe(before)
    expect(json.outputs.find((o) => o.path === 'output/agents/writer.md')?.status).toBe('unchanged')
  })
})

describe('failures', () => {
  it('a plugin that throws is PLUGIN_ERROR naming the plugin and the file; the other agents still build', () => {
    const root = project(content)
    expect(runCli(['build'], root).status).toBe(0)
    const before = readProjectFile(root, 'output/agents/reviewer.md')
    writeConfig(root, `{
  plugins: [{ name: 'picky', document: [() => (tree: Root, file: any) => { if (file.data.traitgen.id === 'reviewer') throw new Error('cannot handle reviewers') }] }],
}`)
    writeAgent(root, 'reviewer', 'Edited.\n')
    writeAgent(root, 'writer', 'Edited too.\n')
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    const error = json.messages.find((m) => m.code === 'PLUGIN_ERROR')
    expect(error).toMatchObject({ severity: 'error', file: 'content/agents/reviewer.md', line: 1, column: 1 })
    expect(error?.message).toContain('plugin "picky"')
    expect(error?.message).toContain('cannot handle reviewers')
    expect(readProjectFile(root, 'output/agents/reviewer.md')).toBe(before)
    expect(readProjectFile(root, 'output/agents/writer.md')).toContain('Edited too.')
  })

  it('an async plugin that rejects is PLUGIN_ERROR too', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(`{ plugins: [{ name: 'slow', output: [() => async () => { await new Promise((r) => setTimeout(r, 5)); throw new Error('rejected') }] }] }`),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages.filter((m) => m.code === 'PLUGIN_ERROR').map((m) => m.file)).toEqual(['content/agents/reviewer.md', 'content/agents/writer.md'])
    expect(json.messages[0]?.message).toContain('plugin "slow"')
  })

  it('an async plugin at the trait stage is PLUGIN_ERROR at the trait (those stages run synchronously)', () => {
    const root = project({ ...content, 'traitgen.config.ts': config(`{ plugins: [{ name: 'lazy', trait: [() => async () => {}] }] }`) })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages.find((m) => m.code === 'PLUGIN_ERROR')).toMatchObject({ file: 'content/traits/safety/careful.md' })
    expect(projectFileExists(root, 'output/agents/writer.md')).toBe(true)
  })

  it.each([
    ['42', '`42`'],
    ['undefined', '`undefined (is the import or export missing?)`'],
    ["{ name: 'x', documents: [] }", 'unknown key documents'],
    ["{ name: 'x', document: [42] }", 'plugins[0].document[0]'],
    ["'remark-toc'", '`"remark-toc"`'],
  ])('plugins: [%s] is exit 2 quoting it', (entry, quoted) => {
    const root = project({ ...content, 'traitgen.config.ts': config(`{ plugins: [${entry}] as any }`) })
    const run = runCli(['build'], root)
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('traitgen.config.ts: plugins[0]')
    expect(run.stderr).toContain(quoted)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(projectFileExists(root, 'output')).toBe(false)
  })
})

describe('targets and hooks', () => {
  it('a plugin target writes its files in its default folder or the configured one', () => {
    const target = `{ name: 'plain', defaultDir: 'text', renderAgent: ({ dir, composed }: any) => [{ path: dir + '/' + composed.agent.id + '.txt', text: composed.agent.meta.description + '\\n', sourceMap: undefined }] }`
    const root = project({ ...content, 'traitgen.config.ts': config(`{ targets: ['claude', 'plain'], plugins: [{ name: 'plain-text', targets: [${target}] }] }`) })
    expect(runCli(['build'], root).status).toBe(0)
    expect(readProjectFile(root, 'output/text/writer.txt')).toBe('Test agent\n')
    const moved = project({ ...content, 'traitgen.config.ts': config(`{ targets: [{ name: 'plain', dir: 'site/plain' }], plugins: [{ name: 'plain-text', targets: [${target}] }] }`) })
    expect(runCli(['build'], moved).status).toBe(0)
    expect(projectFileExists(moved, 'site/plain/reviewer.txt')).toBe(true)
    expect(projectFileExists(moved, 'output/agents/reviewer.md')).toBe(false)
  })

  it('an unknown target names the ones available', () => {
    const root = project({ ...content, 'traitgen.config.ts': config(`{ targets: ['nope'] }`) })
    const run = runCli(['build'], root)
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('unknown target "nope"')
    expect(run.stderr).toContain('claude')
  })

  it('buildStart runs before any agent and buildEnd after the outputs are written; a failing hook is PLUGIN_ERROR at the config', () => {
    const root = project({
      ...content,
      'traitgen.config.ts': config(
        `{
  plugins: [
    { name: 'log', buildStart: (info: any) => { appendFileSync(join(info.root, 'hooks.log'), 'start ' + info.agents.join(',') + ' ' + existsSync(join(info.root, 'output/agents/writer.md')) + '\\n') },
      buildEnd: async (info: any) => { appendFileSync(join(info.root, 'hooks.log'), 'end ' + info.ok + ' ' + info.outputs.length + ' ' + existsSync(join(info.root, 'output/agents/writer.md')) + '\\n') } },
    { name: 'broken-hook', buildEnd: () => { throw new Error('hook broke') } },
  ],
}`,
        "import { appendFileSync, existsSync } from 'node:fs'\nimport { join } from 'node:path'",
      ),
    })
    const { status, json } = runJson(['build'], root)
    expect(readProjectFile(root, 'hooks.log')).toBe('start reviewer,writer false\nend true 2 true\n')
    expect(status).toBe(1)
    expect(json.messages).toEqual([expect.objectContaining({ code: 'PLUGIN_ERROR', file: 'traitgen.config.ts', line: 1, column: 1 })])
    expect(json.messages[0]?.message).toContain('plugin "broken-hook"')
  })
})

function writeConfig(root: string, body: string): void {
  writeFile(root, 'traitgen.config.ts', config(body))
}

function writeAgent(root: string, name: string, body: string): void {
  const text = readProjectFile(root, `content/agents/${name}.md`)
  writeFile(root, `content/agents/${name}.md`, text.replace(/\n---\n[\s\S]*$/, `\n---\n${body}`))
}

function writeFile(root: string, rel: string, text: string): void {
  writeFileSync(path.join(root, rel), text)
}
