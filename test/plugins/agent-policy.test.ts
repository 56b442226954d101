// The example user plugin (plugins/agent-policy.ts), used the way a team would: from traitgen.config.ts.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { agentPolicy } from '../../plugins/agent-policy.js'
import { agentFile, makeProject, readProjectFile, removeProject, repoRoot, runCli, runJson } from '../support/project.js'

const roots: string[] = []
afterAll(() => roots.forEach(removeProject))

const policyImport = path.join(repoRoot, 'plugins/agent-policy.ts')
const configWith = (options: string) => `import { defineConfig } from 'traitgen'
import { agentPolicy } from ${JSON.stringify(policyImport)}
export default defineConfig({ plugins: [agentPolicy(${options})] })
`

function project(files: Record<string, string>): string {
  const root = makeProject(files)
  roots.push(root)
  return root
}

describe('agentPolicy', () => {
  it('requires the listed keys: an agent without `tools` fails with a message that says what to add', () => {
    const root = project({
      'traitgen.config.ts': configWith("{ requiredKeys: ['tools'] }"),
      'content/agents/with-tools.md': agentFile('tools: Read, Grep'),
      'content/agents/no-tools.md': agentFile(''),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages.map((m) => [m.severity, m.code, m.file, m.line, m.column, m.message])).toEqual([
      ['error', 'PLUGIN_MESSAGE', 'content/agents/no-tools.md', 1, 1, 'agent no-tools has no `tools` key; add `tools:` to its frontmatter (agent-policy:required-key)'],
    ])
    expect(readProjectFile(root, 'output/agents/with-tools.md')).toContain('tools: Read, Grep')
    expect(json.outputs.map((o) => o.path)).toEqual(['output/agents/with-tools.md'])
  })

  it('enforces a token budget, warning near it and failing over it', () => {
    const long = 'word '.repeat(400)
    const root = project({
      'traitgen.config.ts': configWith('{ maxTokens: 300, warnAt: 0.5 }'),
      'content/agents/small.md': agentFile('', 'Short.\n'),
      'content/agents/medium.md': agentFile('', `${'word '.repeat(200)}\n`),
      'content/agents/large.md': agentFile('', `${long}\n`),
    })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    const byFile = Object.fromEntries(json.messages.map((m) => [m.file, m]))
    expect(byFile['content/agents/large.md']).toMatchObject({ severity: 'error', code: 'PLUGIN_MESSAGE' })
    expect(byFile['content/agents/large.md']?.message).toMatch(/output\/agents\/large\.md has \d+ tokens, over the budget of 300/)
    expect(byFile['content/agents/medium.md']).toMatchObject({ severity: 'warning' })
    expect(byFile['content/agents/small.md']).toBeUndefined()
  })

  it('a bad option is a TypeError that quotes it (API misuse throws)', () => {
    expect(() => agentPolicy({ maxTokens: -1 })).toThrow('maxTokens must be a positive number, not `-1`')
  })

  it('editing the plugin options rebuilds agents the cache thought current', () => {
    const root = project({
      'traitgen.config.ts': configWith("{ requiredKeys: [] }"),
      'content/agents/no-tools.md': agentFile(''),
    })
    expect(runCli(['build'], root).status).toBe(0)
    writeFileSync(path.join(root, 'traitgen.config.ts'), configWith("{ requiredKeys: ['tools'] }"))
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages[0]?.message).toContain('has no `tools` key')
  })
})
