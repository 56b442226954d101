// Composition (spec §5, §14) through the library API, in process: templates that cannot be found, the
// expansion limit, composition hooks that throw or answer, and how placed traits are shifted.
import { describe, expect, it } from 'vitest'
import { createTraitgen, type UserConfig } from '../../src/index.js'
import { agentFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

/** Build a project in process and return the result. */
async function build(files: Record<string, string>, config: UserConfig = {}) {
  const root = project(files)
  const tg = createTraitgen({ root, config })
  try {
    return { root, result: await tg.build() }
  } finally {
    await tg.close()
  }
}

/** The messages of a result as `file:line:column code`. */
const places = (messages: ReadonlyArray<{ file: string; line: number; column: number; code: string }>) => messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code}`)

describe('templates that cannot be used', () => {
  it("the config's default template that does not exist fails every agent at 1:1, with the nearest name", async () => {
    const { result } = await build(
      {
        'content/templates/house.md': '# {{ name }}\n\n<!-- @body -->\n',
        'content/agents/a.md': agentFile('', 'Text.\n'),
      },
      { template: 'hous' },
    )
    expect(result.ok).toBe(false)
    expect(places(result.messages)).toEqual(['content/agents/a.md:1:1 TEMPLATE_NOT_FOUND'])
    expect(result.messages[0]?.message).toBe('the config sets template "hous" does not exist; did you mean "house"?')
    expect(result.messages[0]?.context).toEqual({ template: 'hous', suggestions: ['house'] })
    expect(result.agents.failed).toEqual(['a'])
  })

  it("an agent's template with no near name lists the templates there are", async () => {
    const { result } = await build({
      'content/templates/house.md': '<!-- @body -->\n',
      'content/templates/team/plain.md': '<!-- @body -->\n',
      'content/agents/a.md': agentFile('template: zzzzzzzzzz', 'Text.\n'),
    })
    expect(places(result.messages)).toEqual(['content/agents/a.md:3:11 TEMPLATE_NOT_FOUND'])
    expect(result.messages[0]?.message).toBe('template "zzzzzzzzzz" does not exist; templates: house, team/plain')
  })

  it('an agent template in a project without templates says there is none', async () => {
    const { result } = await build({ 'content/agents/a.md': agentFile('template: house', 'Text.\n') })
    expect(places(result.messages)).toEqual(['content/agents/a.md:3:11 TEMPLATE_NOT_FOUND'])
    expect(result.messages[0]?.message).toBe('template "house" does not exist; there is no template in the templates folder')
  })

  it('a template that exists but is broken reports only its own problem, and the agent fails', async () => {
    const { result } = await build({
      'content/templates/house.md': '# No body marker\n',
      'content/agents/a.md': agentFile('template: house', 'Text.\n'),
    })
    expect(places(result.messages)).toEqual(['content/templates/house.md:1:1 TEMPLATE_INVALID'])
    expect(result.agents.failed).toEqual(['a'])
    expect(result.outputs.filter((o) => o.status === 'written')).toEqual([])
  })
})

describe('the expansion limit', () => {
  it('an agent that expands past limits.expandedBytes is EXPANSION_LIMIT at its file; a smaller one builds', async () => {
    const { result } = await build(
      {
        'content/traits/t/long.md': traitFile('', `${'A long line of trait text. '.repeat(20)}\n`),
        'content/agents/big.md': agentFile('imports:\n  t: [long]', 'Short.\n'),
        'content/agents/small.md': agentFile('', 'Short.\n'),
      },
      { limits: { expandedBytes: 200 } },
    )
    expect(places(result.messages)).toEqual(['content/agents/big.md:1:1 EXPANSION_LIMIT'])
    expect(result.messages[0]?.message).toBe('the expanded agent passes limits.expandedBytes (200 bytes); check for include chains, or raise the limit')
    expect(result.agents).toEqual({ built: ['small'], failed: ['big'] })
  })
})
