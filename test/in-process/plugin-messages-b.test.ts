// vfile messages of stage plugins: a place given as a line alone is reported at column 1 of that line.
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import type { TraitgenPlugin } from '../../src/index.js'
import { runStage, runStageSync } from '../../src/plugins/stages.js'
import { buildAt } from '../support/in-process.js'
import { agentFile, temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

describe('plugin messages with a line and no column', () => {
  it('a document-stage warning given { line } is at that line, column 1, of the rendered file; the build is ok', async () => {
    const root = project({ 'content/agents/a.md': agentFile('', 'First.\n\nSecond.\n') })
    const lint: TraitgenPlugin = {
      name: 'line-lint',
      document: [
        () => (_tree: Root, file: VFile) => {
          // A place with a line only (a vfile Point needs a column; `place` takes what it is given).
          file.message('the second paragraph is vague', { place: { line: 7 } as never })
        },
      ],
    }
    const result = await buildAt(root, { plugins: [lint] })
    expect(result.ok).toBe(true)
    expect(result.messages.map((m) => [m.file, m.line, m.column, m.severity, m.code, m.message])).toEqual([
      ['output/agents/a.md', 7, 1, 'warning', 'PLUGIN_MESSAGE', 'the second paragraph is vague (line-lint)'],
    ])
  })

  it('runStage and runStageSync report { line } places the same way, and no place at all as the whole file', async () => {
    const tree = (): Root => ({ type: 'root', children: [] })
    const plugin = {
      name: 'p',
      entries: [
        () => (_tree: Root, file: VFile) => {
          file.message('at a line', { place: { line: 3 } as never })
          file.info('anywhere', { ruleId: 'r1' })
        },
      ],
    }
    const expected = [
      { file: 'x.md', line: 3, column: 1, severity: 'warning', message: 'at a line (p)' },
      { file: 'x.md', line: 1, column: 1, severity: 'info', message: 'anywhere (p:r1)' },
    ]
    const data = { stage: 'trait' as const, id: 'x' }
    const sync = runStageSync([plugin], tree(), '', 'x.md', data)
    const async = await runStage([plugin], tree(), '', 'x.md', { ...data, stage: 'document' })
    for (const result of [sync, async]) {
      expect(result.failed).toBe(false)
      expect(result.edited).toBeUndefined()
      expect(result.messages.map(({ file, line, column, severity, message }) => ({ file, line, column, severity, message }))).toEqual(expected)
    }
  })
})
