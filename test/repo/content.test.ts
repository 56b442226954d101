// The repository's own example library: it builds cleanly, output/ is current, and it is substantial.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli, runJson } from '../support/project.js'

describe('content/ and output/', () => {
  it('traitgen check finds output/ current with content/ (run `npx traitgen build` and commit output/ if this fails)', () => {
    const run = runCli(['check'], repoRoot)
    expect(run.stdout).toMatch(/^check: output is current/m)
    expect(run.status).toBe(0)
  })

  it('builds every agent with no message at all', () => {
    const { json } = runJson(['check'], repoRoot)
    expect(json.messages).toEqual([])
    expect(json.ok).toBe(true)
  })

  it('has at least 12 traits in 4 categories and 6 agents with a median of 150+ lines', () => {
    const traitsDir = path.join(repoRoot, 'content/traits')
    const categories = readdirSync(traitsDir)
    const traits = categories.flatMap((c) => readdirSync(path.join(traitsDir, c)).filter((f) => f.endsWith('.md')))
    expect(categories.length).toBeGreaterThanOrEqual(4)
    expect(traits.length).toBeGreaterThanOrEqual(12)
    const outputs = readdirSync(path.join(repoRoot, 'output/agents')).filter((f) => f.endsWith('.md'))
    expect(outputs.length).toBeGreaterThanOrEqual(6)
    const lines = outputs.map((f) => readFileSync(path.join(repoRoot, 'output/agents', f), 'utf8').split('\n').length - 1).sort((a, b) => a - b)
    const median = lines[Math.floor(lines.length / 2)] as number
    expect(median).toBeGreaterThanOrEqual(150)
  })
})
