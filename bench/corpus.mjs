#!/usr/bin/env node
// A deterministic generated corpus for timing traitgen: `node bench/corpus.mjs <dir> [traits] [agents] [--seed N]`.
// Traits of 40–400 lines (headings, prose, lists, tables, code, links) forming a DAG; agents importing ~20 traits
// in 2–4 groups.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** A small seeded PRNG (mulberry32): the same seed gives the same corpus on every machine. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const words = 'agent review change test build deploy error module function config cache request response schema query index file branch commit release secret token user session service queue retry timeout'.split(' ')

/** Write a corpus of `traitCount` traits and `agentCount` agents into `dir/content`; returns counts and a rarely used trait. */
export function generateCorpus(dir, traitCount, agentCount, seed = 1) {
  const random = prng(seed)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const sentence = () => {
    const n = 8 + Math.floor(random() * 10)
    const out = []
    for (let i = 0; i < n; i++) {
      const w = pick(words)
      const r = random()
      out.push(r < 0.05 ? `*${w}*` : r < 0.1 ? `\`${w}()\`` : r < 0.12 ? `[${w}](https://example.com/${w})` : w)
    }
    return `${out.join(' ')}.`
  }
  rmSync(path.join(dir, 'content'), { recursive: true, force: true })
  const ids = []
  const dependencies = new Map()
  let bytes = 0
  const write = (rel, text) => {
    const file = path.join(dir, rel)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, text)
    bytes += Buffer.byteLength(text)
  }
  for (let i = 0; i < traitCount; i++) {
    const id = `c${i % 10}/t${i}`
    const deps = []
    // 0–3 dependencies (1.15 on average) on earlier traits, in three tiers so that the closure stays shallow
    // at every corpus size: the first 15% depend on nothing, the next 35% on the first tier, the rest on both.
    const lower = i < traitCount * 0.15 ? 0 : i < traitCount * 0.5 ? Math.ceil(traitCount * 0.15) : Math.ceil(traitCount * 0.5)
    if (lower > 0) for (let d = Math.floor(random() ** 1.5 * 4); d > 0; d--) deps.push(ids[Math.floor(random() * lower)])
    const parts = [`## ${pick(words)} ${pick(words)} ${i}`, `${sentence()} ${sentence()}`]
    // 4–41 sections of about 9.5 lines each: traits of 40–400 lines, evenly spread.
    const sections = 4 + Math.floor(random() * 38)
    for (let s = 0; s < sections; s++) {
      parts.push(`### ${pick(words)} ${s}`, `${sentence()} ${sentence()}\n${sentence()}`)
      const r = random()
      if (r < 0.4) parts.push(`- ${sentence()}\n- ${sentence()}\n  - ${sentence()}\n- ${sentence()}`)
      else if (r < 0.6) parts.push(`| name | value |\n|------|-------|\n| ${pick(words)} | ${pick(words)} |\n| ${pick(words)} | ${pick(words)} |`)
      else if (r < 0.8) parts.push(`\`\`\`${pick(['ts', 'py', 'bash', 'yaml'])}\nconst ${pick(words)} = ${s}\nrun(${pick(words)})\n\`\`\``)
      else parts.push(`1. ${sentence()}\n2. ${sentence()}`)
    }
    const frontmatter = `---\nversion: 1.${i % 7}.0\ndescription: ${pick(words)} guidance ${i}\ntags: [${pick(words)}]\n${deps.length ? `dependencies: [${[...new Set(deps)].join(', ')}]\n` : ''}---\n\n`
    write(`content/traits/${id}.md`, `${frontmatter}${parts.join('\n\n')}\n`)
    ids.push(id)
    dependencies.set(id, [...new Set(deps)])
  }
  const users = new Map()
  for (let a = 0; a < agentCount; a++) {
    // 2–4 groups, about 20 traits in all.
    const groups = ['safety', 'tools', 'quality', 'workflow'].slice(0, 2 + Math.floor(random() * 3))
    const perGroup = Math.round(20 / groups.length)
    const lines = groups.map((g) => {
      const refs = new Set()
      // Early traits are popular; the last tenth is rarely used.
      while (refs.size < Math.min(perGroup, ids.length)) refs.add(ids[Math.floor(random() ** 1.6 * ids.length * 0.9)])
      // Count each agent once per trait it reaches, dependencies included.
      const reached = new Set()
      const reach = (t) => {
        if (reached.has(t)) return
        reached.add(t)
        for (const d of dependencies.get(t) ?? []) reach(d)
      }
      for (const r of refs) reach(r)
      for (const r of reached) {
        const set = users.get(r) ?? new Set()
        set.add(a)
        users.set(r, set)
      }
      return `  ${g}: [${[...refs].join(', ')}]`
    })
    write(`content/agents/a${a}.md`, `---\ndescription: Agent ${a} for ${pick(words)} work.\nmodel: sonnet\ntools: Read, Grep, Glob\nimports:\n${lines.join('\n')}\n---\n\nYou are agent ${a}. ${sentence()}\n\n## Safety\n\n${sentence()}\n\n## Tools\n\n${sentence()}\n`)
  }
  // A trait imported by about 1% of agents, for the one-trait-edit scenario.
  const target = Math.max(1, Math.round(agentCount / 100))
  const rare = [...users.entries()].map(([id, set]) => [id, set.size]).sort((x, y) => Math.abs(x[1] - target) - Math.abs(y[1] - target) || (x[0] < y[0] ? -1 : 1))[0]
  return { traits: traitCount, agents: agentCount, bytes, rareTrait: rare?.[0], rareTraitUsers: rare?.[1] }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const [dir, traits = '300', agents = '200'] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  const seedAt = process.argv.indexOf('--seed')
  if (!dir) {
    console.error('usage: node bench/corpus.mjs <dir> [traits] [agents] [--seed N]')
    process.exit(2)
  }
  console.log(JSON.stringify(generateCorpus(dir, Number(traits), Number(agents), seedAt > 0 ? Number(process.argv[seedAt + 1]) : 1)))
}
