// The output frontmatter: name, description, then the agent's other keys as their YAML source text.
import { stringify } from 'yaml'
import type { Agent } from '../parse/agent.js'
import type { Emitter } from './emitter.js'

/** Emit `---`, the agent's output frontmatter and the closing `---` line. */
export function emitFrontmatter(agent: Agent, emitter: Emitter): void {
  const { file, frontmatter } = agent.doc
  emitter.generated('---\n')
  const entries = agent.meta.passThrough
  if (!frontmatter || !frontmatter.blockStyle) {
    // Flow-style or missing frontmatter: there is no per-key source text to keep.
    const data: Record<string, unknown> = { name: agent.meta.name, description: agent.meta.description }
    for (const entry of entries) if (!(entry.key in data)) data[entry.key] = frontmatter?.data[entry.key]
    emitter.generated(stringify(data, { lineWidth: 0 }), file, 1)
    emitter.generated('---\n')
    return
  }
  const ordered = [
    ...entries.filter((e) => e.key === 'name'),
    ...entries.filter((e) => e.key === 'description'),
    ...entries.filter((e) => e.key !== 'name' && e.key !== 'description'),
  ]
  if (agent.meta.nameDefaulted) emitter.generated(`name: ${agent.meta.name}\n`, file, 1)
  for (const entry of ordered) {
    let end = entry.endOffset
    // Blank lines after an entry are layout, not content.
    while (end > entry.startOffset && /\s/.test(file.text[end - 1] as string)) end--
    emitter.source(file, entry.startOffset, end)
    emitter.generated('\n')
  }
  emitter.generated('---\n')
}
