// Built-in import resolution (spec §5.1): imports group by group, each trait's dependencies placed first,
// each (trait, section) once; a trait included whole is never placed by an import; TRAIT_CONFLICT.
import {
  createMessage,
  ownFolder,
  type ComposeContext,
  type ImportRequest,
  type ParsedDoc,
  type Placement,
  type PlacementOrigin,
  type PlacementReason,
  type Resolution,
  type TraitgenPlugin,
} from '../src/index.js'
import { reportCycle } from './_cycle.js'

/** How placing resolves refs and records what is placed: the agent's context, or a dry run that records nothing. */
interface Placer {
  resolve: ComposeContext['resolve']
  placed: Set<string>
  cycle(path: readonly string[], file: string, place: Placement['place']): void
}

/** The import resolution plugin. */
export function importsPlugin(): TraitgenPlugin {
  return {
    name: 'traitgen:imports',
    resolveImports({ agent, imports }, context) {
      const placer = placerOf(context)
      const skip = agent ? includedWhole(context, agent.doc, imports) : new Set<string>()
      const file = agent?.doc.file.path ?? '(api)'
      return placeImports(placer, imports, file, skip)
    },
    resolveDependencies(resolution, origin, context) {
      const placer = placerOf(context)
      const out: Placement[] = []
      // The included trait itself counts as placed while its dependencies are placed (they may depend on it).
      const wasPlaced = context.placed.has(resolution.key)
      context.placed.add(resolution.key)
      const path = [...origin.stack, resolution.trait.id]
      for (const dep of resolution.trait.meta.dependencies) {
        const target = context.resolve(dep, resolution.trait.doc.file.path, ownFolder(resolution.trait.id))
        if (!target) continue
        if (path.includes(target.trait.id)) {
          reportCycle(context, [...path, target.trait.id], resolution.trait.doc.file.path, dep.place)
          continue
        }
        place(placer, target, '', { kind: 'dependency', of: resolution.trait.id }, origin, new Set(), out, path)
      }
      if (!wasPlaced) context.placed.delete(resolution.key)
      return out
    },
    checkPlacements(placements, context) {
      checkConflicts(context, placements)
    },
  }
}

function placerOf(context: ComposeContext): Placer {
  return { resolve: context.resolve, placed: context.placed, cycle: (path, file, at) => reportCycle(context, path, file, at) }
}

/** Walk the imports and return the placements, group by group. */
function placeImports(placer: Placer, imports: ImportRequest['imports'], file: string, skip: ReadonlySet<string>): Placement[] {
  const out: Placement[] = []
  for (const { group, refs } of imports) {
    for (const ref of refs) {
      const resolution = placer.resolve(ref, file, group)
      if (!resolution) continue
      place(placer, resolution, group, { kind: 'import', group }, { file, place: ref.place, stack: [] }, skip, out, [])
    }
  }
  return out
}

/**
 * Place a trait's dependencies, depth first in declaration order, not yet placed, then the trait itself.
 * `skip` holds ids included whole elsewhere (never placed by an import).
 */
function place(
  placer: Placer,
  resolution: Resolution,
  group: string,
  reason: PlacementReason,
  origin: PlacementOrigin,
  skip: ReadonlySet<string>,
  out: Placement[],
  stack: readonly string[],
): void {
  const { trait } = resolution
  if (placer.placed.has(resolution.key)) return
  if (!resolution.section && skip.has(trait.id)) return
  if (stack.includes(trait.id)) return
  const path = [...stack, trait.id]
  for (const dep of trait.meta.dependencies) {
    const target = placer.resolve(dep, trait.doc.file.path, ownFolder(trait.id))
    if (!target) continue
    if (path.includes(target.trait.id)) {
      placer.cycle([...path, target.trait.id], trait.doc.file.path, dep.place)
      continue
    }
    place(placer, target, group, { kind: 'dependency', of: trait.id }, origin, skip, out, path)
  }
  if (placer.placed.has(resolution.key)) return
  placer.placed.add(resolution.key)
  out.push({ group, resolution, reason, file: origin.file, place: origin.place })
}

