// The expanded agent as a flat list of pieces: top-level blocks of parsed files, or generated text.
import type { ParsedDoc } from '../parse/document.js'
import type { VariableValue } from '../parse/trait.js'

/** Variables a piece's placeholders see, highest priority first. */
export type VariableScope = ReadonlyArray<Readonly<Record<string, VariableValue>>>

/** One top-level block of a parsed file, placed in the output. */
export interface BlockPiece {
  /** Discriminant. */
  kind: 'block'
  /** The parsed file the block belongs to. */
  doc: ParsedDoc
  /** Index into `doc.blocks`. */
  index: number
  /** Levels added to every heading in the block (capped to 1–6 when rendered). */
  shift: number
  /** The variables its placeholders see. */
  scope: VariableScope
  /** The trait this block came from (undefined: the agent itself). */
  trait: string | undefined
}

/** Text traitgen generated (an appended group heading, a provenance comment). */
export interface TextPiece {
  /** Discriminant. */
  kind: 'text'
  /** The text, written as is. */
  text: string
  /** Heading depth when the text is a heading (used to find section ends). */
  headingDepth: number | undefined
}

/** A piece of the expanded agent. */
export type Piece = BlockPiece | TextPiece

/** Effective heading depth of a piece that is a top-level heading, else undefined. */
export function pieceHeadingDepth(piece: Piece): number | undefined {
  if (piece.kind === 'text') return piece.headingDepth
  const block = piece.doc.blocks[piece.index]
  if (block?.type !== 'heading') return undefined
  return clampDepth(block.depth + piece.shift)
}

/** Heading depths stay within 1–6. */
export function clampDepth(depth: number): number {
  return Math.min(6, Math.max(1, depth))
}
