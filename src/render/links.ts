// Link rewriting (spec §5): a relative link in a source file still reaches the same file from the output's folder.
import path from 'node:path'
import type { BlockPiece } from '../compose/pieces.js'
import type { Edit } from './edits.js'

const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/

/** The destination `raw`, written in `fromFile`, as seen from `toFile` (both root-relative); unchanged if not relative. */
export function rewriteLink(raw: string, fromFile: string, toFile: string, mapLink?: (target: string) => string | undefined): string {
  if (raw === '' || raw.startsWith('#') || raw.startsWith('?') || raw.startsWith('/') || scheme.test(raw)) return raw
  const cut = raw.search(/[?#]/)
  const target = cut === -1 ? raw : raw.slice(0, cut)
  // Not empty: a target that starts with `?` or `#` was returned above.
  const suffix = cut === -1 ? '' : raw.slice(cut)
  const fromDir = path.posix.dirname(fromFile)
  const toDir = path.posix.dirname(toFile)
  const mapped = mapLink?.(path.posix.join(fromDir, target))
  if (mapped !== undefined) return (path.posix.relative(toDir, mapped) || '.') + suffix
  if (fromDir === toDir) return raw
  const absolute = path.posix.join(fromDir, target)
  let relative = path.posix.relative(toDir, absolute) || '.'
  if (target.endsWith('/') && !relative.endsWith('/')) relative += '/'
  return relative + suffix
}

/** Edits for the block's relative link targets (targets holding a placeholder are left to interpolation). */
export function linkEdits(piece: BlockPiece, outputPath: string, mapLink?: (target: string) => string | undefined): Edit[] {
  const edits: Edit[] = []
  const { file } = piece.doc
  for (const site of piece.doc.sites[piece.index]?.links ?? []) {
    const raw = file.text.slice(site.start, site.end)
    if (raw.includes('{{')) continue
    const rewritten = rewriteLink(raw, file.path, outputPath, mapLink)
    if (rewritten !== raw) edits.push({ start: site.start, end: site.end, text: rewritten })
  }
  return edits
}
