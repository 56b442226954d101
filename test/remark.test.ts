// remarkTraitgen (spec §10): real unified pipelines over pages of a temporary project; exact Markdown out, exact messages.
import { utimesSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Root } from 'mdast'
import { toString as mdToString } from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import { unified } from 'unified'
import type { Node } from 'unist'
import { describe, expect, it } from 'vitest'
import { remarkTraitgen, TraitConfigError, type RemarkTraitgenOptions, type UserConfig } from '../src/index.js'
import { temporaryProjects, traitFile, writeFiles } from './support/project.js'

const project = temporaryProjects()

/** A small library: variables from the config and trait defaults, sections, nested includes, a dependency, broken traits. */
const library = {
  'traitgen.config.ts': "export default { variables: { product: 'Acme', audience: 'developers' } }\n",
  'content/traits/style/concise.md': traitFile(
    'variables:\n  tone: friendly\n  audience: everyone',
    '# Concise\n\nBe {{ tone }} with {{ audience }} using {{ product }}; write `{{ raw }}` as is.\n\n## Examples\n\n- Short answers.\n\n### Nested\n\nDeeper text.\n',
  ),
  'content/traits/style/footer.md': 'Footer for {{ product }}.\n\n<!-- @include concise#examples -->\n',
  'content/traits/style/deep.md': 'Read the [guide](../../../docs/guide.md).\n',
  'content/traits/style/polite.md': traitFile('dependencies: [concise]', 'Say please.\n'),
  'content/traits/style/broken-dep.md': traitFile('dependencies: [concise]', 'Broken.\n\n<!-- @include missing -->\n'),
  'content/traits/style/unknown-var.md': 'Hello {{ nobody }}.\n',
  'content/traits/bad/yaml.md': '---\nname: [oops\n---\n\nX.\n',
  'content/traits/cyc/a.md': 'A.\n\n<!-- @include b -->\n',
  'content/traits/cyc/b.md': 'B.\n\n<!-- @include a -->\n',
  'content/traits/chain/one.md': 'One.\n\n<!-- @include two -->\n',
  'content/traits/chain/two.md': 'Two.\n\n<!-- @include three -->\n',
  'content/traits/chain/three.md': 'Three.\n',
  'content/agents/helper.md': '---\ndescription: An agent, ignored by the plugin\n---\n\nBody.\n',
}

function pipeline(options: RemarkTraitgenOptions) {
  return unified().use(remarkParse).use(remarkTraitgen, options).use(remarkStringify)
}

/** Run the pipeline over a page at `docs/page.md` of the project. */
async function processPage(root: string, value: string, options: Partial<RemarkTraitgenOptions> = {}) {
  return pipeline({ root, ...options }).process({ path: path.join(root, 'docs/page.md'), value })
}

/** The messages as `[line, column, ruleId, reason]`, after checking that each is a traitgen warning. */
function messagesOf(file: { messages: Array<{ line?: number | undefined; column?: number | undefined; ruleId?: string | undefined; reason: string; source?: string | undefined; fatal?: boolean | null | undefined }> }) {
  for (const m of file.messages) {
    expect(m.source).toBe('traitgen')
    expect(m.fatal).toBe(false)
  }
  return file.messages.map((m) => [m.line, m.column, m.ruleId, m.reason])
}

