// Failed writes in-process, through the fault hook (TRAITGEN_FAULT_WRITE, read once per process): each errno's advice in WRITE_FAILED.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadProjectConfig } from '../../src/config/load.js'
import type { Message } from '../../src/model/messages.js'
import { OutputCommitter } from '../../src/output/commit.js'
import { readExisting } from '../../src/output/write.js'
import { temporaryProjects, writeFiles } from '../support/project.js'

// This file's process makes exactly these atomic writes, in this order: the 1st fails read-only, the 2nd with an
// errno the hook has no text for, the 3rd (the manifest) with a full quota; the 4th (the source maps) succeeds.
process.env.TRAITGEN_FAULT_WRITE = '1:EROFS,2:EXDEV,3:EDQUOT'
// Read already by then; unset so that nothing else run in this process could see it.
afterAll(() => {
  delete process.env.TRAITGEN_FAULT_WRITE
})

const project = temporaryProjects()

describe('WRITE_FAILED advice', () => {
  it('read-only, an unknown errno, a full quota: each says why and what is kept; the manifest keeps its old text', async () => {
    const root = project({ 'output/agents/b.md': 'old B\n' })
    writeFiles(root, { 'output/.traitgen/manifest.json': `${JSON.stringify({ version: 1, files: { 'output/agents/b.md': { agent: 'b', target: 'claude', hash: 'h' } } })}\n` })
    const manifestBefore = readExisting(path.join(root, 'output/.traitgen/manifest.json'))
    const messages: Message[] = []
    const committer = new OutputCommitter({ project: await loadProjectConfig(root, { inline: {} }), force: false, write: true, messages })
    committer.commit({ path: 'output/agents/a.md', text: 'A\n', sourceMap: undefined }, { agent: 'a', target: 'claude' })
    committer.commit({ path: 'output/agents/b.md', text: 'new B\n', sourceMap: undefined }, { agent: 'b', target: 'claude' })
    const records = committer.finish({ failed: new Set(), existingAgents: new Set(['a', 'b']), partial: false, builtTargets: new Set(['claude']), clean: false })
    expect(messages.map((m) => [m.code, m.file, m.line, m.column, m.context, m.message])).toEqual([
      [
        'WRITE_FAILED',
        'output/agents/a.md',
        1,
        1,
        { errno: 'EROFS' },
        'could not write output/agents/a.md: the file system is read-only (EROFS); build to a writable folder, then run traitgen build again; no file was written',
      ],
      [
        'WRITE_FAILED',
        'output/agents/b.md',
        1,
        1,
        { errno: 'EXDEV' },
        'could not write output/agents/b.md: EXDEV: injected fault (TRAITGEN_FAULT_WRITE); fix the cause, then run traitgen build again; the previous file is kept unchanged',
      ],
      [
        'WRITE_FAILED',
        'output/.traitgen/manifest.json',
        1,
        1,
        { errno: 'EDQUOT' },
        'could not write output/.traitgen/manifest.json: the disk is full (EDQUOT); free some space, then run traitgen build again; the previous file is kept unchanged',
      ],
    ])
    expect(records.filter((r) => r.agent !== '').map((r) => [r.path, r.status])).toEqual([
      ['output/agents/a.md', 'failed'],
      ['output/agents/b.md', 'failed'],
    ])
    expect(existsSync(path.join(root, 'output/agents/a.md'))).toBe(false)
    expect(readExisting(path.join(root, 'output/agents/b.md'))).toBe('old B\n')
    expect(readExisting(path.join(root, 'output/.traitgen/manifest.json'))).toBe(manifestBefore)
    expect(readExisting(path.join(root, 'output/.traitgen/sourcemap.json'))).toBe('{}\n')
  })
})
