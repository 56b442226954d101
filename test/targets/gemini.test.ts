// Target `gemini`: `<id>.md`, slug names, Gemini CLI tool names, Claude models dropped with a warning, overrides.
import { describe, expect, it } from 'vitest'
import { listFiles, readProjectFile, runJson, temporaryProjects } from '../support/project.js'
import { agent, bodyOf, build, lines, split, trait } from './helpers.js'

const project = temporaryProjects()

describe('target gemini', () => {
  it('writes <id>.md with name, description and Gemini CLI tools; a Claude model is left out with a warning (CLI)', () => {
    const root = project({
      ...trait,
      'traitgen.config.mjs': "export default { targets: ['claude', 'gemini'] }\n",
      'content/agents/tester.md': agent(
        'description: Writes tests\nmodel: sonnet\ntools: Read, Write, Edit, MultiEdit, Bash, Grep, Glob, LS, WebFetch, WebSearch, TodoWrite, Task\nimports:\n  quality: [checks]',
      ),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(listFiles(root, 'output').filter((f) => !f.includes('.traitgen'))).toEqual(['output/agents/tester.md', 'output/gemini/tester.md'])
    const text = readProjectFile(root, 'output/gemini/tester.md')
    expect(split(text).frontmatter).toBe(
      [
        '---',
        'name: tester',
        'description: Writes tests',
        'tools:',
        '  - read_file',
        '  - write_file',
        '  - replace',
        '  - run_shell_command',
        '  - grep_search',
        '  - glob',
        '  - list_directory',
        '  - web_fetch',
        '  - google_web_search',
        '  - write_todos',
        '---',
        '',
      ].join('\n'),
    )
    expect(split(text).body).toBe('\nYou review code.\n\n## Quality\n\nBe strict.\n\nRun the **checks** before you finish.\n')
    expect(bodyOf(root, 'output/gemini/tester.md')).toBe(bodyOf(root, 'output/agents/tester.md'))
    expect(lines(json.messages)).toEqual([
      'content/agents/tester.md:3:1 warning INVALID_FRONTMATTER gemini: model "sonnet" is a Claude model, which Gemini CLI does not run; it is left out (the session\'s model is used); set gemini: { model: <gemini model> }',
      'content/agents/tester.md:4:92 warning INVALID_FRONTMATTER gemini: tools: "Task" has no gemini equivalent and is left out; remove it, or set gemini: { tools: [<name>, …] }',
    ])
  })

  it('passes a Gemini model through, leaves inherit out, and warns about every Claude form', async () => {
    const models: Record<string, string | undefined> = {
      'gemini-2.5-pro': 'gemini-2.5-pro',
      inherit: undefined,
      haiku: undefined,
      'claude-opus-4-1-20250805': undefined,
      opusplan: undefined,
    }
    const files: Record<string, string> = {}
    Object.keys(models).forEach((model, i) => {
      files[`content/agents/a${i}.md`] = agent(`description: A\nmodel: ${model}`)
    })
    const root = project(files)
    const result = await build(root, { targets: ['gemini'] })
    expect(result.ok).toBe(true)
    Object.entries(models).forEach(([, expected], i) => {
      const { frontmatter } = split(readProjectFile(root, `output/gemini/a${i}.md`))
      expect(frontmatter).toBe(`---\nname: a${i}\ndescription: A\n${expected === undefined ? '' : `model: ${expected}\n`}---\n`)
    })
    expect(result.messages.map((m) => `${m.file}:${m.line}:${m.column} ${String(m.context?.model)}`)).toEqual([
      'content/agents/a2.md:3:1 haiku',
      'content/agents/a3.md:3:1 claude-opus-4-1-20250805',
      'content/agents/a4.md:3:1 opusplan',
    ])
  })

  it('writes a name that is not a slug as one, with a warning; gemini: overrides are merged last', async () => {
    const root = project({
      'content/agents/rev.md': agent(
        ['name: Code Reviewer!', 'description: Reviews', 'model: opus', 'tools:', '  - Read', '  - mcp__github__get_issue', 'gemini:', '  model: gemini-2.5-flash', '  temperature: 0.2', '  max_turns: 10'].join('\n'),
      ),
    })
    const result = await build(root, { targets: ['gemini'] })
    expect(result.ok).toBe(true)
    expect(split(readProjectFile(root, 'output/gemini/rev.md')).frontmatter).toBe(
      ['---', 'name: code-reviewer', 'description: Reviews', 'tools:', '  - read_file', '  - mcp_github_get_issue', 'model: gemini-2.5-flash', 'temperature: 0.2', 'max_turns: 10', '---', ''].join('\n'),
    )
    // The Claude model still warns: the override replaces the output value, not the source.
    expect(lines(result.messages)).toEqual([
      'content/agents/rev.md:2:1 warning INVALID_FRONTMATTER gemini: Gemini CLI agent names may hold only lower-case letters, digits, - and _; "Code Reviewer!" is written as "code-reviewer"; rename the agent, or set gemini: { name: <slug> }',
      'content/agents/rev.md:4:1 warning INVALID_FRONTMATTER gemini: model "opus" is a Claude model, which Gemini CLI does not run; it is left out (the session\'s model is used); set gemini: { model: <gemini model> }',
    ])
  })

  it('an agent limited to other targets gets no gemini file', async () => {
    const root = project({ 'content/agents/only.md': agent('description: O\ntargets: [claude]'), 'content/agents/both.md': agent('description: B') })
    const result = await build(root, { targets: ['claude', 'gemini'] })
    expect(result.ok).toBe(true)
    expect(listFiles(root, 'output').filter((f) => !f.includes('.traitgen'))).toEqual(['output/agents/both.md', 'output/agents/only.md', 'output/gemini/both.md'])
  })

  it('writes into the folder a { name, dir } target entry names', () => {
    const root = project({
      'traitgen.config.mjs': "export default { targets: [{ name: 'gemini', dir: '.gemini/agents' }] }\n",
      'content/agents/a.md': agent('description: A\ntools: [Grep]'),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(0)
    expect(json.outputs.map((o) => o.path)).toEqual(['.gemini/agents/a.md'])
    expect(readProjectFile(root, '.gemini/agents/a.md')).toBe('---\nname: a\ndescription: A\ntools:\n  - grep_search\n---\n\nYou review code.\n\n## Quality\n\nBe strict.\n')
  })
})
