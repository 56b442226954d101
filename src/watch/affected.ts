// Which agents a burst of changes touches: found by comparing every file's content hash before and after
// (so a missed or merged file event cannot hide a change), then following the dependency graph.
import type { BuildContext } from '../build.js'

/** What a burst means for the build. */
export interface Impact {
  /** Agent ids to rebuild. */
  agents: Set<string>
}

interface TraitState {
  hash: string | undefined
  keys: string[]
}

function traitStates(context: BuildContext): Map<string, TraitState> {
  const { store } = context
  return new Map(store.ids().map((id) => [id, { hash: store.hashOf('trait', id), keys: [id, ...store.shortNames(id).map((n) => `name:${n}`)] }]))
}

/**
 * Refresh the store and return the agents to rebuild: every agent whose own file changed or appeared,
 * and every agent that used a trait that changed, appeared or vanished — by id, or by a short name
 * that trait answers (so a new trait that makes a name resolve differently re-resolves its users).
 */
export function impactOf(context: BuildContext): Impact {
  const { store, graph } = context
  const traitsBefore = traitStates(context)
  const agentsBefore = new Map(store.agentIds().map((id) => [id, store.hashOf('agent', id)]))
  const templatesBefore = new Map(store.templateNames().map((name) => [name, store.hashOf('template', name)]))
  store.refresh()
  const traitsAfter = traitStates(context)
  const agents = new Set<string>()
  for (const id of new Set([...traitsBefore.keys(), ...traitsAfter.keys()])) {
    const before = traitsBefore.get(id)
    const after = traitsAfter.get(id)
    if (before?.hash === after?.hash && before !== undefined && after !== undefined) continue
    for (const key of new Set([...(before?.keys ?? []), ...(after?.keys ?? [])])) for (const agent of graph.dependantsOf(key)) agents.add(agent)
  }
  // A template that changed, appeared or vanished: every agent that uses (or asked for) it.
  for (const name of new Set([...templatesBefore.keys(), ...store.templateNames()])) {
    if (templatesBefore.get(name) === store.hashOf('template', name)) continue
    for (const agent of graph.dependantsOf(`template:${name}`)) agents.add(agent)
  }
  const current = new Set(store.agentIds())
  for (const id of current) if (agentsBefore.get(id) !== store.hashOf('agent', id)) agents.add(id)
  for (const id of [...agents]) if (!current.has(id)) agents.delete(id)
  return { agents }
}
