// Includes (spec §5.3): `<!-- @include ref -->` replaced by the trait's content, nested under the enclosing heading.
import { createMessage } from '../model/messages.js'
import { pointAt } from '../model/source.js'
import type { ParsedDoc } from '../parse/document.js'
import type { Trait } from '../parse/trait.js'
import { ownFolder, type Resolution } from '../resolve/lookup.js'
import { placeWithDependencies, reportCycle, resolveRef, type Placement, type ResolveState } from '../resolve/imports.js'
import { shallowestHeading, type Piece, type VariableScope } from './pieces.js'

/** Limits and variables for one agent's expansion. */
export interface ExpandContext {
  state: ResolveState
  /** Variables above trait defaults: agent's, then config's. */
  baseScope: VariableScope
  includeDepth: number
  expandedBytes: number
  /** Bytes expanded so far. */
  bytes: number
  /** Every placement, in order (imports, dependencies and includes), for explain and conflicts. */
  placements: Placement[]
  provenance: boolean
}

/** Thrown to unwind an expansion that passed `expandedBytes`; caught by the composer. */
export class ExpansionLimit extends Error {}

/** The scope a trait's text sees: agent's and config's variables, then its own defaults. */
export function traitScope(context: ExpandContext, trait: Trait | undefined): VariableScope {
  return trait ? [...context.baseScope, trait.meta.variables] : context.baseScope
}

/**
 * Expand blocks [from, to) of `doc`, replacing include comments; `stack` holds the traits being included.
 * `scope`: the variables the blocks see (default: the trait's scope, or the agent's when no trait).
 */
export function expandBlocks(
  context: ExpandContext,
  doc: ParsedDoc,
  from: number,
  to: number,
  trait: Trait | undefined,
  stack: string[],
  scope: VariableScope = traitScope(context, trait),
): Piece[] {
  const out: Piece[] = []
  let enclosing: number | undefined
  for (let index = from; index < to; index++) {
    const block = doc.blocks[index]
    if (!block) continue
    if (block.type === 'heading') enclosing = block.depth
    const include = doc.sites[index]?.includes[0]
    if (!include) {
      addBytes(context, doc, index)
      out.push({ kind: 'block', doc, index, shift: 0, scope, trait: trait?.id })
      continue
    }
    const place = pointAt(doc.file, include.start)
    if (!include.valid) {
      context.state.ok = false
      context.state.messages.push(
        createMessage('error', 'INVALID_INCLUDE', 'an include must be an HTML comment alone in a top-level block: <!-- @include <ref> -->', doc.file.path, place),
      )
      continue
    }
    if (stack.length >= context.includeDepth) {
      context.state.ok = false
      context.state.messages.push(
        createMessage(
          'error',
          'INCLUDE_DEPTH_EXCEEDED',
          `includes nest more than ${context.includeDepth} levels (${[...stack].join(' → ')}); flatten them or raise limits.includeDepth`,
          doc.file.path,
          place,
        ),
      )
      continue
    }
    const resolution = resolveRef(context.state, { raw: include.ref, place }, doc.file.path, trait ? ownFolder(trait.id) : undefined)
    if (!resolution) continue
    if (stack.includes(resolution.trait.id)) {
      reportCycle(context.state, [...stack, resolution.trait.id], doc.file.path, place)
      continue
    }
    append(out, includePieces(context, resolution, enclosing, stack, doc.file.path, place))
  }
  return out
}

/**
 * The pieces of one include of `resolution` (written in `file` at `place`): the included trait's
 * dependencies not yet placed, then the trait itself, shifted to sit under `enclosing`.
 */
export function includePieces(
  context: ExpandContext,
  resolution: Resolution,
  enclosing: number | undefined,
  stack: string[],
  file: string,
  place: { line: number; column: number },
): Piece[] {
  const out: Piece[] = []
  // Dependencies not yet placed go just before the included trait.
  const deps: Placement[] = []
  const skip = new Set<string>()
  const wasPlaced = context.state.placed.has(resolution.key)
  context.state.placed.add(resolution.key)
  for (const dep of resolution.trait.meta.dependencies) {
    const target = resolveRef(context.state, dep, resolution.trait.doc.file.path, ownFolder(resolution.trait.id))
    if (!target) continue
    if ([...stack, resolution.trait.id].includes(target.trait.id)) {
      reportCycle(context.state, [...stack, resolution.trait.id, target.trait.id], resolution.trait.doc.file.path, dep.place)
      continue
    }
    placeWithDependencies(context.state, target, '', { kind: 'dependency', of: resolution.trait.id }, { file, place }, skip, deps, [
      ...stack,
      resolution.trait.id,
    ])
  }
  if (!wasPlaced) context.state.placed.delete(resolution.key)
  for (const dep of deps) {
    context.placements.push(dep)
    append(out, placementPieces(context, dep.resolution, enclosing, stack))
  }
  context.state.placed.add(resolution.key)
  context.placements.push({ group: '', resolution, reason: { kind: 'include', by: file }, file, place })
  append(out, placementPieces(context, resolution, enclosing, stack))
  return out
}

/** The pieces of a resolved trait (whole content or one section), shifted to sit under `parentDepth`. */
export function placementPieces(
  context: ExpandContext,
  resolution: Resolution,
  parentDepth: number | undefined,
  stack: string[],
): Piece[] {
  const { trait, section } = resolution
  const [from, to] = section ? sectionBlocks(trait, section.index, section.depth) : trait.content
  const pieces = expandBlocks(context, trait.doc, from, to, trait, [...stack, trait.id])
  const out: Piece[] = []
  if (context.provenance) {
    out.push({ kind: 'text', text: `<!-- trait: ${trait.id}@${trait.meta.version} -->`, headingDepth: undefined })
  }
  const shallowest = shallowestAmong(pieces) ?? shallowestHeading(trait.doc, from, to)
  const shift = parentDepth === undefined || shallowest === undefined ? 0 : parentDepth + 1 - shallowest
  for (const piece of pieces) out.push(piece.kind === 'block' ? { ...piece, shift: piece.shift + shift } : piece)
  return out
}

function shallowestAmong(pieces: Piece[]): number | undefined {
  let min: number | undefined
  for (const piece of pieces) {
    if (piece.kind !== 'block') continue
    for (const h of piece.doc.sites[piece.index]?.headings ?? []) {
      const depth = h.depth + piece.shift
      if (min === undefined || depth < min) min = depth
    }
  }
  return min
}

function sectionBlocks(trait: Trait, index: number, depth: number): [number, number] {
  const next = trait.doc.headings.find((h) => h.index > index && h.depth <= depth)
  return [index, next ? next.index : trait.doc.blocks.length]
}

function addBytes(context: ExpandContext, doc: ParsedDoc, index: number): void {
  const block = doc.blocks[index]
  context.bytes += (block?.position?.end.offset ?? 0) - (block?.position?.start.offset ?? 0) + 2
  if (context.bytes > context.expandedBytes) throw new ExpansionLimit()
}

/** Append many pieces without spreading them into one call (a spread of 10⁵ items overflows the stack). */
export function append(out: Piece[], pieces: readonly Piece[]): void {
  for (const piece of pieces) out.push(piece)
}
