// What a composition hook is given: the agent's state (placed traits, messages) and the engine's services
// (look a ref up, expand blocks through every plugin, place a trait under a heading).
import type { Message } from '../model/messages.js'
import type { ParsedDoc } from '../parse/document.js'
import type { Agent, ImportGroup } from '../parse/agent.js'
import type { Template } from '../parse/template.js'
import type { RefEntry, Trait, VariableValue } from '../parse/trait.js'
import { lookupRef, type Resolution, type TraitCatalog } from '../resolve/lookup.js'
import { ExpansionLimit, type ComposeHooks } from './hooks.js'
import type { Piece, VariableScope } from './pieces.js'
import type { Placement, PlacementOrigin } from './placement.js'

/** Options of composition that come from the config. */
export interface ComposeOptions {
  /** The config's `variables`. */
  variables: Readonly<Record<string, VariableValue>>
  /** The config's `groups` (titles of appended group sections). */
  groups: Readonly<Record<string, GroupTitle>>
  /** `limits.includeDepth`: how deep includes may nest. */
  includeDepth: number
  /** `limits.expandedBytes`: how large one agent may expand. */
  expandedBytes: number
  /** `provenance`: a `<!-- trait: id@version -->` comment before each placed trait. */
  provenance: boolean
  /** The config's default template (an agent's `template` key wins); undefined: none. */
  template: string | undefined
}

/** A group's configured section title. */
export interface GroupTitle {
  /** The title of the section appended for the group. */
  title: string
}

/** What `resolveImports` is asked to place. */
export interface ImportRequest {
  /** The agent whose imports these are; undefined for refs placed through the library API. */
  agent: Agent | undefined
  /** The groups and refs to place, in order. */
  imports: readonly ImportGroup[]
}

/** One group of an agent: its name, and its traits rendered to sit under a heading of depth `parentDepth`. */
export interface GroupBuild {
  /** The group's name as written in `imports`. */
  group: string
  /** The group's placed traits as pieces (records their placements); call it once. */
  build: (parentDepth: number) => Piece[]
}

/** What `splice` lays out. */
export interface SpliceInput {
  /** The agent. */
  agent: Agent
  /** The agent's own body, includes expanded. */
  body: Piece[]
  /** Each import group, in the order of `imports`. */
  groups: readonly GroupBuild[]
  /** The template the agent fills, when it has one. */
  template: Template | undefined
}

/** The state of composing one agent (or one docs page), and the services a hook may call. */
export interface ComposeContext {
  /** The agent being composed; undefined for a docs page or a library call. */
  readonly agent: Agent | undefined
  /** Composition options from the config. */
  readonly options: ComposeOptions
  /** Variables above trait defaults: the agent's, then the config's. */
  readonly baseScope: VariableScope
  /** Keys already placed (`id` or `id#slug`): imports and dependencies place each once. */
  readonly placed: Set<string>
  /** Every placement so far, in order (imports, dependencies and includes). */
  readonly placements: Placement[]
  /** Look a ref up, recording what the agent depends on; undefined (with its message) when it does not resolve or its trait is broken. */
  resolve(ref: RefEntry, file: string, folder: string | undefined): Resolution | undefined
  /** Look a ref up without recording anything or reporting (for looking ahead). */
  lookup(ref: RefEntry, file: string, folder: string | undefined): Resolution | undefined
  /** A loaded trait by id. */
  trait(id: string): Trait | undefined
  /** Report a problem; an error fails the agent. */
  report(message: Message): void
  /** Expand blocks [from, to) of `doc` through every plugin's `expandBlock`. `trait`: the trait they belong to; `stack`: the traits being included around them; `scope`: default the trait's. */
  expand(doc: ParsedDoc, from: number, to: number, trait: Trait | undefined, stack: readonly string[], scope?: VariableScope): Piece[]
  /** A placed trait's content (or section), expanded and shifted so its shallowest heading sits under `parentDepth`. */
  traitPieces(resolution: Resolution, parentDepth: number | undefined, stack: readonly string[]): Piece[]
  /** The dependencies of `resolution` not yet placed, to go just before it (through `resolveDependencies`). */
  dependencies(resolution: Resolution, origin: PlacementOrigin): readonly Placement[]
  /** The scope a trait's text sees: the agent's and config's variables, then its own defaults. */
  traitScope(trait: Trait | undefined): VariableScope
}

/** Engine-side state of a context: what the composer reads back. */
export interface ComposeState {
  context: ComposeContext
  messages: Message[]
  /** Ids and names the composition depended on. */
  touched: Set<string>
  /** False once an error is reported or a used trait is broken. */
  ok: boolean
  /** Bytes expanded so far. */
  bytes: number
}

