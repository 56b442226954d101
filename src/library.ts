// What library-wide target pages (a docs index, one page per trait) are made of, and when to remake them.
import type { ContentStore } from './store.js'
import { lookupRef } from './resolve/lookup.js'
import { hashText } from './model/source.js'
import type { LibraryAgent, LibraryContext, LibraryTrait } from './targets/types.js'

/** Each agent's placed trait ids (in order) and whether it built, as the build knows them. */
export type AgentTraits = Map<string, { traits: string[]; ok: boolean }>

/**
 * A hash of everything library pages are made of: every trait's and agent's content hash and each
 * agent's trait list. Equal fingerprints: the pages need not be rendered again.
 */
export function libraryFingerprint(store: ContentStore, agents: AgentTraits, dir: string): string {
  const parts: unknown[] = [dir]
  for (const id of store.ids()) parts.push(['t', id, store.hashOf('trait', id)])
  for (const id of store.agentIds()) parts.push(['a', id, store.hashOf('agent', id), agents.get(id) ?? null])
  return hashText(JSON.stringify(parts))
}

/** Every agent and trait of the project, for a target's `renderLibrary`. Parses every trait. */
export function libraryContext(store: ContentStore, agents: AgentTraits, dir: string, traitsFolder: string): LibraryContext {
  const users = new Map<string, string[]>()
  const libraryAgents: LibraryAgent[] = store.agentIds().map((id) => {
    const agent = store.agent(id)
    const known = agents.get(id)
    const traits = known?.traits ?? []
    for (const trait of traits) users.set(trait, [...(users.get(trait) ?? []), id])
    return {
      id,
      name: store.agentName(id),
      description: agent?.meta.description ?? '',
      file: agent?.doc.file.path ?? store.discovery.agents.get(id)?.path ?? id,
      traits,
      ok: known?.ok ?? false,
    }
  })
  const traits: LibraryTrait[] = []
  for (const id of store.ids()) {
    const trait = store.get(id)
    if (!trait) continue
    const folder = id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : undefined
    const find = (raw: string) => lookupRef(store, { raw, place: { line: 1, column: 1 } }, '(library)', folder).resolution?.trait.id
    const includes = new Set<string>()
    for (let i = trait.content[0]; i < trait.content[1]; i++) {
      const include = trait.doc.sites[i]?.includes[0]
      const target = include?.valid ? find(include.ref) : undefined
      if (target) includes.add(target)
    }
    const first = trait.doc.blocks[0]?.position?.start.offset ?? trait.doc.file.text.length
    traits.push({
      id,
      name: trait.meta.name,
      description: trait.meta.description,
      version: trait.meta.version,
      category: trait.meta.category,
      file: trait.doc.file.path,
      body: trait.doc.file.text.slice(first),
      dependencies: trait.meta.dependencies.map((d) => find(d.raw)).filter((t): t is string => t !== undefined),
      includes: [...includes],
      users: users.get(id) ?? [],
      ok: trait.ok,
    })
  }
  return { dir, agents: libraryAgents, traits, traitsFolder }
}
