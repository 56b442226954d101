// The CLI when the ground is bad: init where a file stands in the way.
import { describe, expect, it } from 'vitest'
import { readProjectFile, runCli, temporaryProjects } from './support/project.js'

const project = temporaryProjects()

describe('bad ground', () => {
  it('init under a file: exit 2 and a reason, in text and in --json; never an internal error', () => {
    const root = project({ notes: 'a file, not a folder\n' })
    const text = runCli(['init', 'notes/agents'], root)
    expect([text.status, text.stdout, text.stderr]).toEqual([2, '', 'traitgen: cannot create traitgen.config.mjs in notes/agents (ENOTDIR); choose a folder traitgen can write to\n'])
    const json = runCli(['init', 'notes/agents', '--json'], root)
    expect(json.status).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, reason: 'cannot create traitgen.config.mjs in notes/agents (ENOTDIR); choose a folder traitgen can write to', existing: [] })
    expect(readProjectFile(root, 'notes')).toBe('a file, not a folder\n')
  })

})