describe('expanding includes in a Markdown page', () => {
  it('replaces the comment with the trait, shifted under the enclosing heading, variables from config over trait defaults', async () => {
    const root = project(library)
    const file = await processPage(root, '# Guide\n\n## Style\n\n<!-- @include style/concise -->\n\nAfter the include.\n')
    expect(String(file)).toBe(
      [
        '# Guide',
        '',
        '## Style',
        '',
        '### Concise',
        '',
        // `{{ raw }}` is in code: left as written, and no message (as traitgen without --verbose).
        'Be friendly with developers using Acme; write `{{ raw }}` as is.',
        '',
        '#### Examples',
        '',
        '* Short answers.',
        '',
        '##### Nested',
        '',
        'Deeper text.',
        '',
        'After the include.',
        '',
      ].join('\n'),
    )
    expect(messagesOf(file)).toEqual([])
  })

  it('sections, nested includes (short refs from the trait’s folder), no shift without a heading, depth capped at 6', async () => {
    const root = project(library)
    const page = ['Intro.', '', '<!-- @include style/concise#examples -->', '', '# Top', '', '<!-- @include style/footer -->', '', '###### Six', '', '<!-- @include concise -->', ''].join('\n')
    const file = await processPage(root, page)
    expect(String(file)).toBe(
      [
        'Intro.',
        '',
        // No heading before the include: the section keeps its own levels.
        '## Examples',
        '',
        '* Short answers.',
        '',
        '### Nested',
        '',
        'Deeper text.',
        '',
        '# Top',
        '',
        'Footer for Acme.',
        '',
        // footer's shallowest heading is the nested section's `##`: already one below `# Top`.
        '## Examples',
        '',
        '* Short answers.',
        '',
        '### Nested',
        '',
        'Deeper text.',
        '',
        '###### Six',
        '',
        '###### Concise',
        '',
        'Be friendly with developers using Acme; write `{{ raw }}` as is.',
        '',
        '###### Examples',
        '',
        '* Short answers.',
        '',
        '###### Nested',
        '',
        'Deeper text.',
        '',
      ].join('\n'),
    )
    expect(messagesOf(file)).toEqual([])
  })

  it('places an included trait’s dependencies before it, once per page, as in an agent', async () => {
    const root = project(library)
    // A failed include leaves nothing placed: concise still comes before polite.
    const file = await processPage(root, '<!-- @include style/broken-dep -->\n\n## A\n\n<!-- @include style/polite -->\n\n## B\n\n<!-- @include style/polite -->\n')
    expect(messagesOf(file)).toEqual([[1, 1, 'TRAIT_NOT_FOUND', 'content/traits/style/broken-dep.md:7:1: no trait "missing"; check the trait id']])
    expect(String(file)).toBe(
      [
        '<!-- @include style/broken-dep -->',
        '',
        '## A',
        '',
        '### Concise',
        '',
        'Be friendly with developers using Acme; write `{{ raw }}` as is.',
        '',
        '#### Examples',
        '',
        '* Short answers.',
        '',
        '##### Nested',
        '',
        'Deeper text.',
        '',
        'Say please.',
        '',
        '## B',
        '',
        'Say please.',
        '',
      ].join('\n'),
    )
  })

  it('rewrites a trait’s relative links for the page, and expands an include inside a list item', async () => {
    const root = project(library)
    const file = await processPage(root, '- Item:\n\n  <!-- @include style/deep -->\n')
    // content/traits/style/deep.md links ../../../docs/guide.md, which is docs/guide.md: beside the page.
    expect(String(file)).toBe('* Item:\n\n  Read the [guide](guide.md).\n')
  })

  it('a page without includes is left alone and never loads the project (even a broken one)', async () => {
    const root = project({ 'traitgen.config.ts': 'export default { nope: 1 }\n' })
    const file = await processPage(root, '# Plain\n\n<!-- a comment -->\n')
    expect(String(file)).toBe('# Plain\n\n<!-- a comment -->\n')
    expect(file.messages).toEqual([])
  })
})

