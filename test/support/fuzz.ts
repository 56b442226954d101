// Test support for the build fuzzer: random projects (Markdown, frontmatter, refs), how to build them, what to check.
import fc from 'fast-check'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Root, RootContent } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'
import { createTraitgen, type BuildResult, type UserConfig } from '../../src/index.js'
import { listFiles, makeProject, removeProject } from './project.js'

/** Every code a message may carry (spec); INTERNAL_ERROR is left out on purpose: it is a caught crash. */
export const knownCodes = new Set([
  'INVALID_ENCODING', 'PATH_OUTSIDE_ROOT', 'TRAIT_TOO_LARGE', 'MARKDOWN_TOO_DEEP', 'YAML_SYNTAX', 'YAML_LIMIT',
  'INVALID_FRONTMATTER', 'EMPTY_TRAIT', 'INVALID_REF', 'TRAIT_NOT_FOUND', 'TRAIT_AMBIGUOUS', 'VERSION_MISMATCH',
  'SECTION_NOT_FOUND', 'DEPENDENCY_CYCLE', 'TRAIT_CONFLICT', 'INVALID_INCLUDE', 'INCLUDE_DEPTH_EXCEEDED',
  'EXPANSION_LIMIT', 'UNDEFINED_VARIABLE', 'SIZE_LIMIT', 'DUPLICATE_AGENT', 'AGENT_NOT_FOUND', 'OUTPUT_CONFLICT',
  'TEMPLATE_NOT_FOUND', 'TEMPLATE_INVALID', 'PLUGIN_MESSAGE',
])

/** Trait ids of every generated project: two share the short name `one`, one sits at the top level. */
export const traitIds = ['a/one', 'a/two', 'b/three', 'b/one', 'four'] as const

// ---- refs ------------------------------------------------------------------------------------------

const slugs = ['intro', 'rules', 'section-a', 'nested', 'missing', 'alpha-beta', '']
const ranges = ['^1', '>=0.0.0', '1.x', '~2.0', '*', 'not-a-range', '', '^1 || ^2']

/** A ref: mostly ones that resolve (ids, short names, ranges, sections), sometimes any string at all. */
export const refArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom(...traitIds) },
  { weight: 2, arbitrary: fc.constantFrom('one', 'two', 'three', 'four', 'a/one', 'nope', 'a/nope', 'a/tw0') },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...traitIds, 'two', 'one'), fc.option(fc.constantFrom(...ranges), { nil: undefined }), fc.option(fc.constantFrom(...slugs), { nil: undefined })).map(
      ([id, range, slug]) => `${id}${range === undefined ? '' : `@${range}`}${slug === undefined ? '' : `#${slug}`}`,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('../a/one', '/etc/passwd', 'a\\one', 'http://x.test/a', 'file:///etc/passwd', './a/one', 'a//one', 'a/one.md', '@', '#', 'a/one#', 'a/one@', ' ', '__proto__', 'constructor', 'a/../b/three', '日本/語'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
)

// ---- YAML frontmatter ------------------------------------------------------------------------------

/** A YAML scalar written as YAML source: plain, quoted, odd. */
const yamlScalar = fc.oneof(
  fc.constantFrom('1', '1.10', '2', '1.0', '0.0.0', '1.2.3', 'true', 'no', 'null', '~', '-1', '.inf', '0x1F', '1e3', '"quoted"', "'single'", '""', '|\n  block text\n', '>-\n  folded\n', 'x: y', '"unclosed', '[unclosed', '{a: 1', '!!binary aGVsbG8=', '!custom tag', '!!js/function f', '*undefinedAlias', '&anchor value', '2001-12-14'),
  fc.stringMatching(/^[a-z][a-z0-9 _-]{0,12}$/),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
)

