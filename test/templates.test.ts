// Templates (spec §14) through the library and the CLI: the engine interface, and the template as an
// input of every agent that uses it (check, cache, watch, explain, blame).
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createTraitgen, TraitNotFoundError, TraitValidationError } from '../src/index.js'
import { agentFile, readProjectFile, runCli, runJson, temporaryProjects, traitFile, writeFiles } from './support/project.js'
import { WatchProcess } from './support/watch.js'

const project = temporaryProjects()
const running: WatchProcess[] = []
afterEach(async () => {
  for (const w of running.splice(0)) await w.stop()
})

const house = `---
description: The house layout.
variables:
  team: platform
---

# {{ name }}

Owned by {{ team }}.

<!-- @body -->

## Tools

<!-- @slot tools -->

## Output format

Reply briefly.
`

const files = {
  'content/templates/house.md': house,
  'content/traits/tools/git.md': traitFile('description: Git.', '## Git\n\nUse git.\n\n## Commits\n\nSmall commits.\n'),
  'content/agents/a.md': agentFile('template: house\nimports:\n  tools: [git]', 'Agent A.\n'),
  'content/agents/b.md': agentFile('template: house', 'Agent B.\n'),
  'content/agents/c.md': agentFile('imports:\n  tools: [git]', 'Agent C.\n'),
}

const apis: Array<ReturnType<typeof createTraitgen>> = []
afterAll(async () => {
  for (const tg of apis) await tg.close()
})
function api(root: string) {
  const tg = createTraitgen({ root })
  apis.push(tg)
  return tg
}

describe('the template engine interface', () => {
  it('compileTemplate returns the slots; validateTemplate the problems; both name a missing template', async () => {
    const root = project({ ...files, 'content/templates/broken.md': 'No marker.\n' })
    const tg = api(root)
    expect(await tg.compileTemplate('house')).toEqual({
      name: 'house',
      file: 'content/templates/house.md',
      description: 'The house layout.',
      slots: ['tools'],
      variables: { team: 'platform' },
    })
    expect(await tg.validateTemplate('house')).toEqual([])
    const problems = await tg.validateTemplate('broken')
    expect(problems.map((m) => [m.code, m.file, m.line, m.column])).toEqual([['TEMPLATE_INVALID', 'content/templates/broken.md', 1, 1]])
    await expect(tg.compileTemplate('broken')).rejects.toBeInstanceOf(TraitValidationError)
    const missing = await tg.validateTemplate('hous')
    expect(missing[0]).toMatchObject({ code: 'TEMPLATE_NOT_FOUND', context: { suggestions: ['house'] } })
  })

  it('renderAgent, renderSection and the stream agree with what build writes', async () => {
    const root = project(files)
    const tg = api(root)
    expect((await tg.build()).ok).toBe(true)
    const written = readProjectFile(root, 'output/agents/a.md')
    expect(await tg.renderAgent('a')).toBe(written)
    let streamed = ''
    let chunks = 0
    for await (const chunk of tg.renderAgent('a', { stream: true })) {
      streamed += chunk
      chunks++
    }
    expect(streamed).toBe(written)
    expect(chunks).toBeGreaterThan(0)
    expect(await tg.renderSection('a', 'tools')).toBe('## Tools\n\n### Git\n\nUse git.\n\n### Commits\n\nSmall commits.\n')
    expect(await tg.renderSection('a', 'output-format')).toBe('## Output format\n\nReply briefly.\n')
    const error = await tg.renderSection('a', 'nope').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TraitNotFoundError)
    expect((error as TraitNotFoundError).message).toContain('sections: a, tools, git, commits, output-format')
  })

  it('a long agent streams in several chunks that join to the file', async () => {
    const long = Array.from({ length: 4000 }, (_, i) => `Line ${i} of a long body that goes on.`).join('\n\n')
    const root = project({ ...files, 'content/agents/long.md': agentFile('template: house', `${long}\n`) })
    const tg = api(root)
    const chunks: string[] = []
    for await (const chunk of tg.renderAgent('long', { stream: true })) chunks.push(chunk)
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true)
    expect(chunks.join('')).toBe(await tg.renderAgent('long'))
  })
})

