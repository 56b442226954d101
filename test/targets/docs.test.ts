// Target `docs` (spec §6): page paths, frontmatter, links that resolve, the Mermaid graph, and agent pages from real builds.
import type { Link, Root } from 'mdast'
import path from 'node:path'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import { docsTarget } from '../../plugins/docs.js'
import { createTraitgen, type ComposedAgent, type LibraryAgent, type LibraryContext, type LibraryTrait, type SourceMap, type TargetFile } from '../../src/index.js'
import { agentFile, listFiles, readProjectFile, runCli, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()
const markdown = unified().use(remarkParse).use(remarkGfm)

const agent = (id: string, traits: string[], extra: Partial<LibraryAgent> = {}): LibraryAgent => ({
  id,
  name: id.slice(id.lastIndexOf('/') + 1),
  description: `Agent ${id}.`,
  file: `content/agents/${id}.md`,
  traits,
  ok: true,
  ...extra,
})

const trait = (id: string, extra: Partial<LibraryTrait> = {}): LibraryTrait => ({
  id,
  name: undefined,
  description: `About ${id}.`,
  version: '1.0.0',
  category: id.includes('/') ? id.slice(0, id.indexOf('/')) : 'general',
  file: `content/traits/${id}.md`,
  body: `Text of ${id}.\n`,
  dependencies: [],
  includes: [],
  users: [],
  ok: true,
  ...extra,
})

/** A library with nested agent and trait ids, a dependency, an include, an unused trait and a failed agent. */
function library(): LibraryContext {
  return {
    dir: 'site/docs',
    agents: [
      agent('team/reviewer', ['safety/destructive-actions', 'style/tone', 'style/deep/voice']),
      agent('writer', ['style/tone']),
      agent('broken', [], { ok: false }),
    ],
    traits: [
      trait('style/tone', {
        name: 'Tone',
        body: '# Tone\n\nSee [actions](../safety/destructive-actions.md) and [voice](deep/voice.md).\n',
        users: ['team/reviewer', 'writer'],
      }),
      trait('safety/destructive-actions', { dependencies: ['style/tone'], users: ['team/reviewer'], version: '2.1.0' }),
      trait('style/deep/voice', { includes: ['style/tone'], users: ['team/reviewer'] }),
      trait('misc/unused', { category: 'misc' }),
    ],
  }
}

/** The page paths renderAgent would add for the agents that built. */
const agentPages = (context: LibraryContext) => context.agents.filter((a) => a.ok).map((a) => `${context.dir}/agents/${a.id}.md`)

function frontmatterOf(text: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text)
  expect(match, text.slice(0, 200)).not.toBeNull()
  return parse((match as RegExpExecArray)[1] as string) as Record<string, unknown>
}

/** Every relative link destination in a page, resolved against the page's folder. */
function relativeLinks(file: TargetFile): string[] {
  const tree = markdown.parse(file.text) as Root
  const out: string[] = []
  visit(tree, 'link', (node: Link) => {
    if (/^[a-z]+:/i.test(node.url) || node.url.startsWith('#')) return
    out.push(path.posix.join(path.posix.dirname(file.path), decodeURI(node.url)))
  })
  return out
}

