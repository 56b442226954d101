// The benchmark's corpus is shaped like the issue asks (and like real libraries): traits of 40–400 lines,
// agents importing about 20 traits in 2–4 groups that expand to roughly 6,000–11,000 lines. Checked here by
// reading the generated files, not by trusting the generator's own numbers.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateCorpus } from '../bench/corpus.mjs'

const dir = mkdtempSync(path.join(tmpdir(), 'traitgen-corpus-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const linesOf = (text: string) => text.split('\n').length - 1
const listOf = (value: string) => value.split(',').map((s) => s.trim())

describe('benchmark corpus', () => {
  it('medium: realistic traits and agents, a dependency DAG, expansions of about 6,000–11,000 lines', () => {
    const corpus = generateCorpus(dir, 300, 200)
    expect(corpus.bytes).toBeGreaterThan(3e6)
    const traitsDir = path.join(dir, 'content/traits')
    const lines = new Map<string, number>()
    const dependencies = new Map<string, string[]>()
    const constructs = { heading: /^#{2,3} /m, list: /^- /m, ordered: /^1\. /m, table: /^\|---/m, code: /^```\w+$/m, link: /\]\(https:/ }
    const seen: Record<string, number> = {}
    for (const folder of readdirSync(traitsDir)) {
      for (const name of readdirSync(path.join(traitsDir, folder))) {
        const id = `${folder}/${name.replace(/\.md$/, '')}`
        const text = readFileSync(path.join(traitsDir, folder, name), 'utf8')
        lines.set(id, linesOf(text))
        const deps = /^dependencies: \[(.*)\]$/m.exec(text)
        dependencies.set(id, deps ? listOf(deps[1] as string) : [])
        for (const [kind, pattern] of Object.entries(constructs)) if (pattern.test(text)) seen[kind] = (seen[kind] ?? 0) + 1
      }
    }
    expect(lines.size).toBe(300)
    // Headings in every trait; each other construct in a good share of them.
    expect(seen.heading).toBe(300)
    for (const kind of Object.keys(constructs)) expect(seen[kind] ?? 0, kind).toBeGreaterThan(30)
    const sizes = [...lines.values()].sort((a, b) => a - b)
    expect(sizes[0]).toBeGreaterThanOrEqual(36)
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(420)
    // Every dependency is an earlier trait: a DAG.
    const order = [...lines.keys()].sort((a, b) => Number(a.split('/t')[1]) - Number(b.split('/t')[1]))
    const rank = new Map(order.map((id, i) => [id, i]))
    for (const [id, deps] of dependencies) {
      expect(deps.length).toBeLessThanOrEqual(3)
      for (const d of deps) expect(rank.get(d) as number).toBeLessThan(rank.get(id) as number)
    }
    // Each agent: 2–4 groups, about 20 imports; expanded (imports and their dependencies), 6k–11k lines at the median.
    const expanded: number[] = []
    for (const name of readdirSync(path.join(dir, 'content/agents'))) {
      const text = readFileSync(path.join(dir, 'content/agents', name), 'utf8')
      const groups = [...text.matchAll(/^ {2}\w+: \[(.*)\]$/gm)].map((m) => listOf(m[1] as string))
      expect(groups.length).toBeGreaterThanOrEqual(2)
      expect(groups.length).toBeLessThanOrEqual(4)
      const imports = groups.flat()
      expect(imports.length).toBeGreaterThanOrEqual(18)
      expect(imports.length).toBeLessThanOrEqual(22)
      const reached = new Set<string>()
      const reach = (id: string) => {
        if (reached.has(id)) return
        reached.add(id)
        for (const d of dependencies.get(id) ?? []) reach(d)
      }
      for (const id of imports) reach(id)
      expanded.push([...reached].reduce((sum, id) => sum + (lines.get(id) as number), 0))
    }
    expanded.sort((a, b) => a - b)
    const median = expanded[expanded.length >> 1] as number
    expect(median).toBeGreaterThanOrEqual(6000)
    expect(median).toBeLessThanOrEqual(11000)
    expect(expanded[Math.floor(expanded.length * 0.1)]).toBeGreaterThan(4500)
    expect(expanded[Math.floor(expanded.length * 0.9)]).toBeLessThan(13000)
  })
})
