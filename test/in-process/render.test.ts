// Rendering (spec §5 Links and Fidelity, §6) in process: link rewriting, the output frontmatter, joins
// between pieces, heading shifts, overlapping block edits, and the source map lookups blame relies on.
import { describe, expect, it } from 'vitest'
import { createTraitgen, type RenderMarkdownOptions, renderAgentMarkdown, type TargetDefinition, type TraitgenPlugin, type UserConfig } from '../../src/index.js'
import { lookupLine, remapSourceMap, type SourceMap } from '../../src/render/emitter.js'
import { rewriteLink } from '../../src/render/links.js'
import { agentFile, readProjectFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

/** Build a project in process; the claude output of agent `a` and the build result. */
async function buildA(files: Record<string, string>, config: UserConfig = {}) {
  const root = project(files)
  const tg = createTraitgen({ root, config })
  try {
    const result = await tg.build()
    return { result, text: result.ok ? readProjectFile(root, 'output/agents/a.md') : '' }
  } finally {
    await tg.close()
  }
}

describe('rewriteLink', () => {
  const from = 'content/traits/style/t.md'
  const to = 'output/agents/a.md'

  it.each(['', '#usage', '?tab=1', '/docs/guide.md', 'https://example.com/a.md', 'mailto:team@example.com', 'C:relative'])('leaves %j alone', (raw) => {
    expect(rewriteLink(raw, from, to)).toBe(raw)
  })

  it('rewrites a relative target to reach the same file from the output folder, keeping its query and anchor', () => {
    expect(rewriteLink('guide.md', from, to)).toBe('../../content/traits/style/guide.md')
    expect(rewriteLink('../shared/a.md?plain=1#top', from, to)).toBe('../../content/traits/shared/a.md?plain=1#top')
  })

  it('keeps a trailing slash, and a link to the output folder itself is `./`', () => {
    expect(rewriteLink('img/', from, to)).toBe('../../content/traits/style/img/')
    expect(rewriteLink('../../../output/agents/', from, to)).toBe('./')
  })

  it('a target in the same folder as the output is left as written', () => {
    expect(rewriteLink('./b.md#x', 'content/agents/a.md', 'content/agents/out.md')).toBe('./b.md#x')
  })

  it('mapLink publishes a target elsewhere: the link reaches the published path, `.` for the output folder itself', () => {
    const mapLink = (target: string) => (target.endsWith('.md') ? `site/traits/${target.split('/').pop()}` : target === 'content/traits/style' ? 'site/traits' : undefined)
    expect(rewriteLink('other.md#part', from, 'site/agents/a.md', mapLink)).toBe('../traits/other.md#part')
    expect(rewriteLink('.', from, 'site/traits/t.md', mapLink)).toBe('.')
    // Unmapped targets link the file itself.
    expect(rewriteLink('pic.png', from, 'site/agents/a.md', mapLink)).toBe('../../content/traits/style/pic.png')
  })
})

describe('the output frontmatter', () => {
  it('a flow-style frontmatter is written as YAML data: name, description, then the other keys; imports never', async () => {
    const { text } = await buildA({
      'content/traits/t/x.md': traitFile('', 'Trait text.\n'),
      'content/agents/a.md': '---\n{ model: sonnet, description: "Flow: agent", imports: { t: [x] }, tools: [Read, Grep] }\n---\n\nBody.\n',
    })
    expect(text).toBe('---\nname: a\ndescription: "Flow: agent"\nmodel: sonnet\ntools:\n  - Read\n  - Grep\n---\n\nBody.\n\n## T\n\nTrait text.\n')
  })

  it('a flow-style name is kept once, in front', async () => {
    const { text } = await buildA({ 'content/agents/a.md': '---\n{ description: D, name: a }\n---\n\nBody.\n' })
    expect(text).toBe('---\nname: a\ndescription: D\n---\n\nBody.\n')
  })

  it('an agent with no body and no imports is its frontmatter alone, with one final newline', async () => {
    const { text } = await buildA({ 'content/agents/a.md': agentFile('model: haiku', '') })
    expect(text).toBe('---\nname: a\ndescription: Test agent\nmodel: haiku\n---\n')
  })
})

describe('joins and shifts', () => {
  it('a list then a fenced code block from another file are joined by a blank line only (a fence cannot merge into a list)', async () => {
    const { text } = await buildA({
      'content/traits/t/list.md': traitFile('', '- one\n- two\n'),
      'content/traits/t/fence.md': traitFile('', '```sh\nmake\n```\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [list, fence]', '# A\n'),
    })
    expect(text).toContain('\n## T\n\n- one\n- two\n\n```sh\nmake\n```\n')
    expect(text).not.toContain('<!---->')
  })

  it('a list then an indented code block from another file are kept apart by an empty comment', async () => {
    const { text } = await buildA({
      'content/traits/t/list.md': traitFile('', '- one\n- two\n'),
      'content/traits/t/indented.md': traitFile('', '    make\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [list, indented]', '# A\n'),
    })
    expect(text).toContain('- one\n- two\n\n<!---->\n\n    make\n')
  })

  it('an empty ATX heading is shifted to an empty heading of the new depth', async () => {
    const { text } = await buildA({
      'content/traits/t/empty.md': traitFile('', '#\n\nUnder an empty heading.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [empty]', '# A\n'),
    })
    expect(text).toContain('\n## T\n\n###\n\nUnder an empty heading.\n')
  })

  it("with provenance, a group whose section holds another group's section lands after all of it", async () => {
    const { text } = await buildA(
      {
        'content/traits/t/inner.md': traitFile('version: 1.2.0', 'Inner text.\n'),
        'content/traits/t/outer.md': traitFile('', 'Outer text.\n'),
        'content/agents/a.md': agentFile('imports:\n  inner: [t/inner]\n  outer: [t/outer]', '## Outer\n\n### Inner\n\nOwn text.\n\n## Last\n'),
      },
      { provenance: true },
    )
    expect(text).toContain('## Outer\n\n### Inner\n\nOwn text.\n\n<!-- trait: t/inner@1.2.0 -->\n\nInner text.\n\n<!-- trait: t/outer@0.0.0 -->\n\nOuter text.\n\n## Last\n')
  })
})

describe('overlapping block edits', () => {
  const files = {
    'content/agents/a.md': agentFile('variables:\n  who: world', 'Hello {{ who }} today.\n'),
  }
  /** A plugin that replaces `from`…`until` (inclusive of `until`) in each block with `text`. */
  const replacing = (name: string, from: string, until: string, text: string, enforce?: 'pre'): TraitgenPlugin => ({
    name,
    ...(enforce ? { enforce } : {}),
    blockEdits(block) {
      const source = block.doc.file.text
      const start = source.indexOf(from)
      return start === -1 ? undefined : [{ start, end: source.indexOf(until, start) + until.length, text }]
    },
  })

  it('the edit that starts first wins; a later one inside it is dropped', async () => {
    const { text } = await buildA(files, { plugins: [replacing('greeting', 'Hello', '}}', 'Hi')] })
    expect(text.endsWith('\n\nHi today.\n')).toBe(true)
  })

  it("on a tie the earlier plugin's edit wins: the built-in interpolation before a normal plugin, a pre plugin before both", async () => {
    expect((await buildA(files, { plugins: [replacing('late', '{{', '}}', 'everyone')] })).text).toContain('Hello world today.')
    expect((await buildA(files, { plugins: [replacing('early', '{{', '}}', 'everyone', 'pre')] })).text).toContain('Hello everyone today.')
  })
})

describe('source map lookups', () => {
  const map: SourceMap = { sources: ['content/agents/a.md', 'content/traits/t/x.md'], runs: [[1, -1, 0, 4], [5, 0, 6, 3], [8, 1, 3, 2]] }

  it('lookupLine finds the source line of a mapped line, nothing for generated or unmapped lines', () => {
    expect(lookupLine(map, 6)).toEqual({ file: 'content/agents/a.md', line: 7 })
    expect(lookupLine(map, 9)).toEqual({ file: 'content/traits/t/x.md', line: 4 })
    expect(lookupLine(map, 2)).toBeUndefined()
    expect(lookupLine(map, 10)).toBeUndefined()
    // A run naming a source the map does not list (a damaged map) maps to nothing.
    expect(lookupLine({ sources: [], runs: [[1, 0, 1, 1]] }, 1)).toBeUndefined()
  })

  it('remapSourceMap follows each new line to its old source, merging runs and keeping generated lines generated', () => {
    // New lines: old 5, old 6, generated, old 2 (generated), old 8, old 9, a line past the old map.
    expect(remapSourceMap(map, [5, 6, 0, 2, 8, 9, 20])).toEqual({
      sources: map.sources,
      runs: [
        [1, 0, 6, 2],
        [3, -1, 0, 2],
        [5, 1, 3, 2],
        [7, -1, 0, 1],
      ],
    })
  })
})

describe('renderAgentMarkdown for a target of its own', () => {
  /** A target that renders each agent with `options`, into `<dir>/<id>.md`. */
  const target = (name: string, options: RenderMarkdownOptions): TargetDefinition => ({
    name,
    renderAgent: ({ dir, composed, messages }) => [{ path: `${dir}/${composed.agent.id}.md`, ...renderAgentMarkdown(composed, `${dir}/${composed.agent.id}.md`, messages, options) }],
  })
  const files = {
    'content/traits/t/linked.md': traitFile('', 'See [the guide](guide.md).\n'),
    'content/agents/a.md': agentFile('imports:\n  t: [linked]', 'Body.\n'),
  }

  it('frontmatter data with no defined value is an empty block; false is none; mapLink publishes link targets', async () => {
    const root = project(files)
    const plugin: TraitgenPlugin = {
      name: 'formats',
      targets: [
        target('empty-data', { frontmatter: { title: undefined } }),
        target('no-frontmatter', { frontmatter: false, mapLink: (file) => (file === 'content/traits/t/guide.md' ? 'site/guide.md' : undefined) }),
      ],
    }
    const tg = createTraitgen({ root, config: { targets: ['empty-data', 'no-frontmatter'], plugins: [plugin] } })
    expect((await tg.build()).ok).toBe(true)
    await tg.close()
    expect(readProjectFile(root, 'output/empty-data/a.md')).toBe('---\n---\n\nBody.\n\n## T\n\nSee [the guide](../../content/traits/t/guide.md).\n')
    expect(readProjectFile(root, 'output/no-frontmatter/a.md')).toBe('Body.\n\n## T\n\nSee [the guide](../../site/guide.md).\n')
  })
})
