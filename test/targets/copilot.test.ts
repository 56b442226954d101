// Target `copilot`: `<id>.agent.md`, name/description/tools/model mapping, warnings, overrides, custom folder.
import { describe, expect, it } from 'vitest'
import { listFiles, readProjectFile, runJson, temporaryProjects } from '../support/project.js'
import { agent, bodyOf, build, lines, split, trait } from './helpers.js'

const project = temporaryProjects()

describe('target copilot', () => {
  it('writes <id>.agent.md with name, description, tool aliases and a Copilot model name (CLI)', () => {
    const root = project({
      ...trait,
      'traitgen.config.mjs': "export default { targets: ['claude', 'copilot'] }\n",
      'content/agents/team/reviewer.md': agent(
        'name: reviewer\ndescription: "Reviews code: diffs, branches"\nmodel: opus\ntools: "Read, Grep, Glob, Bash, Write, Edit, SlashCommand"\nimports:\n  quality: [checks]',
      ),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(listFiles(root, 'output').filter((f) => !f.includes('.traitgen'))).toEqual([
      'output/agents/team/reviewer.md',
      'output/copilot/team/reviewer.agent.md',
    ])
    const text = readProjectFile(root, 'output/copilot/team/reviewer.agent.md')
    expect(split(text).frontmatter).toBe(
      ['---', 'name: reviewer', 'description: "Reviews code: diffs, branches"', 'tools:', '  - read', '  - search', '  - execute', '  - edit', 'model: Claude Opus 4.6', '---', ''].join('\n'),
    )
    expect(split(text).body).toBe('\nYou review code.\n\n## Quality\n\nBe strict.\n\nRun the **checks** before you finish.\n')
    expect(bodyOf(root, 'output/copilot/team/reviewer.agent.md')).toBe(bodyOf(root, 'output/agents/team/reviewer.md'))
    // The quoted string's item is placed at its own column (the opening quote is column 8).
    expect(lines(json.messages)).toEqual([
      'content/agents/team/reviewer.md:5:46 warning INVALID_FRONTMATTER copilot: tools: "SlashCommand" has no copilot equivalent and is left out; remove it, or set copilot: { tools: [<name>, …] }',
    ])
  })

  it('turns Claude aliases and ids into Copilot model names; inherit is left out; other names pass through', async () => {
    const models: Record<string, string | undefined> = {
      sonnet: 'Claude Sonnet 4.6',
      haiku: 'Claude Haiku 4.5',
      'opus[1m]': 'Claude Opus 4.6',
      'claude-sonnet-4-5-20250929': 'Claude Sonnet 4.5',
      'claude-sonnet-4-20250514': 'Claude Sonnet 4',
      'claude-opus-4-1': 'Claude Opus 4.1',
      'claude-3-7-sonnet-20250219': 'Claude Sonnet 3.7',
      inherit: undefined,
      'GPT-5 (copilot)': 'GPT-5 (copilot)',
      best: undefined,
    }
    const files: Record<string, string> = {}
    Object.keys(models).forEach((model, i) => {
      files[`content/agents/a${i}.md`] = agent(`description: A\nmodel: "${model}"`)
    })
    const root = project(files)
    const result = await build(root, { targets: ['copilot'] })
    expect(result.ok).toBe(true)
    Object.entries(models).forEach(([, expected], i) => {
      const { frontmatter } = split(readProjectFile(root, `output/copilot/a${i}.agent.md`))
      expect(frontmatter).toBe(`---\nname: a${i}\ndescription: A\n${expected === undefined ? '' : `model: ${expected}\n`}---\n`)
    })
    expect(lines(result.messages)).toEqual([
      'content/agents/a9.md:3:1 warning INVALID_FRONTMATTER copilot: model "best" is a Claude Code setting Copilot does not have and is left out (the default model is used); set copilot: { model: <model name> }',
    ])
  })

  it('merges copilot: overrides last: a new key is added, a mapped one replaced, null removes one', async () => {
    const root = project({
      'content/agents/helper.md': agent(
        [
          'description: Helps',
          'model: sonnet',
          'tools: [WebFetch, WebSearch, Task, TodoWrite, mcp__github__get_issue, mcp__playwright, NotebookEdit]',
          'copilot:',
          '  target: vscode',
          '  model: null',
          '  tools: ["*"]',
          '  handoffs: [{ label: Review, agent: reviewer }]',
        ].join('\n'),
      ),
    })
    const result = await build(root, { targets: ['copilot'] })
    expect(result.ok).toBe(true)
    expect(result.messages).toEqual([])
    expect(split(readProjectFile(root, 'output/copilot/helper.agent.md')).frontmatter).toBe(
      ['---', 'name: helper', 'description: Helps', 'tools:', '  - "*"', 'target: vscode', 'handoffs:', '  - label: Review', '    agent: reviewer', '---', ''].join('\n'),
    )
  })

  it('lists mapped tools in source order, each once', async () => {
    const root = project({ 'content/agents/h.md': agent('description: H\ntools: [WebFetch, WebSearch, Task, TodoWrite, mcp__github__get_issue, mcp__playwright, NotebookEdit, Read]') })
    const result = await build(root, { targets: ['copilot'] })
    expect(result.messages).toEqual([])
    expect(split(readProjectFile(root, 'output/copilot/h.agent.md')).frontmatter).toBe(
      ['---', 'name: h', 'description: H', 'tools:', '  - web', '  - agent', '  - todo', '  - github/get_issue', '  - playwright/*', '  - edit', '  - read', '---', ''].join('\n'),
    )
  })

  it('writes into the folder a { name, dir } target entry names', () => {
    const root = project({
      'traitgen.config.mjs': "export default { targets: ['claude', { name: 'copilot', dir: '.github/agents' }] }\n",
      'content/agents/a.md': agent('description: A'),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(json.outputs.map((o) => o.path)).toEqual(['.github/agents/a.agent.md', 'output/agents/a.md'])
    expect(readProjectFile(root, '.github/agents/a.agent.md')).toBe('---\nname: a\ndescription: A\n---\n\nYou review code.\n\n## Quality\n\nBe strict.\n')
  })
})
