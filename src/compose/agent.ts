// Composition of one agent: resolve imports, expand includes, splice groups, check conflicts.
import type { ResolvedConfig } from '../config/schema.js'
import { createMessage, type Message } from '../model/messages.js'
import type { Agent } from '../parse/agent.js'
import type { VariableValue } from '../parse/trait.js'
import { checkConflicts, createResolveState, resolveImports, type Placement } from '../resolve/imports.js'
import { lookupRef, ownFolder, type TraitCatalog } from '../resolve/lookup.js'
import { append, expandBlocks, ExpansionLimit, placementPieces, type ExpandContext } from './include.js'
import type { Piece } from './pieces.js'
import { spliceGroups } from './splice.js'

/** Options of composition that come from the config. */
export interface ComposeOptions {
  variables: Readonly<Record<string, VariableValue>>
  groups: Readonly<Record<string, { title: string }>>
  includeDepth: number
  expandedBytes: number
  provenance: boolean
}

/** Composition options from a resolved config. */
export function composeOptionsOf(config: ResolvedConfig): ComposeOptions {
  return {
    variables: config.variables,
    groups: config.groups,
    includeDepth: config.limits.includeDepth,
    expandedBytes: config.limits.expandedBytes,
    provenance: config.provenance,
  }
}

/** An agent after composition, before rendering. */
export interface ComposedAgent {
  /** The agent as parsed. */
  agent: Agent
  /** The expanded body as source pieces, in output order. */
  pieces: Piece[]
  /** Every trait placement in order, with why it is there. */
  placements: Placement[]
  /** Problems found while composing. */
  messages: Message[]
  /** False when a message is an error. */
  ok: boolean
  /** Trait ids and short names the composition depended on. */
  touched: Set<string>
}

/** Compose an agent from the catalog. */
export function composeAgent(agent: Agent, catalog: TraitCatalog, options: ComposeOptions): ComposedAgent {
  const state = createResolveState(catalog)
  const context: ExpandContext = {
    state,
    baseScope: [agent.meta.variables, options.variables],
    includeDepth: options.includeDepth,
    expandedBytes: options.expandedBytes,
    bytes: 0,
    placements: [],
    provenance: options.provenance,
  }
  let pieces: Piece[] = []
  try {
    const skip = includedWhole(agent, catalog)
    const imports = resolveImports(state, agent, skip)
    pieces = expandBlocks(context, agent.doc, 0, agent.doc.blocks.length, undefined, [])
    const groups = agent.meta.imports.map(({ group }) => ({
      group,
      build: (parentDepth: number) => {
        const out: Piece[] = []
        for (const placement of imports) {
          if (placement.group !== group) continue
          context.placements.push(placement)
          append(out, placementPieces(context, placement.resolution, parentDepth, []))
        }
        return out
      },
    }))
    spliceGroups(pieces, groups, options.groups)
    checkConflicts(state, context.placements)
  } catch (error) {
    if (!(error instanceof ExpansionLimit)) throw error
    state.ok = false
    state.messages.push(
      createMessage(
        'error',
        'EXPANSION_LIMIT',
        `the expanded agent passes limits.expandedBytes (${options.expandedBytes} bytes); check for include chains, or raise the limit`,
        agent.doc.file.path,
      ),
    )
    pieces = []
  }
  return { agent, pieces, placements: context.placements, messages: state.messages, ok: state.ok && agent.ok, touched: state.touched }
}

/**
 * Ids of traits included whole anywhere in the agent (its body, or any trait its imports could place):
 * an import never places these again (spec §5.3).
 */
function includedWhole(agent: Agent, catalog: TraitCatalog): Set<string> {
  const dry = createResolveState(catalog)
  const candidates = resolveImports(dry, agent, new Set())
  const found = new Set<string>()
  const queue: Array<{ doc: Agent['doc']; from: number; to: number; folder: string | undefined }> = [
    { doc: agent.doc, from: 0, to: agent.doc.blocks.length, folder: undefined },
  ]
  for (const p of candidates) {
    const t = p.resolution.trait
    queue.push({ doc: t.doc, from: t.content[0], to: t.content[1], folder: ownFolder(t.id) })
  }
  const seen = new Set<string>()
  while (queue.length > 0) {
    const item = queue.pop() as (typeof queue)[number]
    for (let i = item.from; i < item.to; i++) {
      const include = item.doc.sites[i]?.includes[0]
      if (!include?.valid) continue
      const result = lookupRef(catalog, { raw: include.ref, place: { line: 1, column: 1 } }, item.doc.file.path, item.folder)
      const resolution = result.resolution
      if (!resolution) continue
      if (!resolution.section) found.add(resolution.trait.id)
      if (seen.has(resolution.key)) continue
      seen.add(resolution.key)
      const t = resolution.trait
      queue.push({ doc: t.doc, from: t.content[0], to: t.content[1], folder: ownFolder(t.id) })
    }
  }
  return found
}
