// Built-in interpolation (spec §5.4): `{{ name }}` replaced by the variable's value as a block is rendered,
// `\{{` by `{{`; an unknown name in prose is UNDEFINED_VARIABLE, in code it is left as written (info).
import { distance } from 'fastest-levenshtein'
import { createMessage, pointAt, type BlockPiece, type Edit, type Message, type TraitgenPlugin } from '../src/index.js'

/** The interpolation plugin. */
export function interpolatePlugin(): TraitgenPlugin {
  return {
    name: 'traitgen:interpolate',
    blockEdits(piece, { report }) {
      const sites = piece.doc.sites[piece.index]?.placeholders
      if (!sites || sites.length === 0) return undefined
      const edits: Edit[] = []
      for (const site of sites) {
        if (site.name === '') {
          edits.push({ start: site.start, end: site.start + 1, text: '' })
          continue
        }
        const value = lookupVariable(piece, site.name)
        if (value !== undefined) edits.push({ start: site.start, end: site.end, text: value })
        else report(undefinedVariable(piece, site.name, site.start, site.code ? 'info' : 'error'))
      }
      return edits
    },
  }
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