/** Start composing: `baseScope` holds the agent's and the config's variables. */
export function createComposeContext(
  catalog: TraitCatalog,
  hooks: ComposeHooks,
  options: ComposeOptions,
  agent: Agent | undefined,
  baseScope: VariableScope,
): ComposeState {
  const state: ComposeState = { context: undefined as unknown as ComposeContext, messages: [], touched: new Set(), ok: true, bytes: 0 }
  const traitScope = (trait: Trait | undefined): VariableScope => (trait ? [...baseScope, trait.meta.variables] : baseScope)
  const context: ComposeContext = {
    agent,
    options,
    baseScope,
    placed: new Set(),
    placements: [],
    resolve(ref, file, folder) {
      const result = lookupRef(catalog, ref, file, folder)
      for (const t of result.touched) state.touched.add(t)
      for (const m of result.messages) state.messages.push(m)
      if (!result.resolution) {
        state.ok = false
        return undefined
      }
      state.touched.add(result.resolution.trait.id)
      if (!result.resolution.trait.ok) state.ok = false
      return result.resolution
    },
    lookup: (ref, file, folder) => lookupRef(catalog, ref, file, folder).resolution,
    trait: (id) => catalog.get(id),
    report(message) {
      state.messages.push(message)
      if (message.severity === 'error') state.ok = false
    },
    expand(doc, from, to, trait, stack, scope = traitScope(trait)) {
      const out: Piece[] = []
      let enclosing: number | undefined
      for (let index = from; index < to; index++) {
        const block = doc.blocks[index]
        if (!block) continue
        if (block.type === 'heading') enclosing = block.depth
        const piece: Piece = { kind: 'block', doc, index, shift: 0, scope, trait: trait?.id }
        const replaced = hooks.expandBlock(piece, { compose: context, enclosing, trait, stack })
        if (replaced) {
          for (const p of replaced) out.push(p)
          continue
        }
        state.bytes += (block.position?.end.offset ?? 0) - (block.position?.start.offset ?? 0) + 2
        if (state.bytes > options.expandedBytes) throw new ExpansionLimit()
        out.push(piece)
      }
      return out
    },
    traitPieces(resolution, parentDepth, stack) {
      const { trait, section } = resolution
      const [from, to] = section ? sectionBlocks(trait, section.index, section.depth) : trait.content
      const pieces = context.expand(trait.doc, from, to, trait, [...stack, trait.id])
      const out: Piece[] = []
      if (options.provenance) out.push({ kind: 'text', text: `<!-- trait: ${trait.id}@${trait.meta.version} -->`, headingDepth: undefined })
      // Only headings are shifted: when the expanded pieces hold none, the shift changes nothing.
      const shallowest = shallowestAmong(pieces)
      const shift = parentDepth === undefined || shallowest === undefined ? 0 : parentDepth + 1 - shallowest
      for (const piece of pieces) out.push(piece.kind === 'block' ? { ...piece, shift: piece.shift + shift } : piece)
      return out
    },
    dependencies: (resolution, origin) => hooks.resolveDependencies(resolution, origin, context),
    traitScope,
  }
  state.context = context
  return state
}

function shallowestAmong(pieces: readonly Piece[]): number | undefined {
  let min: number | undefined
  for (const piece of pieces) {
    if (piece.kind !== 'block') continue
    for (const h of piece.doc.sites[piece.index]?.headings ?? []) {
      const depth = h.depth + piece.shift
      if (min === undefined || depth < min) min = depth
    }
  }
  return min
}

function sectionBlocks(trait: Trait, index: number, depth: number): [number, number] {
  const next = trait.doc.headings.find((h) => h.index > index && h.depth <= depth)
  return [index, next ? next.index : trait.doc.blocks.length]
}

/** What `expandBlock` is given besides the block. */
export interface ExpandBlockContext {
  /** The composition it is part of. */
  compose: ComposeContext
  /** Depth of the last heading before the block in its file (what an include nests under); undefined before any. */
  enclosing: number | undefined
  /** The trait the block belongs to; undefined for the agent's (or a template's, or a page's) own blocks. */
  trait: Trait | undefined
  /** Ids of the traits being included around the block, outermost first. */
  stack: readonly string[]
}

/** What `blockEdits` is given besides the block. */
export interface BlockEditContext {
  /** Report a problem at the block (an error fails the agent's output). */
  report(message: Message): void
}
