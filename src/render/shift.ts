// Heading shift (spec §5.2): a spliced block's heading markers moved by the placement's shift, capped at 1–6.
import { clampDepth, type BlockPiece } from '../compose/pieces.js'
import type { Edit } from './edits.js'

/** Add the edits that shift the block's headings; a setext heading becomes ATX and absorbs edits in its text. */
export function shiftEdits(piece: BlockPiece, edits: Edit[]): Edit[] {
  const sites = piece.doc.sites[piece.index]
  if (!sites || piece.shift === 0) return edits
  const text = piece.doc.file.text
  let out = edits
  for (const heading of sites.headings) {
    const depth = clampDepth(heading.depth + piece.shift)
    if (depth === heading.depth) continue
    const marker = '#'.repeat(depth)
    const empty = heading.contentStart >= heading.contentEnd
    if (heading.atx) {
      out.push({ start: heading.start, end: empty ? heading.end : heading.contentStart, text: empty ? marker : `${marker} ` })
      continue
    }
    const inner = out.filter((e) => e.start >= heading.contentStart && e.end <= heading.contentEnd).sort((a, b) => a.start - b.start)
    out = out.filter((e) => !inner.includes(e))
    let content = ''
    let cursor = heading.contentStart
    for (const edit of inner) {
      content += text.slice(cursor, edit.start) + edit.text
      cursor = edit.end
    }
    content += text.slice(cursor, heading.contentEnd)
    out.push({ start: heading.start, end: heading.end, text: `${marker} ${content.replace(/[ \t]*\n[ \t>]*/g, ' ')}` })
  }
  return out
}
