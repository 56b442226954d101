// The first-party plugins in plugins/ in process: the agent-policy example, and the agent formats' mapping of
// unusual `tools` and `model` values (each a warning at its place; the output stays usable).
import { describe, expect, it } from 'vitest'
import { agentPolicy } from '../../plugins/agent-policy.js'
import { createTraitgen, estimateTokens } from '../../src/index.js'
import { readProjectFile, temporaryProjects } from '../support/project.js'
import { agent, build, lines, split } from '../targets/helpers.js'

const project = temporaryProjects()

describe('agentPolicy (plugins/agent-policy.ts) in a build', () => {
  it('a maxTokens that is not positive is refused when the plugin is made', () => {
    expect(() => agentPolicy({ maxTokens: 0 })).toThrow(new TypeError('agentPolicy: maxTokens must be a positive number, not `0`'))
    expect(() => agentPolicy({ maxTokens: Number.NaN })).toThrow('agentPolicy: maxTokens must be a positive number, not `NaN`')
  })

  it('a missing required key fails the agent at its file; an agent that has the key builds', async () => {
    const root = project({
      'content/agents/bare.md': agent('description: No tools'),
      'content/agents/tooled.md': agent('description: Tools\ntools: Read'),
    })
    const result = await build(root, { plugins: [agentPolicy({ requiredKeys: ['tools'] })] })
    expect(lines(result.messages)).toEqual([
      'content/agents/bare.md:1:1 error PLUGIN_MESSAGE agent bare has no `tools` key; add `tools:` to its frontmatter (agent-policy:required-key)',
    ])
    expect(result.agents).toEqual({ built: ['tooled'], failed: ['bare'] })
  })

  it('over the token budget is an error, close to it a warning with the share, well under it nothing', async () => {
    const files = { 'content/agents/a.md': agent('description: Budgeted') }
    const tg = createTraitgen({ root: project(files) })
    const tokens = estimateTokens(await tg.renderAgent('a'))
    await tg.close()
    expect(tokens).toBeGreaterThan(10)
    // A new project per build: the build cache's key cannot see options held in a plugin's closure.
    const withPolicy = (options: Parameters<typeof agentPolicy>[0]) => build(project(files), { plugins: [agentPolicy(options)] })

    const over = await withPolicy({ maxTokens: tokens - 1 })
    expect(lines(over.messages)).toEqual([
      `content/agents/a.md:1:1 error PLUGIN_MESSAGE output/agents/a.md has ${tokens} tokens, over the budget of ${tokens - 1}; import fewer traits or export a smaller section (agent-policy:token-budget)`,
    ])
    expect(over.ok).toBe(false)

    const close = await withPolicy({ maxTokens: tokens + 1 })
    const share = Math.round((tokens / (tokens + 1)) * 100)
    expect(lines(close.messages)).toEqual([
      `content/agents/a.md:1:1 warning PLUGIN_MESSAGE output/agents/a.md has ${tokens} tokens, ${share}% of the budget of ${tokens + 1} (agent-policy:token-budget)`,
    ])
    expect(close.ok).toBe(true)

    // warnAt moves the warning threshold: at 100% only going over counts.
    expect((await withPolicy({ maxTokens: tokens + 1, warnAt: 1 })).messages).toEqual([])
    expect((await withPolicy({ maxTokens: tokens * 10 })).messages).toEqual([])
  })
})

