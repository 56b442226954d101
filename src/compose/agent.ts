// Composition of one agent: resolve imports, expand includes, splice groups, check conflicts.
import type { ResolvedConfig } from '../config/schema.js'
import { createMessage, type Message } from '../model/messages.js'
import type { Agent } from '../parse/agent.js'
import type { VariableValue } from '../parse/trait.js'
import { checkConflicts, createResolveState, resolveImports, type Placement, type ResolveState } from '../resolve/imports.js'
import { lookupRef, nearestIds, ownFolder, type TraitCatalog } from '../resolve/lookup.js'
import { placeOfValue } from '../parse/frontmatter.js'
import type { Template } from '../parse/template.js'
import { composeWithTemplate } from './template.js'
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
  /** The config's default template (an agent's `template` key wins); undefined: none. */
  template: string | undefined
}

/** Composition options from a resolved config. */
export function composeOptionsOf(config: ResolvedConfig): ComposeOptions {
  return {
    variables: config.variables,
    groups: config.groups,
    includeDepth: config.limits.includeDepth,
    expandedBytes: config.limits.expandedBytes,
    provenance: config.provenance,
    template: config.template,
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
    const templateName = agent.meta.template ?? options.template
    if (templateName !== undefined) {
      state.touched.add(`template:${templateName}`)
      const template = findTemplate(state, agent, catalog, templateName, agent.meta.template === undefined)
      if (template) pieces = composeWithTemplate(context, agent, template, groups, options.groups)
    } else {
      pieces = expandBlocks(context, agent.doc, 0, agent.doc.blocks.length, undefined, [])
      spliceGroups(pieces, groups, options.groups)
    }
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

/** The agent's template, or undefined (with TEMPLATE_NOT_FOUND, or the agent failed by a broken template). */
function findTemplate(state: ResolveState, agent: Agent, catalog: TraitCatalog, name: string, fromConfig: boolean): Template | undefined {
  const template = catalog.template?.(name)
  if (template?.ok) return template
  state.ok = false
  const names = catalog.templateNames?.() ?? []
  // An existing template that failed to load reports its own problems.
  if (names.includes(name)) return undefined
  const suggestions = nearestIds(names, name)
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : names.length > 0 ? `; templates: ${names.join(', ')}` : '; there is no template in the templates folder'
  const file = agent.doc.file
  const where = fromConfig ? 'the config sets template' : 'template'
  state.messages.push(
    createMessage('error', 'TEMPLATE_NOT_FOUND', `${where} "${name}" does not exist${hint}`, file.path, fromConfig ? undefined : placeOfValue(file, agent.doc.frontmatter, 'template'), {
      template: name,
      suggestions,
    }),
  )
  return undefined
}

/**
 * Ids of traits included whole somewhere in the agent: by its body, or by another trait its imports
 * place. An import never places these again (spec §5.3). A trait that only comes back to itself
 * through includes (a cycle) is not skipped: placing it is what reveals the cycle.
 */
function includedWhole(agent: Agent, catalog: TraitCatalog): Set<string> {
  const dry = createResolveState(catalog)
  const candidates = resolveImports(dry, agent, new Set())
  const found = includeClosure(catalog, [{ doc: agent.doc, from: 0, to: agent.doc.blocks.length, folder: undefined }])
  const closures = new Map<string, Set<string>>()
  for (const p of candidates) {
    const t = p.resolution.trait
    if (!closures.has(t.id)) closures.set(t.id, includeClosure(catalog, [{ doc: t.doc, from: t.content[0], to: t.content[1], folder: ownFolder(t.id) }]))
  }
  for (const [id, closure] of closures) {
    for (const included of closure) {
      if (included === id) continue
      // Mutually reachable (through includes or dependencies): a cycle, reported when it is expanded;
      // not an include that covers the import.
      if (reaches(catalog, included, id)) continue
      found.add(included)
    }
  }
  return found
}

/** Whether trait `from` leads to trait `to` through includes and dependencies. */
function reaches(catalog: TraitCatalog, from: string, to: string): boolean {
  const seen = new Set<string>([from])
  const queue = [from]
  while (queue.length > 0) {
    const trait = catalog.get(queue.pop() as string)
    if (!trait) continue
    const next: string[] = []
    for (const dep of trait.meta.dependencies) {
      const found = lookupRef(catalog, dep, trait.doc.file.path, ownFolder(trait.id)).resolution
      if (found) next.push(found.trait.id)
    }
    for (const id of includeClosure(catalog, [{ doc: trait.doc, from: trait.content[0], to: trait.content[1], folder: ownFolder(trait.id) }])) next.push(id)
    for (const id of next) {
      if (id === to) return true
      if (!seen.has(id)) {
        seen.add(id)
        queue.push(id)
      }
    }
  }
  return false
}

/** Trait ids included whole, transitively, from the given block ranges. */
function includeClosure(catalog: TraitCatalog, start: Array<{ doc: Agent['doc']; from: number; to: number; folder: string | undefined }>): Set<string> {
  const found = new Set<string>()
  const queue = [...start]
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