/** TRAIT_CONFLICT for every pair of placed traits where one lists the other in `conflicts`. */
function checkConflicts(context: ComposeContext, placements: readonly Placement[]): void {
  const present = new Map<string, Placement>()
  for (const p of placements) if (!present.has(p.resolution.trait.id)) present.set(p.resolution.trait.id, p)
  const reported = new Set<string>()
  for (const [id, placement] of present) {
    const trait = placement.resolution.trait
    for (const ref of trait.meta.conflicts) {
      const other = context.resolve(ref, trait.doc.file.path, ownFolder(id))
      if (!other || !present.has(other.trait.id) || other.trait.id === id) continue
      const pair = [id, other.trait.id].sort().join('\0')
      if (reported.has(pair)) continue
      reported.add(pair)
      const later = [placement, present.get(other.trait.id) as Placement].sort((a, b) => a.place.line - b.place.line || a.place.column - b.place.column)[1] as Placement
      context.report(
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

/**
 * Ids of traits included whole somewhere in the agent: by its body, or by another trait its imports
 * place. An import never places these again (spec §5.3). A trait that only comes back to itself
 * through includes (a cycle) is not skipped: placing it is what reveals the cycle.
 */
function includedWhole(context: ComposeContext, body: ParsedDoc, imports: ImportRequest['imports']): Set<string> {
  // A dry run: what the imports would place, with nothing recorded or reported.
  const dry: Placer = { resolve: context.lookup, placed: new Set(), cycle: () => {} }
  const candidates = placeImports(dry, imports, body.file.path, new Set())
  const found = includeClosure(context, [{ doc: body, from: 0, to: body.blocks.length, folder: undefined }])
  const closures = new Map<string, Set<string>>()
  for (const p of candidates) {
    const t = p.resolution.trait
    if (!closures.has(t.id)) closures.set(t.id, includeClosure(context, [{ doc: t.doc, from: t.content[0], to: t.content[1], folder: ownFolder(t.id) }]))
  }
  for (const [id, closure] of closures) {
    for (const included of closure) {
      if (included === id) continue
      // Mutually reachable (through includes or dependencies): a cycle, reported when it is expanded;
      // not an include that covers the import.
      if (reaches(context, included, id)) continue
      found.add(included)
    }
  }
  return found
}

/** Whether trait `from` leads to trait `to` through includes and dependencies. */
function reaches(context: ComposeContext, from: string, to: string): boolean {
  const seen = new Set<string>([from])
  const queue = [from]
  while (queue.length > 0) {
    const trait = context.trait(queue.pop() as string)
    if (!trait) continue
    const next: string[] = []
    for (const dep of trait.meta.dependencies) {
      const found = context.lookup(dep, trait.doc.file.path, ownFolder(trait.id))
      if (found) next.push(found.trait.id)
    }
    for (const id of includeClosure(context, [{ doc: trait.doc, from: trait.content[0], to: trait.content[1], folder: ownFolder(trait.id) }])) next.push(id)
    for (const id of next) {
      if (id === to) return true
      if (!seen.has(id)) {
        seen.add(id)
        queue.push(id)
      }
    }
  }
  return false
}

/** Trait ids included whole, transitively, from the given block ranges. */
function includeClosure(context: ComposeContext, start: Array<{ doc: ParsedDoc; from: number; to: number; folder: string | undefined }>): Set<string> {
  const found = new Set<string>()
  const queue = [...start]
  const seen = new Set<string>()
  while (queue.length > 0) {
    const item = queue.pop() as (typeof queue)[number]
    for (let i = item.from; i < item.to; i++) {
      const include = item.doc.sites[i]?.includes[0]
      if (!include?.valid) continue
      const resolution = context.lookup({ raw: include.ref, place: { line: 1, column: 1 } }, item.doc.file.path, item.folder)
      if (!resolution) continue
      if (!resolution.section) found.add(resolution.trait.id)
      if (seen.has(resolution.key)) continue
      seen.add(resolution.key)
      const t = resolution.trait
      queue.push({ doc: t.doc, from: t.content[0], to: t.content[1], folder: ownFolder(t.id) })
    }
  }
  return found
}
