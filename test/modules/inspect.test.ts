// The inspect helpers in-process: sizes of traits and sections, blame over a source map, graph formats of odd graphs.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProjectConfig } from '../../src/config/load.js'
import { blame } from '../../src/inspect/blame.js'
import { initProject } from '../../src/inspect/init.js'
import { agentSubgraph, toDot, toMermaid } from '../../src/inspect/graph-format.js'
import { sizeOf, traitContent } from '../../src/inspect/sizes.js'
import { createSourceFile } from '../../src/model/source.js'
import { stableJson } from '../../src/output/manifest.js'
import { parseDocument, type ParsedDoc } from '../../src/parse/document.js'
import { buildTrait } from '../../src/parse/trait.js'
import type { TraitGraph } from '../../src/traitgen.js'
import { listFiles, temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

function trait(text: string) {
  const doc = parseDocument(createSourceFile('content/traits/t/x.md', '/x.md', text)).doc as ParsedDoc
  return buildTrait('t/x', doc, { strict: false })
}

describe('sizes', () => {
  it('counts lines with or without a final newline, and none in an empty text', () => {
    expect([sizeOf(''), sizeOf('one\ntwo'), sizeOf('one\ntwo\n')].map((s) => [s.lines, s.bytes])).toEqual([
      [0, 0],
      [2, 7],
      [2, 8],
    ])
    expect(sizeOf('').tokens).toBe(0)
  })

  it('a section is its heading to the next heading of the same or a higher level, or to the end', () => {
    const t = trait('# Guide\n\nIntro.\n\n## Steps\n\nStep one.\n\n### Detail\n\nMore.\n\n## Last\n\nEnd.\n')
    const [, steps, , last] = t.doc.headings
    expect(traitContent(t, steps)).toBe('## Steps\n\nStep one.\n\n### Detail\n\nMore.\n')
    expect(traitContent(t, last)).toBe('## Last\n\nEnd.\n')
    expect(traitContent(t)).toBe(`${t.doc.file.text.slice(0, -1)}\n`)
  })

  it('an exported section without content, or a trait without a body, contributes nothing', () => {
    expect(traitContent(trait('---\nexport: Empty\n---\n\n## Empty\n'))).toBe('')
    expect(traitContent(trait('---\nversion: 1.0.0\n---\n'))).toBe('')
  })
})

describe('blame', () => {
  async function built() {
    const map = { sources: ['content/agents/a.md', 'content/traits/t/gone.md'], runs: [[1, 0, 2, 2], [3, -1, 0, 1], [4, 1, 7, 1]] }
    const root = project({
      'content/agents/a.md': '---\nFirst source line.\nSecond source line.\n',
      'output/agents/a.md': 'first\nsecond\n## Generated\nfrom a file now gone\n',
      'output/.traitgen/sourcemap.json': stableJson({ 'output/agents/a.md': map }),
    })
    return { root, config: await loadProjectConfig(root, { inline: {} }) }
  }

  it('maps an output line to its source line, a generated line to traitgen, and line 1 when none is given', async () => {
    const { root, config } = await built()
    expect(blame(config, 'output/agents/a.md:2', root)).toEqual({ kind: 'source', output: 'output/agents/a.md', line: 2, file: 'content/agents/a.md', sourceLine: 3, text: 'Second source line.' })
    expect(blame(config, 'output/agents/a.md:3', root)).toEqual({ kind: 'generated', output: 'output/agents/a.md', line: 3, text: '## Generated' })
    expect(blame(config, path.join(root, 'output/agents/a.md'), path.join(root, 'content'))).toMatchObject({ kind: 'source', line: 1, sourceLine: 2, text: 'First source line.' })
  })

  it('a source that is gone gives an empty text; a line past the end and a file without a map are unknown, with the reason', async () => {
    const { root, config } = await built()
    expect(blame(config, 'output/agents/a.md:4', root)).toMatchObject({ kind: 'source', file: 'content/traits/t/gone.md', sourceLine: 7, text: '' })
    expect(blame(config, 'output/agents/a.md:9', root)).toEqual({ kind: 'unknown', output: 'output/agents/a.md', line: 9, reason: 'output/agents/a.md has 4 lines' })
    expect(blame(config, 'content/agents/a.md:1', root)).toEqual({
      kind: 'unknown',
      output: 'content/agents/a.md',
      line: 1,
      reason: 'content/agents/a.md is not an output traitgen wrote (no source map); run traitgen build',
    })
  })
})

describe('graph formats', () => {
  const graph: TraitGraph = {
    nodes: [
      { id: 'say "hi"', version: '1.0.0', category: 'x' },
      { id: 'back\\slash', version: '0.0.0', category: 'x' },
    ],
    edges: [
      { from: 'say "hi"', to: 'back\\slash', kind: 'include' },
      { from: 'say "hi"', to: 'not/a-node', kind: 'dependency' },
    ],
    agents: { 'my "agent"': ['say "hi"', 'back\\slash', 'not/a-node'] },
    templates: { 'my "agent"': 'house' },
  }

  it('Mermaid quotes double quotes and leaves out edges to traits that are not nodes', () => {
    expect(toMermaid(graph)).toBe(
      'graph LR\n  t0["say #quot;hi#quot;@1.0.0"]\n  t1["back\\slash@0.0.0"]\n  a0(["my #quot;agent#quot;"])\n  t0 -. include .-> t1\n  a0 --> t0\n',
    )
  })

  it('DOT escapes quotes and backslashes, and keeps every edge', () => {
    expect(toDot(graph)).toBe(
      [
        'digraph traits {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  "say \\"hi\\"" [label="say \\"hi\\"@1.0.0"];',
        '  "back\\\\slash" [label="back\\\\slash@0.0.0"];',
        '  "agent:my \\"agent\\"" [label="my \\"agent\\"", shape=ellipse];',
        '  "say \\"hi\\"" -> "back\\\\slash" [style=dashed, label="include"];',
        '  "say \\"hi\\"" -> "not/a-node";',
        '  "agent:my \\"agent\\"" -> "say \\"hi\\"";',
        '}',
        '',
      ].join('\n'),
    )
  })

  it("one agent's part keeps its template; an unknown agent's part is empty", () => {
    expect(agentSubgraph(graph, 'my "agent"')).toEqual({ ...graph, edges: [graph.edges[0], graph.edges[1]] })
    expect(agentSubgraph(graph, 'nobody')).toEqual({ nodes: [], edges: [], agents: { nobody: [] }, templates: {} })
  })
})

describe('init', () => {
  it('stops at the first file it cannot create, and says which it created before it', () => {
    const root = project({ 'starter/content': 'a file where the content folder goes\n' })
    expect(initProject(path.join(root, 'starter'))).toEqual({
      ok: false,
      reason: `cannot create content/traits/safety/confirm-destructive.md in ${path.join(root, 'starter')} (ENOTDIR); choose a folder traitgen can write to (traitgen.config.mjs created before it)`,
      existing: [],
    })
    expect(listFiles(root)).toEqual(['starter/content', 'starter/traitgen.config.mjs'])
  })
})
