// The output frontmatter: name, description, then the agent's other keys as their YAML source text.
import { stringify } from 'yaml'
import type { Agent } from '../parse/agent.js'
import type { Emitter } from './emitter.js'
import type { SourceFile } from '../model/source.js'

/** Emit frontmatter made from data (a target's own mapping), mapped to the agent file's first line. */
export function emitFrontmatterData(data: Readonly<Record<string, unknown>>, file: SourceFile, emitter: Emitter): void {
  const defined = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined))
  emitter.generated('---\n')
  if (Object.keys(defined).length > 0) emitter.generated(stringify(defined, { lineWidth: 0 }), file, 1)
  emitter.generated('---\n')
}

/** Emit `---`, the agent's output frontmatter and the closing `---` line. */
export function emitFrontmatter(agent: Agent, emitter: Emitter): void {
  const { file, frontmatter } = agent.doc
  emitter.generated('---\n')
  const entries = agent.meta.passThrough
  if (!frontmatter?.blockStyle) {
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
  // A name from the file name is data, not YAML: quoted when it needs to be (`x: y`, `#x`, a newline).
  if (agent.meta.nameDefaulted) emitter.generated(stringify({ name: agent.meta.name }, { lineWidth: 0 }), file, 1)
  for (const entry of ordered) {
    let end = entry.endOffset
    // Blank lines after an entry are layout, not content.
    while (end > entry.startOffset && /\s/.test(file.text[end - 1] as string)) end--
    emitter.source(file, entry.startOffset, end)
    emitter.generated('\n')
  }
  emitter.generated('---\n')
}