/** A YAML value of any type, as source text that follows `key:` (may start on the next line). */
const yamlValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    yamlScalar.map((s) => ` ${s}`),
    refArbitrary.map((r) => ` ${JSON.stringify(r)}`),
    fc.array(refArbitrary.map((r) => JSON.stringify(r)), { maxLength: 4 }).map((a) => ` [${a.join(', ')}]`),
    fc.array(refArbitrary.map((r) => JSON.stringify(r)), { minLength: 1, maxLength: 3 }).map((a) => `\n${a.map((r) => `  - ${r}`).join('\n')}`),
    fc.array(fc.tuple(fc.constantFrom('x', 'name', 'n_1', 'bad name', '__proto__', 'y-z'), tie('value')), { maxLength: 3 }).map((entries) => ` {${entries.map(([k, v]) => `${JSON.stringify(k)}:${v.includes('\n') ? ' null' : v}`).join(', ')}}`),
  ),
})).value

const knownTraitKeys = ['name', 'category', 'version', 'description', 'dependencies', 'conflicts', 'variables', 'export', 'estimated_size', 'performance_impact', 'tags']
const knownAgentKeys = ['name', 'description', 'imports', 'variables', 'targets', 'template', 'model', 'tools', 'color']
const oddKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'dependancies', 'varables', 'namee', 'desc', 'importz', '""', '"a:b"', '日本', '? complex', '<<', 'x']

/** One `key: value` entry, sometimes with an anchor, alias, merge key or repeated key. */
function yamlEntry(keys: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...keys), yamlValue).map(([k, v]) => `${k}:${v}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...oddKeys), yamlValue).map(([k, v]) => `${k}:${v}`) },
    { weight: 1, arbitrary: fc.constantFrom('base: &deps [a/one, a/two]\ndependencies: *deps', 'v: &v {x: 1}\nvariables: *v', '<<: {tags: [x]}', 'tags: *nowhere', 'a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\nf: &f [*e, *e]\ng: &g [*f, *f]\nh: &h [*g, *g]\ni: &i [*h, *h]\nj: &j [*i, *i]\nk: &k [*j, *j]\ntags: *k', 'name: x\nname: y', '\tname: tab', 'deep: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', ': no key', '- a list item') },
  )
}

/** Well-typed values of the known keys. */
const saneEntries: Array<[string, string]> = [
  ['name', 'special'], ['category', 'misc'], ['version', '1.0.0'], ['version', '1.10'], ['version', '2'], ['description', 'A described thing'],
  ['dependencies', '[a/two]'], ['dependencies', '[four, b/three]'], ['conflicts', '[b/one]'], ['variables', '{x: 1, name: N}'],
  ['export', 'Intro'], ['export', 'rules'], ['estimated_size', '10'], ['tags', '[a, b]'], ['performance_impact', '{speed: 1}'],
  ['model', 'sonnet'], ['tools', 'Read, Grep # a comment'], ['color', "'blue'"], ['targets', '[claude]'], ['template', 't'],
]

/** Frontmatter text (with its fences, or none, or broken fences) for a trait or an agent: mostly sane, often odd. */
function frontmatterArbitrary(keys: readonly string[]): fc.Arbitrary<string> {
  const sane = fc.uniqueArray(fc.constantFrom(...saneEntries.filter(([k]) => keys.includes(k) && (k !== 'name' && k !== 'description' || keys.includes('tags')))), { maxLength: 3, selector: ([k]) => k }).map((e) => e.map(([k, v]) => `${k}: ${v}`))
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: sane }, { weight: 2, arbitrary: fc.array(yamlEntry(keys), { maxLength: 4 }) }),
      fc.constantFrom('---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '...', 'none', 'unclosed', 'toml'),
    )
    .map(([entries, fence]) => {
      const yaml = entries.join('\n')
      switch (fence) {
        case 'none':
          return ''
        case 'unclosed':
          return `---\n${yaml}\n`
        case 'toml':
          return `+++\ntitle = "x"\n+++\n`
        case '...':
          return `---\n${yaml}\n...\n`
        default:
          return `---\n${yaml}\n---\n`
      }
    })
}

// ---- Markdown --------------------------------------------------------------------------------------

const variableNames = ['x', 'name', 'project_name', 'unknown_var', 'a-b', 'description']

/** Inline text: words, placeholders (good, unknown, escaped, not a name), emphasis, code, links, odd characters. */
const inline = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('alpha', 'beta', 'gamma delta', '*emph*', '**strong**', '`code`', '\\*escaped\\*', 'a_b_c', 'x  ', '&amp;', '<span>html</span>', 'ünïcödé', '😀', 'trailing\\') },
  { weight: 2, arbitrary: fc.constantFrom(...variableNames).chain((n) => fc.constantFrom(`{{ ${n} }}`, `{{${n}}}`, `\\{{ ${n} }}`, `\`{{ ${n} }}\``, '{{ user.name }}', '${{ secrets.X }}', '{{', '}}', '{{ }}')) },
  { weight: 1, arbitrary: fc.constantFrom('[rel](../docs/guide.md)', '[abs](https://example.com/x)', '[anchor](#intro)', '![img](./img.png)', '[ref][def]', '<https://auto.link>', '[{{ x }}](./{{ x }}.md)') },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('#', '*', '_', '-', '`', '~', '>', '|', '[', ']', '(', ')', '<', '!', '\\', '{', '}', ' ', 'a', ':', '=', '+', '.', '1', '\t') , maxLength: 12 }) },
)
const line = fc.array(inline, { minLength: 1, maxLength: 5 }).map((w) => w.join(' ').trimEnd() || 'text')
const headingText = fc.oneof(fc.constantFrom('Intro', 'Rules', 'Section A', 'Nested', 'Alpha Beta', 'Group', 'Tools', '{{ x }}', 'a/one', '`code` heading'), line)