describe('problems are messages at the comment, which stays in place', () => {
  it('each kind of problem: ruleId, line, column, and where in a trait it was found', async () => {
    const root = project(library)
    const page = [
      '# Problems', // 1
      '',
      '<!-- @include style/consise -->', // 3
      '',
      '<!-- @include ../traits/style/concise -->', // 5
      '',
      '<!-- @include style/concise#nope -->', // 7
      '',
      '<!-- @include style/concise@^2.0.0 -->', // 9
      '',
      '<!-- @include cyc/a -->', // 11
      '',
      '<!-- @include bad/yaml -->', // 13
      '',
      '<!-- @include style/unknown-var -->', // 15
      '',
      'Text <!-- @include style/concise --> inline.', // 17
      '',
      '> <!-- @include -->', // 19
      '',
      '<!-- @include style/deep -->', // 21: still expands
      '',
    ].join('\n')
    const file = await processPage(root, page)
    expect(messagesOf(file)).toEqual([
      [3, 1, 'TRAIT_NOT_FOUND', 'no trait "style/consise"; did you mean "style/concise", "style/polite"?'],
      [5, 1, 'INVALID_REF', 'ref "../traits/style/concise" contains ".."; refs are trait ids, not file paths'],
      [7, 1, 'SECTION_NOT_FOUND', 'trait "style/concise" has no section "#nope"; sections: concise, examples, nested'],
      [9, 1, 'VERSION_MISMATCH', 'trait "style/concise" is version 0.0.0, which does not satisfy "^2.0.0"; update the range or the trait'],
      [11, 1, 'DEPENDENCY_CYCLE', 'content/traits/cyc/b.md:3:1: dependency cycle: cyc/a → cyc/b → cyc/a; remove one of these dependencies or includes'],
      [
        13,
        1,
        'YAML_SYNTAX',
        'content/traits/bad/yaml.md:3:1: invalid YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
      [
        15,
        1,
        'UNDEFINED_VARIABLE',
        `content/traits/style/unknown-var.md:1:7: undefined variable "nobody"; define it in the agent's variables, the config's variables or the trait's variables, or write \\{{ to keep the braces`,
      ],
      [17, 6, 'INVALID_INCLUDE', 'an include must be an HTML comment alone in its own block: <!-- @include <ref> -->'],
      [19, 3, 'INVALID_INCLUDE', 'an include must be an HTML comment alone in its own block: <!-- @include <ref> -->'],
    ])
    // The whole place of the comment, for editors.
    expect(file.messages[0]?.place).toEqual({ start: { line: 3, column: 1, offset: 12 }, end: { line: 3, column: 32, offset: 43 } })
    expect(String(file)).toBe(
      [
        '# Problems',
        '',
        '<!-- @include style/consise -->',
        '',
        '<!-- @include ../traits/style/concise -->',
        '',
        '<!-- @include style/concise#nope -->',
        '',
        '<!-- @include style/concise@^2.0.0 -->',
        '',
        '<!-- @include cyc/a -->',
        '',
        '<!-- @include bad/yaml -->',
        '',
        '<!-- @include style/unknown-var -->',
        '',
        'Text <!-- @include style/concise --> inline.',
        '',
        '> <!-- @include -->',
        '',
        'Read the [guide](guide.md).',
        '',
      ].join('\n'),
    )
  })

  it('include depth and expansion size come from the config (here the `config` option)', async () => {
    const root = project(library)
    const deep = await processPage(root, '<!-- @include chain/one -->\n', { config: { limits: { includeDepth: 2 } } as UserConfig })
    expect(messagesOf(deep)).toEqual([
      [
        1,
        1,
        'INCLUDE_DEPTH_EXCEEDED',
        'content/traits/chain/two.md:3:1: includes nest more than 2 levels (chain/one → chain/two); flatten them or raise limits.includeDepth',
      ],
    ])
    expect(String(deep)).toBe('<!-- @include chain/one -->\n')
    // The limit covers the page; a failed include gives its bytes back, so a small one after it still fits.
    const big = await processPage(root, '<!-- @include chain/one -->\n\n<!-- @include chain/three -->\n', { config: { limits: { expandedBytes: 12 } } as UserConfig })
    expect(messagesOf(big)).toEqual([
      [1, 1, 'EXPANSION_LIMIT', "the page's includes pass limits.expandedBytes (12 bytes); check for include chains, or raise the limit"],
    ])
    expect(String(big)).toBe('<!-- @include chain/one -->\n\nThree.\n')
  })

  it('failOnError: the page fails with the first error as a fatal message', async () => {
    const root = project(library)
    const error = await processPage(root, '# T\n\n<!-- @include style/deep -->\n\n<!-- @include nope/missing -->\n', { failOnError: true }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      fatal: true,
      ruleId: 'TRAIT_NOT_FOUND',
      source: 'traitgen',
      line: 5,
      column: 1,
      reason: 'no trait "nope/missing"; check the trait id',
    })
  })
})

