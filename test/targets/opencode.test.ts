// Target `opencode`: file path, frontmatter mapping (mode, model, tools map), warnings, overrides, custom folder.
import { describe, expect, it } from 'vitest'
import { listFiles, readProjectFile, runJson, temporaryProjects } from '../support/project.js'
import { agent, bodyOf, build, lines, split, trait } from './helpers.js'

const project = temporaryProjects()

describe('target opencode', () => {
  it('writes <id>.md with description, mode, an anthropic/ model and an allow-list tools map (CLI)', () => {
    const root = project({
      ...trait,
      'traitgen.config.mjs': "export default { targets: ['claude', 'opencode'] }\n",
      'content/agents/reviewer.md': agent(
        'name: reviewer\ndescription: Reviews code\nmodel: sonnet\ntools: Read, Grep, Glob, Bash, KillShell\ncolor: blue\nimports:\n  quality: [checks]',
      ),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(listFiles(root, 'output').filter((f) => !f.includes('.traitgen'))).toEqual(['output/agents/reviewer.md', 'output/opencode/reviewer.md'])
    const text = readProjectFile(root, 'output/opencode/reviewer.md')
    expect(split(text).frontmatter).toBe(
      [
        '---',
        'description: Reviews code',
        'mode: subagent',
        'model: anthropic/claude-sonnet-4-6',
        'tools:',
        '  read: true',
        '  write: false',
        '  edit: false',
        '  apply_patch: false',
        '  bash: true',
        '  grep: true',
        '  glob: true',
        '  list: false',
        '  webfetch: false',
        '  websearch: false',
        '  task: false',
        '  todowrite: false',
        '---',
        '',
      ].join('\n'),
    )
    expect(split(text).body).toBe('\nYou review code.\n\n## Quality\n\nBe strict.\n\nRun the **checks** before you finish.\n')
    expect(bodyOf(root, 'output/opencode/reviewer.md')).toBe(bodyOf(root, 'output/agents/reviewer.md'))
    expect(lines(json.messages)).toEqual([
      'content/agents/reviewer.md:5:32 warning INVALID_FRONTMATTER opencode: tools: "KillShell" has no opencode equivalent and is left out; remove it, or set opencode: { tools: { <name>: true } }',
    ])
    expect(json.outputs.map((o) => [o.path, o.target])).toEqual([
      ['output/agents/reviewer.md', 'claude'],
      ['output/opencode/reviewer.md', 'opencode'],
    ])
  })

  it('maps each Claude model form; other values with a provider pass through, without one they are dropped with a warning', async () => {
    const models: Record<string, string | undefined> = {
      opus: 'anthropic/claude-opus-4-6',
      haiku: 'anthropic/claude-haiku-4-5',
      'sonnet[1m]': 'anthropic/claude-sonnet-4-6',
      inherit: undefined,
      'claude-sonnet-4-5-20250929': 'anthropic/claude-sonnet-4-5-20250929',
      'claude-3-7-sonnet-latest': 'anthropic/claude-3-7-sonnet-latest',
      'openai/gpt-5': 'openai/gpt-5',
      'gpt-5': undefined,
      opusplan: undefined,
    }
    const files: Record<string, string> = {}
    Object.keys(models).forEach((model, i) => {
      files[`content/agents/a${i}.md`] = agent(`description: A\nmodel: "${model}"`)
    })
    const root = project(files)
    const result = await build(root, { targets: ['opencode'] })
    expect(result.ok).toBe(true)
    Object.entries(models).forEach(([, expected], i) => {
      const { frontmatter } = split(readProjectFile(root, `output/opencode/a${i}.md`))
      expect(frontmatter).toBe(`---\ndescription: A\nmode: subagent\n${expected === undefined ? '' : `model: ${expected}\n`}---\n`)
    })
    expect(lines(result.messages)).toEqual([
      'content/agents/a7.md:3:1 warning INVALID_FRONTMATTER opencode: model "gpt-5" has no OpenCode equivalent and is left out (a subagent then uses its caller\'s model); write provider/model-id, or set opencode: { model: provider/model-id }',
      'content/agents/a8.md:3:1 warning INVALID_FRONTMATTER opencode: model "opusplan" has no OpenCode equivalent and is left out (a subagent then uses its caller\'s model); write provider/model-id, or set opencode: { model: provider/model-id }',
    ])
  })

  it('reads a YAML tool list, places a dropped tool at its item, and merges opencode: overrides last', async () => {
    const root = project({
      'content/agents/writer.md': agent(
        [
          'description: Writes docs',
          'tools:',
          '  - Read',
          '  - MultiEdit',
          '  - ExitPlanMode',
          '  - mcp__github__create_issue',
          'opencode:',
          '  mode: all',
          '  temperature: 0.1',
          '  tools: { lsp: false, read: null }',
          '  permission: { bash: deny }',
        ].join('\n'),
      ),
    })
    const result = await build(root, { targets: ['claude', 'opencode'] })
    expect(result.ok).toBe(true)
    expect(split(readProjectFile(root, 'output/opencode/writer.md')).frontmatter).toBe(
      [
        '---',
        'description: Writes docs',
        'mode: all',
        'tools:',
        '  write: false',
        '  edit: true',
        '  apply_patch: true',
        '  bash: false',
        '  grep: false',
        '  glob: false',
        '  list: false',
        '  webfetch: false',
        '  websearch: false',
        '  task: false',
        '  todowrite: false',
        '  github_create_issue: true',
        '  lsp: false',
        'temperature: 0.1',
        'permission:',
        '  bash: deny',
        '---',
        '',
      ].join('\n'),
    )
    expect(lines(result.messages)).toEqual([
      'content/agents/writer.md:6:5 warning INVALID_FRONTMATTER opencode: tools: "ExitPlanMode" has no opencode equivalent and is left out; remove it, or set opencode: { tools: { <name>: true } }',
    ])
    // The claude target passes the override key through (it passes every unknown key): the documented trade-off.
    expect(readProjectFile(root, 'output/agents/writer.md')).toContain('\nopencode:\n  mode: all\n')
  })

  it('warns when the file name and the agent name differ, and when opencode: is not a mapping', async () => {
    const root = project({ 'content/agents/team/rev.md': agent('name: reviewer\ndescription: R\nopencode: subagent') })
    const result = await build(root, { targets: ['opencode'] })
    expect(result.ok).toBe(true)
    expect(readProjectFile(root, 'output/opencode/team/rev.md')).toBe('---\ndescription: R\nmode: subagent\n---\n\nYou review code.\n\n## Quality\n\nBe strict.\n')
    expect(lines(result.messages)).toEqual([
      'content/agents/team/rev.md:2:1 warning INVALID_FRONTMATTER opencode: OpenCode names an agent after its file, so this agent is "rev" there, not "reviewer"; rename the file or the agent to match',
      'content/agents/team/rev.md:4:1 warning INVALID_FRONTMATTER opencode: opencode must be a mapping of output keys to values (opencode: { key: value }); it is ignored',
    ])
  })

  it('writes into the folder a { name, dir } target entry names', () => {
    const root = project({
      'traitgen.config.mjs': "export default { targets: [{ name: 'opencode', dir: '.opencode/agent' }] }\n",
      'content/agents/a.md': agent('description: A\ntools: [Read]'),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(json.outputs.map((o) => o.path)).toEqual(['.opencode/agent/a.md'])
    expect(listFiles(root).filter((f) => f.endsWith('.md') && !f.startsWith('content/'))).toEqual(['.opencode/agent/a.md'])
  })
})
