// Composition of one agent, as the plugins' composition hooks define it: resolve imports, expand the
// body, lay out groups (splice or template), check the placements.
import type { ResolvedConfig } from '../config/schema.js'
import { createMessage, type Message } from '../model/messages.js'
import type { Agent } from '../parse/agent.js'
import { placeOfValue } from '../parse/frontmatter.js'
import type { Template } from '../parse/template.js'
import { pluginError } from '../plugins/stages.js'
import { nearestIds, type TraitCatalog } from '../resolve/lookup.js'
import { createComposeContext, type ComposeOptions, type ComposeState, type GroupBuild } from './context.js'
import { ExpansionLimit, PluginFailure, type ComposeHooks } from './hooks.js'
import type { Piece } from './pieces.js'
import type { Placement } from './placement.js'

export type { ComposeOptions } from './context.js'

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
  /** The plugins' text edits of each block (interpolation), applied when it is rendered. */
  blockEdits: ComposeHooks['blockEdits']
}

/** Compose an agent from the catalog with the plugins' composition hooks. */
export function composeAgent(agent: Agent, catalog: TraitCatalog, options: ComposeOptions, hooks: ComposeHooks): ComposedAgent {
  const state = createComposeContext(catalog, hooks, options, agent, [agent.meta.variables, options.variables])
  const { context } = state
  let pieces: Piece[] = []
  try {
    const imports = hooks.resolveImports(agent, agent.meta.imports, context)
    const groups: GroupBuild[] = agent.meta.imports.map(({ group }) => ({
      group,
      build: (parentDepth: number) => {
        const out: Piece[] = []
        for (const placement of imports) {
          if (placement.group !== group) continue
          context.placements.push(placement)
          for (const piece of context.traitPieces(placement.resolution, parentDepth, [])) out.push(piece)
        }
        return out
      },
    }))
    const templateName = agent.meta.template ?? options.template
    let template: Template | undefined
    if (templateName !== undefined) {
      state.touched.add(`template:${templateName}`)
      template = findTemplate(state, agent, catalog, templateName, agent.meta.template === undefined)
    }
    if (templateName === undefined || template) {
      const body = context.expand(agent.doc, 0, agent.doc.blocks.length, undefined, [])
      pieces = hooks.splice({ agent, body, groups, template }, context)
    }
    hooks.checkPlacements(context.placements, context)
  } catch (error) {
    pieces = []
    state.ok = false
    if (error instanceof PluginFailure) state.messages.push(pluginError(error.plugin, agent.doc.file.path, error.reason))
    else if (error instanceof ExpansionLimit) {
      state.messages.push(
        createMessage(
          'error',
          'EXPANSION_LIMIT',
          `the expanded agent passes limits.expandedBytes (${options.expandedBytes} bytes); check for include chains, or raise the limit`,
          agent.doc.file.path,
        ),
      )
    } else throw error
  }
  return {
    agent,
    pieces,
    placements: context.placements,
    messages: state.messages,
    ok: state.ok && agent.ok,
    touched: state.touched,
    blockEdits: hooks.blockEdits,
  }
}

/** The agent's template, or undefined (with TEMPLATE_NOT_FOUND, or the agent failed by a broken template). */
function findTemplate(state: ComposeState, agent: Agent, catalog: TraitCatalog, name: string, fromConfig: boolean): Template | undefined {
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
