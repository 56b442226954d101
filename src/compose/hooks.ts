// The composition hooks of every plugin, in run order, and the runners that call them: "first" hooks
// take the first answer, "all" hooks run every plugin's. A hook that throws names its plugin.
import type { Agent } from '../parse/agent.js'
import type { BlockPiece, Piece } from './pieces.js'
import type { Message } from '../model/messages.js'
import type { Edit } from '../render/edits.js'
import type { Resolution } from '../resolve/lookup.js'
import type { TraitgenPlugin } from '../plugins/types.js'
import type { ComposeContext, ExpandBlockContext, SpliceInput } from './context.js'
import type { Placement, PlacementOrigin } from './placement.js'

/** Thrown to unwind an expansion that passed `expandedBytes`; caught by the composer. Plugins let it pass. */
export class ExpansionLimit extends Error {}

/** A plugin's composition hook threw; composition reports it as PLUGIN_ERROR on the agent. */
export class PluginFailure extends Error {
  constructor(
    readonly plugin: string,
    readonly reason: unknown,
  ) {
    super(`plugin "${plugin}" failed`)
  }
}

/** The composition hooks of a project's plugins, ready to call. */
export interface ComposeHooks {
  resolveImports(agent: Agent | undefined, imports: Agent['meta']['imports'], context: ComposeContext): readonly Placement[]
  resolveDependencies(resolution: Resolution, origin: PlacementOrigin, context: ComposeContext): readonly Placement[]
  expandBlock(block: BlockPiece, context: ExpandBlockContext): readonly Piece[] | undefined
  splice(input: SpliceInput, context: ComposeContext): Piece[]
  checkPlacements(placements: readonly Placement[], context: ComposeContext): void
  /** Every plugin's edits of a block; a plugin that throws is reported through `report` and skipped. */
  blockEdits(block: BlockPiece, report: (message: Message) => void, failed: (plugin: string, error: unknown) => void): Edit[]
}

type HookName = 'resolveImports' | 'resolveDependencies' | 'expandBlock' | 'splice' | 'checkPlacements' | 'blockEdits'

const cache = new WeakMap<readonly TraitgenPlugin[], ComposeHooks>()

/** The hooks of `plugins` (in the order given: the loader has already put `pre` first and `post` last). */
export function composeHooks(plugins: readonly TraitgenPlugin[]): ComposeHooks {
  let hooks = cache.get(plugins)
  if (!hooks) {
    hooks = createHooks(plugins)
    cache.set(plugins, hooks)
  }
  return hooks
}

function withHook<K extends HookName>(plugins: readonly TraitgenPlugin[], name: K): Array<{ plugin: string; fn: NonNullable<TraitgenPlugin[K]> }> {
  const out: Array<{ plugin: string; fn: NonNullable<TraitgenPlugin[K]> }> = []
  for (const p of plugins) {
    const fn = p[name]
    if (fn) out.push({ plugin: p.name, fn: fn.bind(p) as NonNullable<TraitgenPlugin[K]> })
  }
  return out
}

/** Call a hook; anything it throws but the limit unwinding an expansion becomes a PluginFailure naming it. */
function call<T>(plugin: string, run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof ExpansionLimit || error instanceof PluginFailure) throw error
    throw new PluginFailure(plugin, error)
  }
}

function createHooks(plugins: readonly TraitgenPlugin[]): ComposeHooks {
  const resolveImports = withHook(plugins, 'resolveImports')
  const resolveDependencies = withHook(plugins, 'resolveDependencies')
  const expandBlock = withHook(plugins, 'expandBlock')
  const splice = withHook(plugins, 'splice')
  const checkPlacements = withHook(plugins, 'checkPlacements')
  const blockEdits = withHook(plugins, 'blockEdits')
  return {
    resolveImports(agent, imports, context) {
      for (const { plugin, fn } of resolveImports) {
        const placements = call(plugin, () => fn({ agent, imports }, context))
        if (placements) return placements
      }
      return []
    },
    resolveDependencies(resolution, origin, context) {
      for (const { plugin, fn } of resolveDependencies) {
        const placements = call(plugin, () => fn(resolution, origin, context))
        if (placements) return placements
      }
      return []
    },
    expandBlock(block, context) {
      for (const { plugin, fn } of expandBlock) {
        const pieces = call(plugin, () => fn(block, context))
        if (pieces) return pieces
      }
      return undefined
    },
    splice(input, context) {
      for (const { plugin, fn } of splice) {
        const pieces = call(plugin, () => fn(input, context))
        if (pieces) return pieces
      }
      // No layout plugin: the body alone.
      return input.body
    },
    checkPlacements(placements, context) {
      for (const { plugin, fn } of checkPlacements) call(plugin, () => fn(placements, context))
    },
    blockEdits(block, report, failed) {
      if (blockEdits.length === 0) return []
      const out: Edit[] = []
      for (const { plugin, fn } of blockEdits) {
        try {
          const edits = fn(block, { report })
          if (edits) for (const edit of edits) out.push(edit)
        } catch (error) {
          failed(plugin, error)
        }
      }
      return out
    },
  }
}