describe('the MDX form', () => {
  /** `## Tabs`, `<TabItem>{/* @include style/deep *\/}</TabItem>`, then flow and text expressions, as remark-mdx builds them. */
  function mdxPage(): Root {
    const at = (line: number, column: number, length: number) => ({
      start: { line, column, offset: 0 },
      end: { line, column: column + length, offset: 0 },
    })
    const flow = (value: string, line: number, column: number) => ({ type: 'mdxFlowExpression', value, position: at(line, column, value.length + 2) })
    return {
      type: 'root',
      children: [
        { type: 'heading', depth: 2, children: [{ type: 'text', value: 'Tabs' }], position: at(1, 1, 7) },
        {
          type: 'mdxJsxFlowElement',
          name: 'TabItem',
          attributes: [],
          children: [flow('/* @include style/deep */', 4, 3)],
          position: at(3, 1, 10),
        },
        flow('/* @include style/concise#examples */', 7, 1),
        flow('/* @include style/missing */', 9, 1),
        flow('/* just a comment */', 11, 1),
        {
          type: 'paragraph',
          children: [{ type: 'text', value: 'Inline ' }, { type: 'mdxTextExpression', value: '/* @include style/deep */', position: at(13, 8, 27) }],
        },
      ],
    } as unknown as Root
  }

  async function run(root: string, tree: Root) {
    const processor = unified().use(remarkTraitgen, { root })
    return new Promise<{ tree: Root; file: Parameters<typeof messagesOf>[0] }>((resolve, reject) => {
      processor.run(tree, { path: path.join(root, 'docs/tabs.mdx') }, (error, result, file) => {
        if (error || !result || !file) reject(error ?? new Error('no result'))
        else resolve({ tree: result, file })
      })
    })
  }

  it('expands `{/* @include ref */}` in place, inside JSX elements too, with nodes that have no positions', async () => {
    const root = project(library)
    const { tree, file } = await run(root, mdxPage())
    const summary = (node: Node): unknown => {
      const n = node as Node & { depth?: number; children?: Node[]; value?: string; name?: string }
      if (n.type === 'heading') return `h${n.depth}: ${mdToString(n)}`
      if (n.type === 'paragraph') return `p: ${mdToString(n)}`
      if (n.type === 'list') return `list: ${mdToString(n)}`
      if (n.type === 'mdxJsxFlowElement') return { [n.name ?? '']: (n.children ?? []).map(summary) }
      return `${n.type}: ${n.value ?? ''}`
    }
    expect(tree.children.map(summary)).toEqual([
      'h2: Tabs',
      { TabItem: ['p: Read the guide.'] },
      // `## Examples` under `## Tabs`: shifted one level, its sub-section with it.
      'h3: Examples',
      'list: Short answers.',
      'h4: Nested',
      'p: Deeper text.',
      'mdxFlowExpression: /* @include style/missing */',
      'mdxFlowExpression: /* just a comment */',
      'p: Inline /* @include style/deep */',
    ])
    const item = tree.children[1] as unknown as { children: Array<{ position?: unknown; children: Array<{ type: string; url?: string }> }> }
    expect(item.children[0]?.position).toBeUndefined()
    expect(item.children[0]?.children[1]).toMatchObject({ type: 'link', url: 'guide.md' })
    expect(messagesOf(file)).toEqual([
      [9, 1, 'TRAIT_NOT_FOUND', 'no trait "style/missing"; check the trait id'],
      [13, 8, 'INVALID_INCLUDE', 'an include must be an MDX comment alone in its own block: {/* @include <ref> */}'],
    ])
  })
})