describe('unusual tools values, read for every agent format', () => {
  it('a tools value that is neither a string nor a list warns at the key and the output grants every tool', async () => {
    const root = project({ 'content/agents/a.md': agent('description: A\ntools: 5') })
    const result = await build(root, { targets: ['claude', 'gemini'] })
    expect(lines(result.messages)).toEqual([
      'content/agents/a.md:3:1 warning INVALID_FRONTMATTER gemini: tools must be a comma-separated string or a list of tool names; the output keeps every tool',
    ])
    expect(split(readProjectFile(root, 'output/gemini/a.md')).frontmatter).toBe('---\nname: a\ndescription: A\n---\n')
  })

  it('a list item that is not a name warns at the item; empty names in a comma list are skipped silently', async () => {
    const root = project({
      'content/agents/list.md': agent('description: A\ntools:\n  - Read\n  - 7\n  - "  "'),
      'content/agents/commas.md': agent('description: B\ntools: Read,, Grep ,'),
    })
    const result = await build(root, { targets: ['gemini'] })
    expect(lines(result.messages)).toEqual([
      'content/agents/list.md:5:5 warning INVALID_FRONTMATTER gemini: tools: item 2 is not a tool name; write a name such as Read',
      'content/agents/list.md:6:5 warning INVALID_FRONTMATTER gemini: tools: item 3 is not a tool name; write a name such as Read',
    ])
    expect(split(readProjectFile(root, 'output/gemini/list.md')).frontmatter).toBe('---\nname: list\ndescription: A\ntools:\n  - read_file\n---\n')
    expect(split(readProjectFile(root, 'output/gemini/commas.md')).frontmatter).toBe('---\nname: commas\ndescription: B\ntools:\n  - read_file\n  - grep_search\n---\n')
  })

  it('a restricted tool warns at the tool in a one-line string, and at the value when the string spans lines', async () => {
    const root = project({
      'content/agents/inline.md': agent('description: A\ntools: Read, Bash(git diff:*)'),
      'content/agents/folded.md': agent('description: B\ntools: >-\n  Read,\n  Bash(git diff:*)'),
    })
    const result = await build(root, { targets: ['gemini'] })
    const restriction = 'warning INVALID_FRONTMATTER gemini: tools: the restriction in "Bash(git diff:*)" is not carried over; gemini gets the whole Bash tool'
    expect(lines(result.messages)).toEqual([`content/agents/folded.md:3:8 ${restriction}`, `content/agents/inline.md:3:14 ${restriction}`])
    for (const id of ['inline', 'folded']) {
      expect(split(readProjectFile(root, `output/gemini/${id}.md`)).frontmatter).toContain('tools:\n  - read_file\n  - run_shell_command\n')
    }
  })

  it('an MCP server without a tool name grants every tool of the server, in each format', async () => {
    const root = project({ 'content/agents/a.md': agent('description: A\ntools: mcp__github') })
    const result = await build(root, { targets: ['gemini', 'opencode'] })
    expect(result.messages).toEqual([])
    expect(split(readProjectFile(root, 'output/gemini/a.md')).frontmatter).toContain('tools:\n  - mcp_github_*\n')
    expect(split(readProjectFile(root, 'output/opencode/a.md')).frontmatter).toContain('  github_*: true\n')
  })
})

describe('unusual model values', () => {
  it('a model that is not a string warns at the key in every agent format, and the output leaves model out', async () => {
    const root = project({ 'content/agents/a.md': agent('description: A\nmodel: 4') })
    const result = await build(root, { targets: ['copilot', 'gemini', 'opencode'] })
    expect(lines(result.messages)).toEqual(
      ['copilot', 'gemini', 'opencode'].map((t) => `content/agents/a.md:3:1 warning INVALID_FRONTMATTER ${t}: model must be a string, not 4; the output leaves model out`),
    )
    expect(split(readProjectFile(root, 'output/copilot/a.agent.md')).frontmatter).toBe('---\nname: a\ndescription: A\n---\n')
    expect(split(readProjectFile(root, 'output/gemini/a.md')).frontmatter).toBe('---\nname: a\ndescription: A\n---\n')
    expect(split(readProjectFile(root, 'output/opencode/a.md')).frontmatter).toBe('---\ndescription: A\nmode: subagent\n---\n')
  })

  it('a legacy Claude id without a minor version reads as that major version (copilot names it)', async () => {
    const root = project({ 'content/agents/a.md': agent('description: A\nmodel: claude-3-opus-20240229') })
    const result = await build(root, { targets: ['copilot'] })
    expect(result.messages).toEqual([])
    expect(split(readProjectFile(root, 'output/copilot/a.agent.md')).frontmatter).toBe('---\nname: a\ndescription: A\nmodel: Claude Opus 3\n---\n')
  })

  it('gemini: a name with no letter or digit at all becomes "agent", with the warning at the name', async () => {
    const root = project({ 'content/agents/a.md': agent('name: "!!!"\ndescription: A') })
    const result = await build(root, { targets: ['gemini'] })
    expect(lines(result.messages)).toEqual([
      'content/agents/a.md:2:1 warning INVALID_FRONTMATTER gemini: Gemini CLI agent names may hold only lower-case letters, digits, - and _; "!!!" is written as "agent"; rename the agent, or set gemini: { name: <slug> }',
    ])
    expect(split(readProjectFile(root, 'output/gemini/a.md')).frontmatter).toBe('---\nname: agent\ndescription: A\n---\n')
  })
})