/** One Markdown block of any common kind, including the ones that try to swallow what follows. */
export const blockArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.array(line, { minLength: 1, maxLength: 3 }).map((l) => l.join('\n')) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), headingText).map(([d, t]) => `${'#'.repeat(d)} ${t}`) },
  { weight: 1, arbitrary: fc.tuple(headingText, fc.constantFrom('===', '---', '-', '=')).map(([t, u]) => `${t}\n${u}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('-', '*', '+', '1.', '2)'), fc.array(line, { minLength: 1, maxLength: 3 })).map(([m, items]) => items.map((i) => `${m} ${i}`).join('\n')) },
  { weight: 1, arbitrary: fc.constantFrom('- outer\n  - inner\n    - deeper', '- [ ] task\n- [x] done', '1. one\n\n   para in item\n\n2. two', '- # heading in a list', '> # heading in a quote') },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('```', '~~~', '````', '```js', '~~~ md'), fc.array(fc.oneof(line, fc.constantFrom('# not a heading', '<!-- @include a/one -->', '{{ x }}', '---', '```')), { maxLength: 3 }), fc.boolean()).map(([f, ls, closed]) => `${f}\n${ls.join('\n')}${closed ? `\n${f.replace(/[a-z ]/g, '')}` : ''}`) },
  { weight: 1, arbitrary: fc.constantFrom('| a | b |\n|---|:-:|\n| 1 | {{ x }} |', '| only | header |\n|---|---|', '| broken |\n|--|--|--|\n| x |', 'a | b\n-- | --\nc | d') },
  { weight: 2, arbitrary: refArbitrary.chain((r) => fc.constantFrom(`<!-- @include ${r} -->`, `<!--@include ${r}-->`, `<!-- @include ${r} -->\ntext after`, `- <!-- @include ${r} -->`, `> <!-- @include ${r} -->`, `text <!-- @include ${r} -->`, `{/* @include ${r} */}`, `<!-- @include -->`, `<!-- @include ${r} ${r} -->`)) },
  { weight: 1, arbitrary: fc.constantFrom('<!-- a comment -->', '<!-- unclosed comment', '<!-- @body -->', '<!-- @slot tools -->', '<div>\n\n*md in html*\n\n</div>', '<pre>\nunclosed pre', '<details><summary>s</summary>') },
  { weight: 1, arbitrary: line.map((l) => `    ${l}`) },
  { weight: 1, arbitrary: line.map((l) => `> ${l}\nlazy continuation`) },
  { weight: 1, arbitrary: fc.constantFrom('***', '---', '___', '* * *', '[def]: ./def.md "title"', '[^1]: footnote', 'text[^1]', '\\', '', '   ', '\u00a0', '\u200b') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('>', '- ', '* ', '1. ', '[', '*', '`'), fc.integer({ min: 1, max: 400 })).map(([c, n]) => `${c.repeat(n)} deep`) },
)

