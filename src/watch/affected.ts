// Which agents a burst of changes touches: through the dependency graph, never by rebuilding the world.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { BuildContext } from '../build.js'

/** What a burst means for the build. */
export interface Impact {
  /** Rebuild everything (config changed, a folder moved, or a path we cannot classify). */
  all: boolean
  /** Agent ids to rebuild. */
  agents: Set<string>
}

/** A trait's lookup keys: its id and the names a short ref may use. */
function traitKeys(context: BuildContext, id: string): string[] {
  const keys = [id, `name:${path.posix.basename(id)}`]
  const name = context.store.get(id)?.meta.name
  if (name) keys.push(`name:${name}`)
  return keys
}

/**
 * Classify changed absolute paths, refreshing the store: call once per burst.
 * Agents that depended on a changed trait (or on a short name a new or removed trait may answer) are affected.
 */
export function impactOf(context: BuildContext, changed: readonly string[]): Impact {
  const { project, store, graph } = context
  const before = new Map(store.ids().map((id) => [id, traitKeys(context, id)]))
  const beforeAgents = new Set(store.agentIds())
  store.refresh()
  const impact: Impact = { all: false, agents: new Set() }
  const within = (dir: string, file: string) => {
    const rel = path.relative(dir, file)
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : undefined
  }
  for (const file of changed) {
    const agentRel = within(project.agentsDir, file)
    const traitRel = within(project.traitsDir, file)
    if (agentRel !== undefined && agentRel.endsWith('.md')) {
      const id = agentRel.slice(0, -3)
      if (store.agentIds().includes(id)) impact.agents.add(id)
      else if (!beforeAgents.has(id)) impact.all = true
      continue
    }
    if (traitRel !== undefined && traitRel.endsWith('.md')) {
      const id = traitRel.slice(0, -3)
      const keys = new Set([...(before.get(id) ?? traitKeys(context, id)), ...(store.has(id) ? traitKeys(context, id) : [])])
      for (const key of keys) for (const agent of graph.dependantsOf(key)) impact.agents.add(agent)
      continue
    }
    // A new folder announces nothing by itself (its files come as their own events); a vanished folder
    // or anything else we cannot classify rebuilds everything (unchanged outputs are still not rewritten).
    if (!existsSync(file) || !statSync(file).isDirectory()) impact.all = true
  }
  for (const agent of [...impact.agents]) if (!store.agentIds().includes(agent)) impact.agents.delete(agent)
  return impact
}
