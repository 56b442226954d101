// Sizes for list and explain: lines, bytes and estimated tokens of traits and expanded agents.
import type { Trait } from '../parse/trait.js'
import type { SectionHeading } from '../parse/document.js'
import { estimateTokens } from '../validate.js'

/** Lines, bytes and estimated tokens of a text. */
export interface Size {
  lines: number
  bytes: number
  tokens: number
}

/** The size of a text (lines counted as newline-terminated lines). */
export function sizeOf(text: string): Size {
  const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  return { lines, bytes: Buffer.byteLength(text, 'utf8'), tokens: estimateTokens(text) }
}

/** What a placement of the trait contributes (its export or the chosen section), as written. */
export function traitContent(trait: Trait, section?: SectionHeading): string {
  let [from, to] = trait.content
  if (section) {
    const next = trait.doc.headings.find((h) => h.index > section.index && h.depth <= section.depth)
    from = section.index
    to = next ? next.index : trait.doc.blocks.length
  }
  const first = trait.doc.blocks[from]
  const last = trait.doc.blocks[to - 1]
  if (!first?.position || !last?.position) return ''
  return `${trait.doc.file.text.slice(first.position.start.offset ?? 0, last.position.end.offset ?? 0)}\n`
}