/** A Markdown body: blocks separated by blank lines (or not, sometimes). */
export const bodyArbitrary: fc.Arbitrary<string> = fc.tuple(fc.array(blockArbitrary, { maxLength: 7 }), fc.constantFrom('\n\n', '\n\n', '\n')).map(([blocks, sep]) => blocks.join(sep))

/** Blocks that build: the same kinds, with includes well formed and nesting shallow (for the fidelity property). */
const friendlyBlock = fc.oneof(
  { weight: 12, arbitrary: blockArbitrary.filter((b) => !b.includes('@include') && !/^(\S+ ?)\1{10}/.test(b)) },
  { weight: 1, arbitrary: fc.constantFrom(...traitIds).map((id) => `<!-- @include ${id} -->`) },
)

/** A body that has content: a sentence first, then friendly blocks. */
export const friendlyBodyArbitrary: fc.Arbitrary<string> = fc.tuple(fc.array(friendlyBlock, { maxLength: 7 }), fc.constantFrom('\n\n', '\n\n', '\n')).map(([blocks, sep]) => ['Some text.', ...blocks].join(sep))

// ---- projects --------------------------------------------------------------------------------------

/** How a file's bytes are written: LF, CRLF, with a BOM, no final newline. */
const encodingArbitrary = fc.record({ crlf: fc.boolean(), bom: fc.boolean(), finalNewline: fc.boolean() })

function encode(text: string, { crlf, bom, finalNewline }: { crlf: boolean; bom: boolean; finalNewline: boolean }): string {
  let out = finalNewline ? (text.endsWith('\n') ? text : `${text}\n`) : text.replace(/\n+$/, '')
  if (crlf) out = out.replace(/\n/g, '\r\n')
  return bom ? `\uFEFF${out}` : out
}

const agentImports = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(fc.constantFrom('tools', 'rules', 'group', 'Group', 'a', 'nested', 'intro'), fc.array(refArbitrary, { maxLength: 4 })), { maxLength: 3 }).map((groups) => `imports:\n${groups.map(([g, refs]) => `  ${g}: [${refs.map((r) => JSON.stringify(r)).join(', ')}]`).join('\n')}`.replace(/imports:\n$/, 'imports: {}')) },
  { weight: 1, arbitrary: fc.constantFrom('imports: a/one', 'imports: [a/one]', 'imports: 3', 'imports:\n  tools: a/one', 'imports:\n  tools: [[a/one]]', 'imports: null', 'imports:\n  __proto__: [a/one]') },
)

/** A generated project: file map, config, strictness. */
export interface FuzzProject {
  files: Record<string, string>
  config: UserConfig
  strict: boolean
}

