// Built-in includes (spec §5.3): a block `<!-- @include ref -->` is replaced by the trait's content, its
// not-yet-placed dependencies first, nested under the enclosing heading; depth limited, cycles reported.
import { createMessage, ownFolder, pointAt, type Piece, type TraitgenPlugin } from '../src/index.js'
import { reportCycle } from './_cycle.js'

/** The include plugin. */
export function includesPlugin(): TraitgenPlugin {
  return {
    name: 'traitgen:includes',
    expandBlock(block, { compose, enclosing, trait, stack }) {
      const { doc } = block
      const include = doc.sites[block.index]?.includes[0]
      if (!include) return undefined
      const place = pointAt(doc.file, include.start)
      if (!include.valid) {
        compose.report(
          createMessage('error', 'INVALID_INCLUDE', 'an include must be an HTML comment alone in a top-level block: <!-- @include <ref> -->', doc.file.path, place),
        )
        return []
      }
      const { includeDepth } = compose.options
      if (stack.length >= includeDepth) {
        compose.report(
          createMessage(
            'error',
            'INCLUDE_DEPTH_EXCEEDED',
            `includes nest more than ${includeDepth} levels (${stack.join(' → ')}); flatten them or raise limits.includeDepth`,
            doc.file.path,
            place,
          ),
        )
        return []
      }
      const resolution = compose.resolve({ raw: include.ref, place }, doc.file.path, trait ? ownFolder(trait.id) : undefined)
      if (!resolution) return []
      if (stack.includes(resolution.trait.id)) {
        reportCycle(compose, [...stack, resolution.trait.id], doc.file.path, place)
        return []
      }
      const origin = { file: doc.file.path, place, stack }
      const out: Piece[] = []
      // Dependencies not yet placed go just before the included trait.
      for (const dep of compose.dependencies(resolution, origin)) {
        compose.placements.push(dep)
        for (const piece of compose.traitPieces(dep.resolution, enclosing, stack)) out.push(piece)
      }
      compose.placed.add(resolution.key)
      compose.placements.push({ group: '', resolution, reason: { kind: 'include', by: doc.file.path }, file: doc.file.path, place })
      // Pushed one by one: spreading 10⁵ pieces into one call overflows the stack.
      for (const piece of compose.traitPieces(resolution, enclosing, stack)) out.push(piece)
      return out
    },
  }
}
