// Target `docs` (plugins/docs.ts) on thin content: an agent page with no body, a trait with no description,
// and library pages whose users or dependencies are not pages of their own.
import { describe, expect, it } from 'vitest'
import { docsTarget } from '../../plugins/docs.js'
import type { LibraryContext, LibraryTrait } from '../../src/index.js'
import { buildAt } from '../support/in-process.js'
import { agentFile, readProjectFile, temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

describe('docs target: agent pages', () => {
  it('an agent with no body is its header alone, and a trait with no description is listed without a dash', async () => {
    const root = project({
      'content/traits/t/headings.md': '# Only headings\n\n## And more\n',
      'content/agents/empty.md': '---\ndescription: Nothing to say\n---\n',
      'content/agents/lists.md': agentFile('imports:\n  t: [headings]', ''),
    })
    const result = await buildAt(root, { targets: ['docs'] })
    expect(result.messages).toEqual([])
    expect(readProjectFile(root, 'output/docs/agents/empty.md')).toBe(
      ['---', 'title: empty', 'description: Nothing to say', 'mdx:', '  format: md', '---', '', '## Traits', '', 'This agent uses no traits.', ''].join('\n'),
    )
    expect(readProjectFile(root, 'output/docs/agents/lists.md')).toBe(
      [
        '---',
        'title: lists',
        'description: Test agent',
        'mdx:',
        '  format: md',
        '---',
        '',
        '## Traits',
        '',
        '- [t/headings](../traits/t/headings.md) (0.0.0)',
        '',
        '## T',
        '',
        '### Only headings',
        '',
        '#### And more',
        '',
      ].join('\n'),
    )
  })
})

describe('docs target: library pages for users and dependencies without a page', () => {
  const trait = (id: string, extra: Partial<LibraryTrait>): LibraryTrait => ({
    id,
    name: undefined,
    description: '',
    version: '1.0.0',
    category: 't',
    file: `content/traits/${id}.md`,
    body: `Text of ${id}.\n`,
    dependencies: [],
    includes: [],
    users: [],
    ok: true,
    ...extra,
  })

  it('a failed user is named without a link, an unknown user by its id, a missing dependency is marked not found', () => {
    const context: LibraryContext = {
      dir: 'docs',
      traitsFolder: 'content/traits',
      agents: [{ id: 'broken', name: 'Broken', description: 'Fails.', file: 'content/agents/broken.md', traits: ['t/x'], ok: false }],
      traits: [trait('t/x', { users: ['broken', 'ghost'], dependencies: ['t/gone'], includes: ['t/x'] })],
    }
    const page = (docsTarget.renderLibrary?.(context) ?? []).find((f) => f.path === 'docs/traits/t/x.md')
    expect(page?.text).toBe(
      [
        '---',
        'title: x',
        'description: Trait t/x.',
        'mdx:',
        '  format: md',
        '---',
        '',
        '- **Id:** `t/x`',
        '- **Version:** 1.0.0',
        '- **Category:** t',
        '- **Source:** `content/traits/t/x.md`',
        '',
        '## Used by',
        '',
        '- Broken',
        '- ghost',
        '',
        '## Depends on',
        '',
        '- t/gone (not found)',
        '',
        '## Includes',
        '',
        '- [t/x](x.md)',
        '',
        '## Text',
        '',
        'Text of t/x.',
        '',
      ].join('\n'),
    )
  })
})