describe('a docs build over time', () => {
  it('sees an edited trait, a new trait and an edited config on the next run of the same processor', async () => {
    const root = project(library)
    const processor = pipeline({ root })
    const page = { path: path.join(root, 'docs/page.md'), value: '<!-- @include style/deep -->\n\n<!-- @include style/new -->\n\n<!-- @include style/footer -->\n' }
    const first = await processor.process({ ...page })
    expect(messagesOf(first)).toEqual([[3, 1, 'TRAIT_NOT_FOUND', 'no trait "style/new"; did you mean "style/deep"?']])
    expect(String(first).split('\n')[0]).toBe('Read the [guide](guide.md).')

    writeFiles(root, { 'content/traits/style/deep.md': 'Edited text.\n', 'content/traits/style/new.md': 'Brand new.\n' })
    const second = await processor.process({ ...page })
    expect(messagesOf(second)).toEqual([])
    expect(String(second)).toBe(
      ['Edited text.', '', 'Brand new.', '', 'Footer for Acme.', '', '## Examples', '', '* Short answers.', '', '### Nested', '', 'Deeper text.', ''].join('\n'),
    )

    const config = path.join(root, 'traitgen.config.ts')
    writeFiles(root, { 'traitgen.config.ts': "export default { variables: { product: 'Zenith' } }\n" })
    // Make sure the change is visible even on a file system with coarse timestamps.
    utimesSync(config, new Date(), new Date(Date.now() + 5000))
    const third = await processor.process({ ...page })
    expect(messagesOf(third)).toEqual([])
    expect(String(third)).toBe(
      ['Edited text.', '', 'Brand new.', '', 'Footer for Zenith.', '', '## Examples', '', '* Short answers.', '', '### Nested', '', 'Deeper text.', ''].join('\n'),
    )
  })
})

describe('options', () => {
  it('a missing or unusable option throws, quoting the value', () => {
    const root = project({ 'content/traits/x/x.md': 'X.\n', 'file.txt': 'not a folder' })
    const attempt = (options: unknown) => () => remarkTraitgen(options as RemarkTraitgenOptions)
    expect(attempt(undefined)).toThrow('remarkTraitgen: expected options with a `root` folder, not `undefined`')
    expect(attempt({})).toThrow('remarkTraitgen: expected `root` to be a folder path or file: URL, not `undefined`')
    expect(attempt({ root: 42 })).toThrow('remarkTraitgen: expected `root` to be a folder path or file: URL, not `42`')
    expect(attempt({ root: path.join(root, 'missing') })).toThrow(`remarkTraitgen: expected \`root\` to be a folder, not \`${path.join(root, 'missing')}\``)
    expect(attempt({ root: path.join(root, 'file.txt') })).toThrow(TraitConfigError)
    expect(attempt({ root, configPath: 7 })).toThrow('remarkTraitgen: expected `configPath` to be a file path, not `7`')
    expect(attempt({ root, config: 'traitgen.config.ts' })).toThrow('remarkTraitgen: expected `config` to be a config object, not `traitgen.config.ts`')
    expect(attempt({ root, failOnError: 'yes' })).toThrow('remarkTraitgen: expected `failOnError` to be a boolean, not `yes`')
    // Thrown when the processor is frozen, as unified runs attachers.
    expect(() => unified().use(remarkParse).use(remarkTraitgen, { root: path.join(root, 'missing') }).freeze()).toThrow(/expected `root` to be a folder/)
  })

  it('root may be a file: URL (Astro configs use import.meta.url)', async () => {
    const root = project(library)
    const file = await processPage(root, '<!-- @include style/deep -->\n', { root: pathToFileURL(root) })
    expect(String(file)).toBe('Read the [guide](guide.md).\n')
  })

  it('a broken config throws on the first page that needs it (misuse of the project, not a content problem)', async () => {
    const root = project({ ...library, 'traitgen.config.ts': 'export default { variabels: {} }\n' })
    const error = await processPage(root, '<!-- @include style/deep -->\n').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TraitConfigError)
    expect((error as TraitConfigError).code).toBe('INVALID_CONFIG')
  })
})
