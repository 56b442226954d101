// Rendering an expanded agent body: pieces joined so that no piece changes how its neighbours parse.
import type { RootContent } from 'mdast'
import type { BlockPiece, Piece } from '../compose/pieces.js'
import { renderBlock, type RenderEnv } from './block.js'
import type { Emitter } from './emitter.js'

/** Render the pieces into the emitter (no trailing newline). */
export function renderPieces(pieces: readonly Piece[], env: RenderEnv, emitter: Emitter): void {
  let previous: Piece | undefined
  for (const piece of pieces) {
    const keptGap = previous ? joinPieces(previous, piece, emitter) : false
    if (piece.kind === 'text') emitter.generated(piece.text)
    else {
      // A block indented by 1–3 spaces keeps them, wherever it lands (the original gap already holds them).
      if (!keptGap) emitIndent(piece, emitter)
      renderBlock(piece, env, emitter)
    }
    previous = piece
  }
  if (previous?.kind === 'block') emitCloser(previous, emitter)
}

/** Close a fence or HTML block left open at the end of its file, on a line of its own. */
function emitCloser(piece: BlockPiece, emitter: Emitter): void {
  const closer = piece.doc.sites[piece.index]?.closer
  if (!closer) return
  const end = piece.doc.blocks[piece.index]?.position?.end.offset ?? 0
  emitter.generated(piece.doc.file.text[end - 1] === '\n' ? closer : `\n${closer}`)
}

/** Join two pieces; true when the original text between them was kept (it holds the indentation too). */
function joinPieces(previous: Piece, next: Piece, emitter: Emitter): boolean {
  if (previous.kind === 'block' && next.kind === 'block' && previous.doc === next.doc && next.index === previous.index + 1) {
    // Neighbours in their own file: keep the original gap (blank lines and all).
    const end = previous.doc.blocks[previous.index]?.position?.end.offset ?? 0
    const start = next.doc.blocks[next.index]?.position?.start.offset ?? 0
    emitter.source(previous.doc.file, end, start)
    return true
  }
  if (previous.kind === 'block') emitCloser(previous, emitter)
  emitter.generated(wouldMerge(previous, next) ? '\n\n<!---->\n\n' : '\n\n')
  return false
}

/** The spaces before a block on its first line, as written. */
function emitIndent(piece: BlockPiece, emitter: Emitter): void {
  const start = piece.doc.blocks[piece.index]?.position?.start.offset ?? 0
  const text = piece.doc.file.text
  let from = start
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--
  if (from < start && (from === 0 || text[from - 1] === '\n')) emitter.source(piece.doc.file, from, start)
}

/**
 * Blocks from different files that a blank line alone would not keep apart: two lists of the same kind
 * merge, an indented block after a list (or footnote) becomes part of its last item, and two indented
 * code blocks merge.
 */
function wouldMerge(previous: Piece, next: Piece): boolean {
  if (previous.kind !== 'block' || next.kind !== 'block') return false
  const a = blockOf(previous)
  const b = blockOf(next)
  if (!a || !b) return false
  const nextIndented = (b.position?.start.column ?? 1) > 1 || (b.type === 'code' && isIndented(next))
  if (a.type === 'list' || a.type === 'footnoteDefinition') {
    if (nextIndented) return true
    return a.type === 'list' && b.type === 'list' && a.ordered === b.ordered && listMarker(previous) === listMarker(next)
  }
  if (a.type === 'code' && b.type === 'code') return isIndented(previous) && isIndented(next)
  return false
}

function blockOf(piece: BlockPiece): RootContent | undefined {
  return piece.doc.blocks[piece.index]
}

function listMarker(piece: BlockPiece): string {
  const block = blockOf(piece)
  const start = block?.position?.start.offset ?? 0
  const match = /^(?:\d+([.)])|([-+*]))/.exec(piece.doc.file.text.slice(start, start + 12))
  return match?.[1] ?? match?.[2] ?? ''
}

function isIndented(piece: BlockPiece): boolean {
  const block = blockOf(piece)
  const start = block?.position?.start.offset ?? 0
  return !/^ {0,3}(?:```|~~~)/.test(piece.doc.file.text.slice(start, start + 8))
}
