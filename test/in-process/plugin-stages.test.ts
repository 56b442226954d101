// Plugin stages and validators (spec §9) in process: vfile messages of every severity and place, plugins that
// throw anything, validators' messages and codes, and target output that the plugins cannot parse.
import type { Root } from 'mdast'
import { describe, expect, it } from 'vitest'
import type { VFile } from 'vfile'
import type { Message, TargetDefinition, TraitgenPlugin, SourceMap, UserConfig, ValidatedDocument } from '../../src/index.js'
import { lookupLine } from '../../src/render/emitter.js'
import { buildAt } from '../support/in-process.js'
import { agentFile, readProjectFile, temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

const content = {
  'content/agents/a.md': agentFile('name: a', '# A\n\nFirst paragraph.\n\nSecond paragraph.\n'),
}

async function build(config: UserConfig, files: Record<string, string> = content) {
  const root = project(files)
  return { root, result: await buildAt(root, config) }
}

const brief = (messages: readonly Message[]) => messages.map((m) => ({ severity: m.severity, code: m.code, file: m.file, line: m.line, column: m.column, message: m.message }))

/** A document-stage plugin whose transformer is `run`. */
const documentPlugin = (name: string, run: (tree: Root, file: VFile) => void): TraitgenPlugin => ({ name, document: [() => run] })

describe('vfile messages from a stage', () => {
  it('fatal true is an error, false a warning, unset info; at their place, or 1:1 without one; with the rule id when given', async () => {
    const { result } = await build({
      plugins: [
        documentPlugin('lint', (tree, file) => {
          const paragraph = tree.children.find((n) => n.type === 'paragraph')
          file.message('first paragraph noted', { place: paragraph?.position, ruleId: 'noted' })
          file.info('an info without a place')
          const fatal = file.message('a fatal one on line 9', { place: { line: 9, column: 4 }, ruleId: 'fatal' })
          fatal.fatal = true
        }),
      ],
    })
    expect(result.ok).toBe(false)
    expect(brief(result.messages)).toEqual([
      { severity: 'info', code: 'PLUGIN_MESSAGE', file: 'output/agents/a.md', line: 1, column: 1, message: 'an info without a place (lint)' },
      { severity: 'warning', code: 'PLUGIN_MESSAGE', file: 'output/agents/a.md', line: 8, column: 1, message: 'first paragraph noted (lint:noted)' },
      { severity: 'error', code: 'PLUGIN_MESSAGE', file: 'output/agents/a.md', line: 9, column: 4, message: 'a fatal one on line 9 (lint:fatal)' },
    ])
    expect(result.messages[1]?.context).toEqual({ plugin: 'lint', ruleId: 'noted' })
    expect(result.messages[0]?.context).toEqual({ plugin: 'lint' })
    expect(result.agents.failed).toEqual(['a'])
  })

  it('a plugin that throws something that is not an Error is PLUGIN_ERROR at the agent, quoting what it threw; its messages so far are kept', async () => {
    const { result } = await build({
      plugins: [
        documentPlugin('thrower', (_tree, file) => {
          file.message('before the throw')
          throw 'no headings allowed'
        }),
      ],
    })
    expect(brief(result.messages)).toEqual([
      {
        severity: 'error',
        code: 'PLUGIN_ERROR',
        file: 'content/agents/a.md',
        line: 1,
        column: 1,
        message: 'plugin "thrower" failed on output/agents/a.md: no headings allowed; fix the plugin, or remove it from the config\'s plugins',
      },
      { severity: 'warning', code: 'PLUGIN_MESSAGE', file: 'output/agents/a.md', line: 1, column: 1, message: 'before the throw (thrower)' },
    ])
  })
})

describe('validators', () => {
  it('a valid code is kept as is; an invalid or missing one becomes PLUGIN_MESSAGE naming the plugin; undefined is no message', async () => {
    const validators: TraitgenPlugin[] = [
      { name: 'quiet', validate: () => undefined },
      {
        name: 'house-rules',
        validate: (doc) => [
          { code: 'HOUSE_RULE', message: `${doc.path} breaks a house rule`, severity: 'warning', line: 2 },
          { code: 'not-a-code', message: 'lower-case code', severity: 'info', ruleId: 'style' },
          { message: 'no code at all', severity: 'info', file: 'elsewhere.md', line: 3, column: 5, context: { extra: true } },
        ],
      },
    ]
    const { result } = await build({ plugins: validators })
    expect(result.ok).toBe(true)
    expect(brief(result.messages)).toEqual([
      { severity: 'info', code: 'PLUGIN_MESSAGE', file: 'content/agents/a.md', line: 1, column: 1, message: 'lower-case code (house-rules:style)' },
      { severity: 'warning', code: 'HOUSE_RULE', file: 'content/agents/a.md', line: 2, column: 1, message: 'output/agents/a.md breaks a house rule' },
      { severity: 'info', code: 'PLUGIN_MESSAGE', file: 'elsewhere.md', line: 3, column: 5, message: 'no code at all (house-rules)' },
    ])
    // A message with its own code carries no plugin context unless it gave one.
    expect(result.messages[1]?.context).toBeUndefined()
    expect(result.messages[0]?.context).toEqual({ plugin: 'house-rules', ruleId: 'style' })
    expect(result.messages[2]?.context).toEqual({ extra: true, plugin: 'house-rules' })
  })
})

/** A target that writes `text` for every agent, without a source map. */
const plainTarget = (text: string): TargetDefinition => ({
  name: 'plain',
  renderAgent: ({ dir, composed }) => [{ path: `${dir}/${composed.agent.id}.md`, text, sourceMap: undefined }],
})

describe('target output and the document stage', () => {
  it('a target file without a source map that a plugin edits is written edited, still without a map', async () => {
    const upper = documentPlugin('upper', (tree) => {
      for (const node of tree.children) if (node.type === 'heading') node.depth = 2
    })
    const { root, result } = await build({ targets: ['plain'], plugins: [{ name: 'plain-target', targets: [plainTarget('# Title\n\nText.\n')] }, upper] })
    expect(result.ok).toBe(true)
    expect(readProjectFile(root, 'output/plain/a.md')).toBe('## Title\n\nText.\n')
    const map = JSON.parse(readProjectFile(root, 'output/.traitgen/sourcemap.json')) as Record<string, unknown>
    expect(map['output/plain/a.md']).toBeUndefined()
  })

  it('target output the plugins cannot parse fails the agent with the parse problem at the output', async () => {
    const deep = `${'>'.repeat(120)} too deep\n`
    const { result } = await build({ targets: ['plain'], plugins: [{ name: 'plain-target', targets: [plainTarget(deep)] }, documentPlugin('noop', () => {})] })
    expect(result.agents.failed).toEqual(['a'])
    expect(result.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code}`)).toEqual(['output/plain/a.md:1:1 MARKDOWN_TOO_DEEP'])
  })

  it('a validator that reads the tree of output it cannot parse sees an empty tree', async () => {
    const seen: number[] = []
    const { result } = await build({
      targets: ['plain'],
      plugins: [{ name: 'plain-target', targets: [plainTarget(`${'>'.repeat(120)} too deep\n`)] }, { name: 'count', validate: (doc: ValidatedDocument) => void seen.push(doc.tree.children.length) }],
    })
    expect(result.ok).toBe(true)
    expect(seen).toEqual([0])
  })
})

describe('an output plugin that changes the first node', () => {
  it('re-serialises the frontmatter only: the body stays byte-identical and still maps to its source lines', async () => {
    const reviewed: TraitgenPlugin = {
      name: 'reviewed',
      output: [
        () => (tree: Root) => {
          const first = tree.children[0]
          if (first?.type === 'yaml') first.value += '\nreviewed: true'
        },
      ],
    }
    const { root, result } = await build({ plugins: [reviewed] })
    expect(result.ok).toBe(true)
    expect(readProjectFile(root, 'output/agents/a.md')).toBe('---\nname: a\ndescription: Test agent\nreviewed: true\n---\n\n# A\n\nFirst paragraph.\n\nSecond paragraph.\n')
    const maps = JSON.parse(readProjectFile(root, 'output/.traitgen/sourcemap.json')) as Record<string, SourceMap>
    const map = maps['output/agents/a.md'] as SourceMap
    // Output line 7 is `# A`, line 9 the first paragraph: lines 6 and 8 of the agent file.
    expect([7, 9, 11].map((line) => lookupLine(map, line))).toEqual([
      { file: 'content/agents/a.md', line: 6 },
      { file: 'content/agents/a.md', line: 8 },
      { file: 'content/agents/a.md', line: 10 },
    ])
  })
})
