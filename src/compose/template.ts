// Templates (spec §14): the template's blocks are the skeleton; the agent's body goes at `@body`, each
// group's traits at its `@slot`, shifted under the slot's enclosing heading; other groups land by §5.
import type { Agent } from '../parse/agent.js'
import type { Template } from '../parse/template.js'
import type { VariableValue } from '../parse/trait.js'
import { append, expandBlocks, type ExpandContext } from './include.js'
import type { Piece, VariableScope } from './pieces.js'
import { spliceGroups, type GroupBuild } from './splice.js'

/** The agent's frontmatter scalars as template variables (`name` defaults to the file name). */
export function frontmatterScalars(agent: Agent): Record<string, VariableValue> {
  const out: Record<string, VariableValue> = Object.create(null) as Record<string, VariableValue>
  for (const [key, value] of Object.entries(agent.doc.frontmatter?.data ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value
  }
  out.name = agent.meta.name
  out.description = agent.meta.description
  return out
}

/** Placeholders in a template see, highest first: the agent's variables, the config's, the agent's scalars, the template's defaults. */
export function templateScope(context: ExpandContext, agent: Agent, template: Template): VariableScope {
  return [...context.baseScope, frontmatterScalars(agent), template.meta.variables]
}

/** The agent's pieces laid out by its template. */
export function composeWithTemplate(
  context: ExpandContext,
  agent: Agent,
  template: Template,
  groups: readonly GroupBuild[],
  titles: Readonly<Record<string, { title: string }>>,
): Piece[] {
  const { doc } = template
  const scope = templateScope(context, agent, template)
  const body = expandBlocks(context, agent.doc, 0, agent.doc.blocks.length, undefined, [])
  // The skeleton, with an empty stand-in at each slot (filled below, or dropped when no group fills it).
  const skeleton: Piece[] = []
  const slotAt = new Map<Piece, { group: string; depth: number }>()
  let enclosing: number | undefined
  let from = 0
  const flush = (to: number) => {
    if (to > from) append(skeleton, expandBlocks(context, doc, from, to, undefined, [], scope))
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
    if (isBody) append(skeleton, body)
    else {
      const standIn: Piece = { kind: 'text', text: '', headingDepth: undefined }
      slotAt.set(standIn, { group: group as string, depth: enclosing ?? 1 })
      skeleton.push(standIn)
    }
  }
  flush(doc.blocks.length)

  const filled = new Map<string, Piece[]>()
  const rest: GroupBuild[] = []
  const slotted = new Set([...slotAt.values()].map((s) => s.group))
  for (const entry of groups) {
    if (!slotted.has(entry.group)) {
      rest.push(entry)
      continue
    }
    const slot = [...slotAt.values()].find((s) => s.group === entry.group) as { depth: number }
    filled.set(entry.group, entry.build(slot.depth))
  }
  const pieces: Piece[] = []
  for (const piece of skeleton) {
    const slot = slotAt.get(piece)
    if (!slot) pieces.push(piece)
    else append(pieces, filled.get(slot.group) ?? [])
  }
  // Groups without a slot: into a matching section of the agent's own body, else appended (§5).
  spliceGroups(pieces, rest, titles, agent.doc)
  return pieces
}

function slotGroupAt(template: Template, index: number): string | undefined {
  for (const [group, at] of template.slots) if (at === index) return group
  return undefined
}
