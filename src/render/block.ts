// Rendering one block: its source text with the plugins' edits (interpolation), link rewriting and heading shift.
import type { BlockPiece } from '../compose/pieces.js'
import type { ComposeHooks } from '../compose/hooks.js'
import type { Message } from '../model/messages.js'
import { pointAt } from '../model/source.js'
import { pluginError } from '../plugins/stages.js'
import type { Emitter } from './emitter.js'
import { linkEdits } from './links.js'
import { shiftEdits } from './shift.js'

/** What rendering needs besides the piece. */
export interface RenderEnv {
  /** The output file, root-relative (links are rewritten for it). */
  outputPath: string
  messages: Message[]
  /** Where a relative link's target file (root-relative) is published instead, root-relative; undefined: the file itself. */
  mapLink?: ((target: string) => string | undefined) | undefined
  /** The plugins' edits of a block (interpolation). */
  blockEdits: ComposeHooks['blockEdits']
}

/** Render `piece` into `emitter`. */
export function renderBlock(piece: BlockPiece, env: RenderEnv, emitter: Emitter): void {
  const { doc, index } = piece
  const position = doc.blocks[index]?.position
  if (!position) return
  const report = (message: Message) => env.messages.push(message)
  const failed = (plugin: string, error: unknown) => env.messages.push(pluginError(plugin, doc.file.path, error, pointAt(doc.file, position.start.offset ?? 0)))
  const edits = shiftEdits(piece, [...env.blockEdits(piece, report, failed), ...linkEdits(piece, env.outputPath, env.mapLink)])
  edits.sort((a, b) => a.start - b.start)
  let cursor = position.start.offset ?? 0
  for (const edit of edits) {
    if (edit.start < cursor) continue
    emitter.source(doc.file, cursor, edit.start)
    emitter.generated(edit.text, doc.file, pointAt(doc.file, edit.start).line)
    cursor = edit.end
  }
  emitter.source(doc.file, cursor, position.end.offset ?? 0)
}
