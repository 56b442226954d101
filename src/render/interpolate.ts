// Interpolation (spec §5.4): `{{ name }}` replaced by the variable's value, `\{{` by `{{`.
import { distance } from 'fastest-levenshtein'
import type { BlockPiece } from '../compose/pieces.js'
import { createMessage, type Message } from '../model/messages.js'
import { pointAt } from '../model/source.js'
import type { Edit } from './edits.js'

/** Edits for the block's placeholders; unknown names in prose are errors, in code `info` (left as written). */
export function interpolationEdits(piece: BlockPiece, messages: Message[]): Edit[] {
  const edits: Edit[] = []
  for (const site of piece.doc.sites[piece.index]?.placeholders ?? []) {
    if (site.name === '') {
      edits.push({ start: site.start, end: site.start + 1, text: '' })
      continue
    }
    const value = lookupVariable(piece, site.name)
    if (value !== undefined) edits.push({ start: site.start, end: site.end, text: value })
    else messages.push(undefinedVariable(piece, site.name, site.start, site.code ? 'info' : 'error'))
  }
  return edits
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
