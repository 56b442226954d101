// Rendering one block: its source text with the edits of interpolation, link rewriting and heading shift.
import { distance } from 'fastest-levenshtein'
import { createMessage, type Message } from '../model/messages.js'
import { pointAt } from '../model/source.js'
import type { BlockPiece } from '../compose/pieces.js'
import { clampDepth } from '../compose/pieces.js'
import type { Emitter } from './emitter.js'
import { rewriteLink } from './links.js'

/** What rendering needs besides the piece. */
export interface RenderEnv {
  /** The output file, root-relative (links are rewritten for it). */
  outputPath: string
  messages: Message[]
}

interface Edit {
  start: number
  end: number
  text: string
}

/** Render `piece` into `emitter`. */
export function renderBlock(piece: BlockPiece, env: RenderEnv, emitter: Emitter): void {
  const { doc, index } = piece
  const block = doc.blocks[index]
  const sites = doc.sites[index]
  if (!block?.position || !sites) return
  const start = block.position.start.offset ?? 0
  const end = block.position.end.offset ?? 0
  const text = doc.file.text
  let edits: Edit[] = []
  for (const site of sites.placeholders) {
    if (site.name === '') {
      edits.push({ start: site.start, end: site.start + 1, text: '' })
      continue
    }
    const value = lookupVariable(piece, site.name)
    if (value !== undefined) edits.push({ start: site.start, end: site.end, text: value })
    else if (!site.code) env.messages.push(undefinedVariable(piece, site.name, site.start, 'error'))
    else env.messages.push(undefinedVariable(piece, site.name, site.start, 'info'))
  }
  for (const site of sites.links) {
    const raw = text.slice(site.start, site.end)
    if (raw.includes('{{')) continue
    const rewritten = rewriteLink(raw, doc.file.path, env.outputPath)
    if (rewritten !== raw) edits.push({ start: site.start, end: site.end, text: rewritten })
  }
  if (piece.shift !== 0) edits = shiftHeadings(piece, edits, text)
  edits.sort((a, b) => a.start - b.start)
  let cursor = start
  for (const edit of edits) {
    if (edit.start < cursor) continue
    emitter.source(doc.file, cursor, edit.start)
    emitter.generated(edit.text, doc.file, pointAt(doc.file, edit.start).line)
    cursor = edit.end
  }
  emitter.source(doc.file, cursor, end)
}

function shiftHeadings(piece: BlockPiece, edits: Edit[], text: string): Edit[] {
  const sites = piece.doc.sites[piece.index]
  if (!sites) return edits
  let out = edits
  for (const heading of sites.headings) {
    const depth = clampDepth(heading.depth + piece.shift)
    if (depth === heading.depth && heading.atx) continue
    const marker = '#'.repeat(depth)
    const empty = heading.contentStart >= heading.contentEnd
    if (heading.atx) {
      out.push({ start: heading.start, end: empty ? heading.end : heading.contentStart, text: empty ? marker : `${marker} ` })
      continue
    }
    if (depth === heading.depth) continue
    // A setext heading becomes ATX; edits inside its text are applied to the new line.
    const inner = out.filter((e) => e.start >= heading.contentStart && e.end <= heading.contentEnd)
    out = out.filter((e) => !inner.includes(e))
    let content = ''
    let cursor = heading.contentStart
    for (const edit of inner.sort((a, b) => a.start - b.start)) {
      content += text.slice(cursor, edit.start) + edit.text
      cursor = edit.end
    }
    content += text.slice(cursor, heading.contentEnd)
    out.push({ start: heading.start, end: heading.end, text: `${marker} ${content.replace(/[ \t]*\n[ \t>]*/g, ' ')}` })
  }
  return out
}

function lookupVariable(piece: BlockPiece, name: string): string | undefined {
  for (const layer of piece.scope) {
    if (Object.hasOwn(layer, name)) return String(layer[name])
  }
  return undefined
}

function undefinedVariable(piece: BlockPiece, name: string, offset: number, severity: 'error' | 'info'): Message {
  const known = [...new Set(piece.scope.flatMap((layer) => Object.keys(layer)))]
  const near = known.filter((k) => distance(k, name) <= 2).sort()
  const hint = near.length > 0 ? ` (did you mean ${near.map((n) => `"${n}"`).join(', ')}?)` : ''
  const where = piece.trait ? "the agent's variables, the config's variables or the trait's variables" : "the agent's variables or the config's variables"
  const text =
    severity === 'error'
      ? `undefined variable "${name}"${hint}; define it in ${where}, or write \\{{ to keep the braces`
      : `placeholder "${name}" in code has no value and is left as written${hint}`
  return createMessage(severity, 'UNDEFINED_VARIABLE', text, piece.doc.file.path, pointAt(piece.doc.file, offset), { name })
}
