#!/usr/bin/env node
// The text floor: read every file, resolve each agent's trait list (imports and dependencies, frontmatter only),
// concatenate the text and write the outputs. No Markdown parsing: what any tool of this kind must at least do.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

const root = process.argv[2] ?? '.'
const walk = (dir, out = []) => {
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name)
    if (statSync(abs).isDirectory()) walk(abs, out)
    else if (name.endsWith('.md')) out.push(abs)
  }
  return out
}
const split = (text) => {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text)
  return match ? { data: parse(match[1]) ?? {}, body: text.slice(match[0].length) } : { data: {}, body: text }
}
const traitsDir = path.join(root, 'content/traits')
const traits = new Map()
for (const file of walk(traitsDir)) traits.set(path.relative(traitsDir, file).slice(0, -3), split(readFileSync(file, 'utf8')))
const agentsDir = path.join(root, 'content/agents')
for (const file of walk(agentsDir)) {
  const agent = split(readFileSync(file, 'utf8'))
  const placed = new Set()
  const parts = [agent.body]
  const place = (id) => {
    if (placed.has(id) || !traits.has(id)) return
    placed.add(id)
    for (const dep of traits.get(id).data.dependencies ?? []) place(dep)
    parts.push(traits.get(id).body)
  }
  for (const refs of Object.values(agent.data.imports ?? {})) for (const ref of refs) place(ref)
  const out = path.join(root, 'floor-output', `${path.relative(agentsDir, file)}`)
  mkdirSync(path.dirname(out), { recursive: true })
  writeFileSync(out, parts.join('\n'))
}