/** The mermaid block's node labels (by key) and edges (`from kind to`, labels). */
function mermaidOf(text: string): { nodes: Map<string, string>; edges: string[] } {
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(text)?.[1]
  expect(block).toBeDefined()
  const nodes = new Map<string, string>()
  const edges: string[] = []
  for (const line of (block as string).split('\n').slice(1)) {
    const node = /^ {2}(\w+)\(?\[?\(?\["(.*)"\]/.exec(line)
    if (node) nodes.set(node[1] as string, node[2] as string)
    const edge = /^ {2}(\w+) (-->|-\. include \.->) (\w+)$/.exec(line)
    if (edge) edges.push(`${nodes.get(edge[1] as string)} ${edge[2] === '-->' ? '->' : '..>'} ${nodes.get(edge[3] as string)}`)
  }
  return { nodes, edges }
}

describe('docs target: library pages', () => {
  it('writes the index and one page per trait, nested ids as folders', () => {
    const files = docsTarget.renderLibrary?.(library()) ?? []
    expect(files.map((f) => f.path)).toEqual([
      'site/docs/index.md',
      'site/docs/traits/misc/unused.md',
      'site/docs/traits/safety/destructive-actions.md',
      'site/docs/traits/style/deep/voice.md',
      'site/docs/traits/style/tone.md',
    ])
    for (const file of files) {
      expect(file.text.endsWith('\n') && !file.text.endsWith('\n\n'), file.path).toBe(true)
      expect(file.text.includes('\r'), file.path).toBe(false)
      expect(file.sourceMap).toBeUndefined()
    }
  })

  it('gives every page a title and a description in YAML frontmatter, and asks Docusaurus for CommonMark', () => {
    const files = docsTarget.renderLibrary?.(library()) ?? []
    const byPath = new Map(files.map((f) => [f.path, frontmatterOf(f.text)]))
    expect(byPath.get('site/docs/index.md')).toEqual({ title: 'Agent library', description: '3 agents and 4 traits, composed by traitgen.', mdx: { format: 'md' } })
    expect(byPath.get('site/docs/traits/style/tone.md')).toEqual({ title: 'Tone', description: 'About style/tone.', mdx: { format: 'md' } })
    // No name: the file name.
    expect(byPath.get('site/docs/traits/style/deep/voice.md')?.title).toBe('voice')
  })

  it('keeps awkward titles and descriptions YAML-safe and tables intact', () => {
    const awkward = 'yes: "quoted" | piped\n# not a heading'
    const context: LibraryContext = {
      dir: 'docs',
      agents: [agent('a', ['t/x'], { name: 'no', description: awkward })],
      traits: [trait('t/x', { name: '1.0', description: awkward, users: ['a'] })],
    }
    const files = docsTarget.renderLibrary?.(context) ?? []
    const page = files.find((f) => f.path === 'docs/traits/t/x.md') as TargetFile
    expect(frontmatterOf(page.text)).toMatchObject({ title: '1.0', description: awkward })
    const index = files.find((f) => f.path === 'docs/index.md') as TargetFile
    const tree = markdown.parse(index.text) as Root
    const rows: number[] = []
    visit(tree, 'tableRow', (row) => {
      rows.push(row.children.length)
    })
    expect(rows).toEqual([3, 3, 4, 4])
    expect(index.text).toContain('| [no](agents/a.md) | yes: "quoted" \\| piped # not a heading | 1 |')
  })

  it('links only to pages the same build produces (relative, nesting-aware)', () => {
    const context = library()
    const files = docsTarget.renderLibrary?.(context) ?? []
    const produced = new Set([...files.map((f) => f.path), ...agentPages(context)])
    const links = files.flatMap((f) => relativeLinks(f).map((to) => ({ from: f.path, to })))
    // Agents (2 built), traits (4) on the index; users, dependencies, includes and body links on trait pages.
    expect(links.length).toBe(14)
    for (const link of links) expect(produced.has(link.to), `${link.from} → ${link.to}`).toBe(true)
    const voice = files.find((f) => f.path.endsWith('style/deep/voice.md')) as TargetFile
    expect(voice.text).toContain('- [reviewer](../../../agents/team/reviewer.md)')
    expect(voice.text).toContain('## Includes\n\n- [style/tone](../tone.md)\n')
  })

  it('a trait page lists users, dependencies and the text as written; an unused trait says so', () => {
    const files = docsTarget.renderLibrary?.(library()) ?? []
    const text = (p: string) => (files.find((f) => f.path === p) as TargetFile).text
    expect(text('site/docs/traits/safety/destructive-actions.md')).toBe(
      [
        '---',
        'title: destructive-actions',
        'description: About safety/destructive-actions.',
        'mdx:',
        '  format: md',
        '---',
        '',
        '- **Id:** `safety/destructive-actions`',
        '- **Version:** 2.1.0',
        '- **Category:** safety',
        '- **Source:** `content/traits/safety/destructive-actions.md`',
        '',
        '## Used by',
        '',
        '- [reviewer](../../agents/team/reviewer.md)',
        '',
        '## Depends on',
        '',
        '- [style/tone](../style/tone.md)',
        '',
        '## Text',
        '',
        'Text of safety/destructive-actions.',
        '',
      ].join('\n'),
    )
    expect(text('site/docs/traits/misc/unused.md')).toContain('## Used by\n\nNo agent uses this trait.\n')
    expect(text('site/docs/traits/style/tone.md')).toContain('## Used by\n\n- [reviewer](../../agents/team/reviewer.md)\n- [writer](../../agents/writer.md)\n')
    expect(text('site/docs/traits/style/tone.md').endsWith('## Text\n\n# Tone\n\nSee [actions](../safety/destructive-actions.md) and [voice](deep/voice.md).\n')).toBe(true)
  })

  it('the index lists agents (failed ones unlinked) and traits by category', () => {
    const index = (docsTarget.renderLibrary?.(library()) ?? [])[0] as TargetFile
    expect(index.text).toContain(
      [
        '## Agents',
        '',
        '| Agent | Description | Traits |',
        '| --- | --- | --- |',
        '| broken (failed to build) | Agent broken. | — |',
        '| [reviewer](agents/team/reviewer.md) | Agent team/reviewer. | 3 |',
        '| [writer](agents/writer.md) | Agent writer. | 1 |',
      ].join('\n'),
    )
    const categories = [...index.text.matchAll(/^### (.*)$/gm)].map((m) => m[1])
    expect(categories).toEqual(['misc', 'safety', 'style'])
    expect(index.text).toContain('| [style/deep/voice](traits/style/deep/voice.md) | 1.0.0 | About style/deep/voice. | 1 |')
  })

  it('draws every trait, dependency, include and imported trait in the Mermaid graph', () => {
    const index = (docsTarget.renderLibrary?.(library()) ?? [])[0] as TargetFile
    const { nodes, edges } = mermaidOf(index.text)
    expect([...nodes.values()].sort()).toEqual(['broken', 'misc/unused@1.0.0', 'safety/destructive-actions@2.1.0', 'style/deep/voice@1.0.0', 'style/tone@1.0.0', 'team/reviewer', 'writer'])
    // Node ids are generated (t0, a0): never the ids themselves, whose `/`, `-` and `@` Mermaid would misread.
    for (const key of nodes.keys()) expect(key).toMatch(/^[ta]\d+$/)
    expect(edges.sort()).toEqual([
      'safety/destructive-actions@2.1.0 -> style/tone@1.0.0',
      'style/deep/voice@1.0.0 ..> style/tone@1.0.0',
      // An agent points at the traits nothing else it places needs.
      'team/reviewer -> safety/destructive-actions@2.1.0',
      'team/reviewer -> style/deep/voice@1.0.0',
      'writer -> style/tone@1.0.0',
    ])
  })

  it('is deterministic: input order does not matter', () => {
    const context = library()
    const reversed: LibraryContext = { ...context, agents: [...context.agents].reverse(), traits: [...context.traits].reverse() }
    expect(docsTarget.renderLibrary?.(reversed)).toEqual(docsTarget.renderLibrary?.(context))
  })

  it('an empty library still gets an index', () => {
    const files = docsTarget.renderLibrary?.({ dir: 'docs', agents: [], traits: [] }) ?? []
    expect(files.map((f) => f.path)).toEqual(['docs/index.md'])
    expect(files[0]?.text).toContain('## Agents\n\nNo agents.\n\n## Traits\n\nNo traits.\n')
    expect(files[0]?.text).not.toContain('mermaid')
  })
})

/** Output line `line` of a source map: `file:line`, or `generated`. */
function lookup(map: SourceMap, line: number): string {
  for (const [out, index, src, count] of map.runs) {
    if (line >= out && line < out + count) return index < 0 ? 'generated' : `${map.sources[index]}:${src + (line - out)}`
  }
  return 'unmapped'
}

describe('docs target: agent pages', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  /** Build a project with claude and docs targets; the composed agents the docs target was given, by id. */
  async function build(files: Record<string, string>): Promise<{ root: string; composed: Map<string, ComposedAgent> }> {
    const root = project(files)
    const composed = new Map<string, ComposedAgent>()
    const original = docsTarget.renderAgent.bind(docsTarget)
    vi.spyOn(docsTarget, 'renderAgent').mockImplementation((context) => {
      composed.set(context.composed.agent.id, context.composed)
      return original(context)
    })
    const traitgen = createTraitgen({ root, config: { targets: ['claude', 'docs'] } })
    const result = await traitgen.build()
    await traitgen.close()
    expect(result.messages).toEqual([])
    return { root, composed }
  }

  const files = {
    'content/traits/safety/destructive-actions.md': traitFile(
      'version: 1.2.0\ndescription: Ask before deleting anything.\ndependencies: [style/tone]',
      '## Ask first\n\nNever delete without asking. See [the guide](../../../docs/guide.md).\n\n## Undo\n\nPrefer reversible steps.\n',
    ),
    'content/traits/style/tone.md': traitFile('', 'Be brief and kind.\n'),
    'content/agents/team/lead.md': agentFile(
      'name: Team lead\nimports:\n  rules: [safety/destructive-actions#ask-first, safety/destructive-actions#undo]',
      '# Lead\n\nYou lead the team.\n\n## Rules\n',
    ),
    'content/agents/solo.md': agentFile('', 'Alone.\n'),
  }

  it('builds docs agent pages beside the claude outputs', async () => {
    const { root, composed } = await build(files)
    expect([...composed.keys()].sort()).toEqual(['solo', 'team/lead'])
    const page = readProjectFile(root, 'output/docs/agents/team/lead.md')
    expect(frontmatterOf(page)).toEqual({ title: 'Team lead', description: 'Test agent', mdx: { format: 'md' } })
    expect(page).toContain('You lead the team.')
  })

  it('lists each trait once, in placement order, linking to its page; then the expanded body', async () => {
    const { composed } = await build(files)
    const lead = composed.get('team/lead') as ComposedAgent
    const [file, ...rest] = docsTarget.renderAgent({ dir: 'site/docs', composed: lead, messages: [] })
    expect(rest).toEqual([])
    expect(file?.path).toBe('site/docs/agents/team/lead.md')
    const text = (file as TargetFile).text
    expect(text).toBe(
      [
        '---',
        'title: Team lead',
        'description: Test agent',
        'mdx:',
        '  format: md',
        '---',
        '',
        '## Traits',
        '',
        '- [style/tone](../../traits/style/tone.md) (0.0.0) — Be brief and kind.',
        '- [safety/destructive-actions](../../traits/safety/destructive-actions.md) (1.2.0) — Ask before deleting anything.',
        '',
        '# Lead',
        '',
        'You lead the team.',
        '',
        '## Rules',
        '',
        'Be brief and kind.',
        '',
        '### Ask first',
        '',
        // The trait's relative link, rewritten for the page's folder (root/docs/guide.md from site/docs/agents/team/).
        'Never delete without asking. See [the guide](../../../../docs/guide.md).',
        '',
        '### Undo',
        '',
        'Prefer reversible steps.',
        '',
      ].join('\n'),
    )
    const [link] = relativeLinks(file as TargetFile).filter((l) => l.endsWith('guide.md'))
    expect(link).toBe('docs/guide.md')
  })

  it('maps body lines to their sources and the page header to nothing', async () => {
    const { composed } = await build(files)
    const file = docsTarget.renderAgent({ dir: 'site/docs', composed: composed.get('team/lead') as ComposedAgent, messages: [] })[0] as TargetFile
    const lines = file.text.split('\n')
    const where = (needle: string) => lookup(file.sourceMap as SourceMap, lines.indexOf(needle) + 1)
    expect(where('## Traits')).toBe('generated')
    expect(where('title: Team lead')).toBe('generated')
    expect(where('# Lead')).toBe('content/agents/team/lead.md:8')
    expect(where('You lead the team.')).toBe('content/agents/team/lead.md:10')
    expect(where('Be brief and kind.')).toBe('content/traits/style/tone.md:1')
    expect(where('Prefer reversible steps.')).toBe('content/traits/safety/destructive-actions.md:13')
  })

  it('an agent without traits says so', async () => {
    const { composed } = await build(files)
    const file = docsTarget.renderAgent({ dir: 'docs', composed: composed.get('solo') as ComposedAgent, messages: [] })[0] as TargetFile
    expect(file.text).toBe('---\ntitle: solo\ndescription: Test agent\nmdx:\n  format: md\n---\n\n## Traits\n\nThis agent uses no traits.\n\nAlone.\n')
    expect(lookup(file.sourceMap as SourceMap, 12)).toBe('content/agents/solo.md:5')
  })
})

describe('docs target: end to end', () => {
  it('`traitgen build` writes the index, trait and agent pages, and every link between them resolves', () => {
    const root = project({
      'traitgen.config.mjs': "export default { targets: ['claude', 'docs'] }\n",
      'content/traits/safety/destructive-actions.md': traitFile('version: 1.2.0\ndependencies: [style/tone]', 'Never delete without asking.\n'),
      'content/traits/style/tone.md': traitFile('', 'Be brief and kind.\n'),
      'content/traits/misc/unused.md': traitFile('', 'Nobody imports me.\n'),
      'content/agents/team/lead.md': agentFile('imports:\n  rules: [safety/destructive-actions]', '# Lead\n\nYou lead.\n'),
    })
    const run = runCli(['build'], root)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const pages = listFiles(root, 'output/docs').filter((f) => !f.includes('.traitgen'))
    expect(pages).toEqual([
      'output/docs/agents/team/lead.md',
      'output/docs/index.md',
      'output/docs/traits/misc/unused.md',
      'output/docs/traits/safety/destructive-actions.md',
      'output/docs/traits/style/tone.md',
    ])
    const produced = new Set(pages)
    for (const file of pages) {
      const text = readProjectFile(root, file)
      expect(frontmatterOf(text)).toMatchObject({ title: expect.any(String), description: expect.any(String) })
      for (const to of relativeLinks({ path: file, text, sourceMap: undefined })) expect(produced.has(to), `${file} → ${to}`).toBe(true)
    }
    expect(readProjectFile(root, 'output/docs/traits/misc/unused.md')).toContain('No agent uses this trait.')
    expect(readProjectFile(root, 'output/docs/traits/style/tone.md')).toContain('- [lead](../../agents/team/lead.md)')
    expect(readProjectFile(root, 'output/docs/index.md')).toContain('```mermaid\ngraph LR\n')
    // The claude output is untouched by the second target.
    expect(readProjectFile(root, 'output/agents/team/lead.md')).toContain('name: lead\ndescription: Test agent\n')
  })
})