describe('a template is an input of its agents', () => {
  it('the config default applies to agents without a template key; `template` never reaches the output', () => {
    const root = project({ ...files, 'traitgen.config.ts': "export default { template: 'house' }\n" })
    expect(runCli(['build'], root).status).toBe(0)
    const c = readProjectFile(root, 'output/agents/c.md')
    expect(c).toContain('# c\n\nOwned by platform.\n\nAgent C.\n\n## Tools\n\n### Git')
    expect(readProjectFile(root, 'output/agents/a.md')).not.toContain('template:')
  })

  it('check finds the outputs a template edit makes stale, and build rebuilds exactly those', () => {
    const root = project(files)
    expect(runCli(['build'], root).status).toBe(0)
    writeFiles(root, { 'content/templates/house.md': house.replace('Reply briefly.', 'Reply in full.') })
    const check = runJson(['check'], root)
    expect(check.status).toBe(1)
    expect(check.json.messages.filter((m) => m.file.startsWith('output/agents/')).map((m) => [m.code, m.file])).toEqual([
      ['STALE_OUTPUT', 'output/agents/a.md'],
      ['STALE_OUTPUT', 'output/agents/b.md'],
    ])
    const build = runJson(['build'], root)
    expect(build.json.outputs.map((o) => [o.path, o.status])).toEqual([
      ['output/agents/a.md', 'written'],
      ['output/agents/b.md', 'written'],
      ['output/agents/c.md', 'unchanged'],
    ])
  })

  it('explain names the template; blame maps template lines to the template file', () => {
    const root = project(files)
    expect(runCli(['build'], root).status).toBe(0)
    const explain = runJson(['explain', 'a'], root)
    expect((explain.json as unknown as { template: string }).template).toBe('house')
    const lines = readProjectFile(root, 'output/agents/a.md').split('\n')
    const blame = runCli(['blame', `output/agents/a.md:${lines.indexOf('Reply briefly.') + 1}`], root)
    expect(blame.stdout).toContain('content/templates/house.md:19')
  })

  it('a missing template fails its agents at their template key; the others build', () => {
    const root = project({ ...files, 'content/agents/b.md': agentFile('template: hous', 'Agent B.\n') })
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.messages.map((m) => [m.code, m.file, m.line, m.column, m.message])).toEqual([
      ['TEMPLATE_NOT_FOUND', 'content/agents/b.md', 3, 11, 'template "hous" does not exist; did you mean "house"?'],
    ])
    expect(json.outputs.map((o) => o.path).sort()).toEqual(['output/agents/a.md', 'output/agents/c.md'])
  })

  it('watch rebuilds the agents that use an edited template, and only those', async () => {
    const root = project(files)
    const w = new WatchProcess(root, [])
    running.push(w)
    await w.ready()
    writeFiles(root, { 'content/templates/house.md': house.replace('Owned by', 'Kept by') })
    const rebuild = await w.nextRebuild()
    expect(rebuild.rebuilt).toEqual(['a', 'b'])
    expect(readProjectFile(root, 'output/agents/b.md')).toContain('Kept by platform.')
    // A template that appears later is picked up by the agents that asked for it.
    writeFiles(root, { 'content/agents/c.md': agentFile('template: later', 'Agent C.\n') })
    const failed = await w.nextRebuild()
    expect(failed.messages.map((m) => m.code)).toEqual(['TEMPLATE_NOT_FOUND'])
    writeFiles(root, { 'content/templates/later.md': 'Later layout.\n\n<!-- @body -->\n' })
    const fixed = await w.nextRebuild()
    expect(fixed.rebuilt).toEqual(['c'])
    expect(readProjectFile(root, 'output/agents/c.md')).toContain('Later layout.\n\nAgent C.\n')
  })
})
