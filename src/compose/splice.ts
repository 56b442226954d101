// Splicing (spec §5.2): each group's traits at the end of the agent section named by the group, else appended.
import { slugOf, type ParsedDoc } from '../parse/document.js'
import { pieceHeadingDepth, type Piece } from './pieces.js'

/** Title of an appended group section: from config `groups`, else the name in title case. */
export function groupTitle(group: string, titles: Readonly<Record<string, { title: string }>>): string {
  const configured = titles[group]?.title
  if (configured) return configured
  return group
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(' ')
}

/** A group and how to render its traits under a heading depth. */
export interface GroupBuild {
  group: string
  build: (parentDepth: number) => Piece[]
}

/**
 * Where a group's section is among the agent's pieces: [insert index, section heading depth], or
 * undefined. Only the agent's own headings count (`owner`: the agent's document, when a template's
 * blocks are among the pieces too).
 */
export function findGroupSection(pieces: readonly Piece[], group: string, owner?: ParsedDoc): { insertAt: number; depth: number } | undefined {
  const wanted = slugOf(group)
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece
    if (piece.kind !== 'block' || piece.trait !== undefined) continue
    if (owner && piece.doc !== owner) continue
    const heading = piece.doc.headings.find((h) => h.index === piece.index)
    if (!heading || slugOf(heading.text) !== wanted) continue
    const depth = pieceHeadingDepth(piece) as number
    let end = i + 1
    while (end < pieces.length) {
      const d = pieceHeadingDepth(pieces[end] as Piece)
      if (d !== undefined && d <= depth) break
      end++
    }
    return { insertAt: end, depth }
  }
  return undefined
}

/** Splice each group's pieces into `pieces` (mutated); `build(depth)` renders a group under a heading depth. */
export function spliceGroups(
  pieces: Piece[],
  groups: readonly GroupBuild[],
  titles: Readonly<Record<string, { title: string }>>,
  owner?: ParsedDoc,
): void {
  const appended: GroupBuild[] = []
  for (const entry of groups) {
    const section = findGroupSection(pieces, entry.group, owner)
    if (!section) {
      appended.push(entry)
      continue
    }
    const built = entry.build(section.depth)
    // splice in chunks: spreading a huge array into one call overflows the stack.
    for (let i = 0; i < built.length; i += 10_000) pieces.splice(section.insertAt + i, 0, ...built.slice(i, i + 10_000))
  }
  for (const entry of appended) {
    const content = entry.build(2)
    if (content.length === 0) continue
    pieces.push({ kind: 'text', text: `## ${groupTitle(entry.group, titles)}`, headingDepth: 2 })
    for (const piece of content) pieces.push(piece)
  }
}
