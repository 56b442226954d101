// Built-in splicing (spec §5.2) and template layout (§14): each group's traits at the end of the agent
// section named by the group, else under an appended `## Title`; with a template, its blocks are the
// skeleton, the body goes at `@body` and each group at its `@slot`.
import {
  slugOf,
  pieceHeadingDepth,
  type Agent,
  type ComposeContext,
  type GroupBuild,
  type ParsedDoc,
  type Piece,
  type Template,
  type TraitgenPlugin,
  type VariableScope,
  type VariableValue,
} from '../src/index.js'

/** The splice plugin. */
export function splicePlugin(): TraitgenPlugin {
  return {
    name: 'traitgen:splice',
    splice({ agent, body, groups, template }, context) {
      if (template) return layOutTemplate(context, agent, body, template, groups)
      spliceGroups(body, groups, context.options.groups)
      return body
    },
  }
}

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

/**
 * Where a group's section is among the agent's pieces: [insert index, section heading depth], or
 * undefined. Only the agent's own headings count (`owner`: the agent's document, when a template's
 * blocks are among the pieces too).
 */
function findGroupSection(pieces: readonly Piece[], group: string, owner?: ParsedDoc): { insertAt: number; depth: number } | undefined {
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

/** Splice each group's pieces into `pieces` (mutated). */
function spliceGroups(pieces: Piece[], groups: readonly GroupBuild[], titles: Readonly<Record<string, { title: string }>>, owner?: ParsedDoc): void {
  const appended: GroupBuild[] = []
  for (const entry of groups) {
    const section = findGroupSection(pieces, entry.group, owner)
    if (!section) {
      appended.push(entry)
      continue
    }
    const built = entry.build(section.depth)
    // In chunks: spreading a huge array into one call overflows the stack.
    for (let i = 0; i < built.length; i += 10_000) pieces.splice(section.insertAt + i, 0, ...built.slice(i, i + 10_000))
  }
  for (const entry of appended) {
    const content = entry.build(2)
    if (content.length === 0) continue
    pieces.push({ kind: 'text', text: `## ${groupTitle(entry.group, titles)}`, headingDepth: 2 })
    for (const piece of content) pieces.push(piece)
  }
}

/** The agent's frontmatter scalars as template variables (`name` defaults to the file name). */
function frontmatterScalars(agent: Agent): Record<string, VariableValue> {
  const out: Record<string, VariableValue> = Object.create(null) as Record<string, VariableValue>
  for (const [key, value] of Object.entries(agent.doc.frontmatter?.data ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value
  }
  out.name = agent.meta.name
  out.description = agent.meta.description
  return out
}

/** The agent's pieces laid out by its template. */
function layOutTemplate(context: ComposeContext, agent: Agent, body: Piece[], template: Template, groups: readonly GroupBuild[]): Piece[] {
  const { doc } = template
  // Placeholders in a template see, highest first: the agent's variables, the config's, the agent's scalars, the template's defaults.
  const scope: VariableScope = [...context.baseScope, frontmatterScalars(agent), template.meta.variables]
  // The skeleton, with an empty stand-in at each slot (filled below, or dropped when no group fills it).
  const skeleton: Piece[] = []
  const slotAt = new Map<Piece, { group: string; depth: number }>()
  let enclosing: number | undefined
  let from = 0
  const flush = (to: number) => {
    if (to > from) for (const piece of context.expand(doc, from, to, undefined, [], scope)) skeleton.push(piece)
    for (let i = from; i < to; i++) {
      const block = doc.blocks[i]
      if (block?.type === 'heading') enclosing = block.depth
    }
  }
  for (let index = 0; index < doc.blocks.length; index++) {
    const isBody = index === template.body
    const group = isBody ? undefined : slotGroupAt(template, index)
    if (!isBody && group === undefined) continue
    flush(index)
    from = index + 1
    if (isBody) for (const piece of body) skeleton.push(piece)
    else {
      const standIn: Piece = { kind: 'text', text: '', headingDepth: undefined }
      slotAt.set(standIn, { group: group as string, depth: enclosing ?? 1 })
      skeleton.push(standIn)
    }
  }
  flush(doc.blocks.length)

  const filled = new Map<string, Piece[]>()
  const rest: GroupBuild[] = []
  const slots = [...slotAt.values()]
  for (const entry of groups) {
    const slot = slots.find((s) => s.group === entry.group)
    if (slot) filled.set(entry.group, entry.build(slot.depth))
    else rest.push(entry)
  }
  const pieces: Piece[] = []
  for (const piece of skeleton) {
    const slot = slotAt.get(piece)
    if (!slot) pieces.push(piece)
    else for (const p of filled.get(slot.group) ?? []) pieces.push(p)
  }
  // Groups without a slot: into a matching section of the agent's own body, else appended (§5).
  spliceGroups(pieces, rest, context.options.groups, agent.doc)
  return pieces
}

function slotGroupAt(template: Template, index: number): string | undefined {
  for (const [group, at] of template.slots) if (at === index) return group
  return undefined
}