/** A whole random project: traits with chaotic frontmatter and bodies, agents with random imports, maybe a template. */
export const projectArbitrary: fc.Arbitrary<FuzzProject> = fc
  .record({
    traits: fc.uniqueArray(fc.tuple(fc.constantFrom(...traitIds), frontmatterArbitrary(knownTraitKeys), bodyArbitrary, encodingArbitrary), { minLength: 2, maxLength: 5, selector: ([id]) => id }),
    agents: fc.uniqueArray(
      fc.tuple(
        fc.constantFrom('agent', 'agent', 'team/lead', 'other', 'other', 'Agent'),
        fc.constantFrom('description: An agent\n', 'description: An agent\n', 'description: An agent\n', 'description: An agent\n', '', 'description: [not, a, string]\n', 'name: agent\ndescription: Same name\n'),
        agentImports,
        frontmatterArbitrary(knownAgentKeys),
        bodyArbitrary,
        encodingArbitrary,
      ),
      { minLength: 1, maxLength: 3, selector: ([id]) => id },
    ),
    template: fc.option(fc.tuple(bodyArbitrary, fc.constantFrom('<!-- @body -->', '<!-- @body -->\n\n<!-- @slot tools -->', '<!-- @slot tools -->', '<!-- @body -->\n\n<!-- @body -->')), { nil: undefined }),
    config: fc.record(
      {
        provenance: fc.boolean(),
        targets: fc.constantFrom<string[]>(['claude'], ['claude'], ['claude', 'docs']),
        variables: fc.dictionary(fc.constantFrom(...variableNames), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { maxKeys: 3 }),
        limits: fc.record({ includeDepth: fc.integer({ min: 1, max: 40 }), expandedBytes: fc.constantFrom(200, 5000, 5_000_000, 5_000_000), traitChars: fc.constantFrom(50, 1_000_000, 1_000_000, 1_000_000), lines: fc.constantFrom({ max: 5 }, { min: 1, max: 11000 }, { max: 11000 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['provenance', 'targets'] },
    ),
    configTemplate: fc.option(fc.constantFrom('t', 'missing'), { freq: 6, nil: undefined }),
    strict: fc.boolean(),
  })
  .map(({ traits, agents, template, config, configTemplate, strict }) => {
    const files: Record<string, string> = {}
    for (const [id, fm, body, enc] of traits) files[`content/traits/${id}.md`] = encode(`${fm}${fm ? '\n' : ''}${body}`, enc)
    for (const [id, fixed, imports, fm, body, enc] of agents) {
      // The agent's own keys go first so the random ones can collide with them (repeated keys, wrong types).
      const open = fm.startsWith('---\n') ? fm.slice(4) : fm === '' ? '' : null
      const text = open === null ? `${fm}\n${body}` : `---\n${fixed}${imports}\n${open}${open === '' ? '---\n' : ''}\n${body}`
      files[`content/agents/${id}.md`] = encode(text, enc)
    }
    if (template) files['content/templates/t.md'] = `---\ndescription: A template\n---\n\n${template[1]}\n\n${template[0]}\n`
    return { files, config: (configTemplate === undefined ? config : { ...config, template: configTemplate }) satisfies UserConfig, strict }
  })

// ---- the fidelity case: one agent importing well-formed traits whole --------------------------------

/** A project whose agent imports each trait whole (plain frontmatter), for the unchanged-lines property. */
export const wholeImportArbitrary: fc.Arbitrary<{ files: Record<string, string>; traits: Record<string, string> }> = fc
  .record({
    traits: fc.uniqueArray(fc.tuple(fc.constantFrom(...traitIds), friendlyBodyArbitrary, encodingArbitrary), { minLength: 1, maxLength: 4, selector: ([id]) => id }),
    group: fc.constantFrom('tools', 'rules', 'intro'),
    agentBody: friendlyBodyArbitrary,
    crlf: fc.boolean(),
  })
  .map(({ traits, group, agentBody, crlf }) => {
    // Every trait exists (so includes resolve) and every placeholder name has a value.
    const files: Record<string, string> = {}
    for (const id of traitIds) files[`content/traits/${id}.md`] = `Text of ${id}.\n`
    const bodies: Record<string, string> = {}
    const defaults = variableNames.map((n) => `  ${n}: V-${n}`).join('\n')
    for (const [id, body, enc] of traits) {
      bodies[id] = body
      files[`content/traits/${id}.md`] = encode(`---\nversion: 1.0.0\nvariables:\n${defaults}\n---\n\n${body}`, enc)
    }
    files['content/agents/agent.md'] = encode(`---\ndescription: d\nvariables:\n${defaults}\nimports:\n  ${group}: [${traits.map(([id]) => id).join(', ')}]\n---\n\n${agentBody}`, { crlf, bom: crlf, finalNewline: true })
    return { files, traits: bodies }
  })

// ---- building and checking -------------------------------------------------------------------------

/** What one build left behind: its messages and every output file (the build cache aside). */
export interface BuildSnapshot {
  result: BuildResult
  files: Record<string, string>
  ms: number
}

/** Build a project in `root` in-process and read back what it wrote. */
export async function buildSnapshot(root: string, project: Pick<FuzzProject, 'config' | 'strict'>): Promise<BuildSnapshot> {
  const start = performance.now()
  const traitgen = createTraitgen({ root, config: project.config, strict: project.strict })
  try {
    const result = await traitgen.build()
    const ms = performance.now() - start
    const files: Record<string, string> = {}
    for (const file of listFiles(root, 'output')) {
      if (/cache/i.test(file)) continue
      files[file] = readFileSync(path.join(root, file), 'utf8')
    }
    return { result, files, ms }
  } finally {
    await traitgen.close()
  }
}

/** The parts of a message that must be the same on every run. */
export function comparable(result: BuildResult): unknown {
  return {
    ok: result.ok,
    messages: result.messages,
    outputs: result.outputs.map((o) => ({ ...o })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    agents: result.agents,
  }
}

/** Problems with a build's messages: unknown codes, caught crashes, bad places. Empty when all is well. */
export function badMessages(result: BuildResult): string[] {
  const out: string[] = []
  for (const m of result.messages) {
    if (!knownCodes.has(m.code)) out.push(`unexpected code ${m.code}: ${m.file}:${m.line}:${m.column} ${m.message}`)
    if (!['error', 'warning', 'info'].includes(m.severity)) out.push(`bad severity ${m.severity}`)
    if (typeof m.file !== 'string' || !(m.line >= 1) || !(m.column >= 1)) out.push(`bad place ${m.file}:${m.line}:${m.column} (${m.code})`)
    if (typeof m.message !== 'string' || m.message.trim() === '') out.push(`empty text (${m.code})`)
  }
  return out
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)

/**
 * The lines of a body that the spec says come out byte-identical: not blank, not part of a heading
 * (ATX or setext, anywhere), not holding a placeholder, an include or a relative link.
 */
export function unchangedLines(body: string): string[] {
  const text = body.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const lines = text.split('\n')
  const skip = new Set<number>()
  const tree = parser.parse(text) as Root
  const mark = (node: RootContent | Root) => {
    const start = node.position?.start.line
    const end = node.position?.end.line
    if (start === undefined || end === undefined) return
    for (let l = start; l <= end; l++) skip.add(l - 1)
  }
  visit(tree, (node) => {
    if (node.type === 'heading') mark(node)
    if (node.type === 'html' && /@include/.test(node.value)) mark(node)
    if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && !/^([a-z][a-z0-9+.-]*:|#)/i.test(node.url)) mark(node)
  })
  return lines.filter((l, i) => !skip.has(i) && l.trim() !== '' && !l.includes('{{') && !l.includes('@include'))
}

/** Lines of `expected` missing from `output` (counting repeats). */
export function missingLines(expected: readonly string[], output: string): string[] {
  const have = new Map<string, number>()
  for (const l of output.split('\n')) have.set(l, (have.get(l) ?? 0) + 1)
  const missing: string[] = []
  for (const l of expected) {
    const n = have.get(l) ?? 0
    if (n === 0) missing.push(l)
    else have.set(l, n - 1)
  }
  return missing
}

/** Write a project to a new temporary folder (removed by the caller with `removeProject`). */
export function writeProject(files: Record<string, string>): string {
  return makeProject(files)
}

export { removeProject }

/** Long runs record the case in progress, so a hang leaves its input on disk. */
export function recordCase(file: string | undefined, data: unknown): void {
  if (!file) return
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(data, null, 1))
}
