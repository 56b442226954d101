// Resolution (spec §5.1): imports group by group, each trait's dependencies placed first, each (trait, section) once.
import { createMessage, type Message } from '../model/messages.js'
import type { Point } from '../model/source.js'
import type { Agent } from '../parse/agent.js'
import type { RefEntry, Trait } from '../parse/trait.js'
import { lookupRef, ownFolder, type Resolution, type TraitCatalog } from './lookup.js'

/** Why a trait is in an agent. */
export type PlacementReason =
  | { kind: 'import'; group: string }
  | { kind: 'dependency'; of: string }
  | { kind: 'include'; by: string }

/** One trait (or trait section) placed in an agent. */
export interface Placement {
  group: string
  resolution: Resolution
  reason: PlacementReason
  /** Where the import that brought it in is written (for conflict messages). */
  file: string
  place: Point
}

/** Shared state of one agent's resolution. */
export interface ResolveState {
  catalog: TraitCatalog
  /** Keys already placed (`id` or `id#slug`). */
  placed: Set<string>
  messages: Message[]
  /** Ids and names this agent's resolution depended on. */
  touched: Set<string>
  /** False once a used trait is broken (its own messages explain why). */
  ok: boolean
}

/** Create the state for resolving one agent. */
export function createResolveState(catalog: TraitCatalog): ResolveState {
  return { catalog, placed: new Set(), messages: [], touched: new Set(), ok: true }
}

/** Resolve a ref, recording what it touched; a broken target marks the agent failed. */
export function resolveRef(state: ResolveState, entry: RefEntry, file: string, prefix: string | undefined): Resolution | undefined {
  const result = lookupRef(state.catalog, entry, file, prefix)
  for (const t of result.touched) state.touched.add(t)
  state.messages.push(...result.messages)
  if (!result.resolution) {
    state.ok = false
    return undefined
  }
  state.touched.add(result.resolution.trait.id)
  if (!result.resolution.trait.ok) state.ok = false
  return result.resolution
}

/**
 * The resolution of a trait's dependencies, depth first in declaration order, not yet placed,
 * then the trait itself. `skip` holds ids included whole elsewhere (never placed by an import).
 */
export function placeWithDependencies(
  state: ResolveState,
  resolution: Resolution,
  group: string,
  reason: PlacementReason,
  origin: { file: string; place: Point },
  skip: ReadonlySet<string>,
  out: Placement[],
  stack: string[] = [],
): void {
  const { trait } = resolution
  if (state.placed.has(resolution.key)) return
  if (!resolution.section && skip.has(trait.id)) return
  if (stack.includes(trait.id)) return
  const path = [...stack, trait.id]
  for (const dep of trait.meta.dependencies) {
    const target = resolveRef(state, dep, trait.doc.file.path, ownFolder(trait.id))
    if (!target) continue
    if (path.includes(target.trait.id)) {
      reportCycle(state, [...path, target.trait.id], trait.doc.file.path, dep.place)
      continue
    }
    placeWithDependencies(state, target, group, { kind: 'dependency', of: trait.id }, origin, skip, out, path)
  }
  if (state.placed.has(resolution.key)) return
  state.placed.add(resolution.key)
  out.push({ group, resolution, reason, file: origin.file, place: origin.place })
}

/** Report `a → b → c → a` once per agent. */
export function reportCycle(state: ResolveState, cycle: string[], file: string, place: Point): void {
  const start = cycle.indexOf(cycle[cycle.length - 1] as string)
  const loop = cycle.slice(start)
  state.ok = false
  state.messages.push(
    createMessage('error', 'DEPENDENCY_CYCLE', `dependency cycle: ${loop.join(' → ')}; remove one of these dependencies or includes`, file, place, {
      cycle: loop,
    }),
  )
}

/** Walk the agent's imports (spec §5.1) and return the placements, group by group. */
export function resolveImports(state: ResolveState, agent: Agent, skip: ReadonlySet<string>): Placement[] {
  const out: Placement[] = []
  for (const { group, refs } of agent.meta.imports) {
    for (const ref of refs) {
      const resolution = resolveRef(state, ref, agent.doc.file.path, group)
      if (!resolution) continue
      placeWithDependencies(state, resolution, group, { kind: 'import', group }, { file: agent.doc.file.path, place: ref.place }, skip, out)
    }
  }
  return out
}

/** TRAIT_CONFLICT for every pair of placed traits where one lists the other in `conflicts`. */
export function checkConflicts(state: ResolveState, placements: readonly Placement[]): void {
  const present = new Map<string, Placement>()
  for (const p of placements) if (!present.has(p.resolution.trait.id)) present.set(p.resolution.trait.id, p)
  const reported = new Set<string>()
  for (const [id, placement] of present) {
    const trait: Trait = placement.resolution.trait
    for (const ref of trait.meta.conflicts) {
      const other = resolveRef(state, ref, trait.doc.file.path, ownFolder(id))
      if (!other || !present.has(other.trait.id) || other.trait.id === id) continue
      const pair = [id, other.trait.id].sort().join('\0')
      if (reported.has(pair)) continue
      reported.add(pair)
      const later = [placement, present.get(other.trait.id) as Placement].sort((a, b) => a.place.line - b.place.line || a.place.column - b.place.column)[1] as Placement
      state.ok = false
      state.messages.push(
        createMessage(
          'error',
          'TRAIT_CONFLICT',
          `traits "${id}" and "${other.trait.id}" conflict ("${id}" lists "${ref.raw}" in conflicts); use only one of them`,
          later.file,
          later.place,
          { traits: [id, other.trait.id] },
        ),
      )
    }
  }
}
