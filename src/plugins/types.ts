// The plugin API (spec §9): stages of unified plugins, validators, targets and build hooks.
import type { Root } from 'mdast'
import type { Pluggable } from 'unified'
import type { BlockEditContext, ComposeContext, ExpandBlockContext, ImportRequest, SpliceInput } from '../compose/context.js'
import type { BlockPiece, Piece } from '../compose/pieces.js'
import type { Placement, PlacementOrigin } from '../compose/placement.js'
import type { Message, Severity } from '../model/messages.js'
import type { Edit } from '../render/edits.js'
import type { Resolution } from '../resolve/lookup.js'
import type { TargetDefinition } from '../targets/types.js'

/** A unified plugin, or `[plugin, options]`, exactly as `unified().use` takes them. */
export type UnifiedPluginEntry = Pluggable

/** The stages a plugin can transform, in the order a build runs them. */
export type PluginStage = 'trait' | 'agent' | 'document' | 'output'

/** What a validator sees: one rendered output of one agent. */
export interface ValidatedDocument {
  /** The agent's id. */
  agent: string
  /** The agent's source file, relative to the root. */
  file: string
  /** The agent's frontmatter as parsed (keys traitgen consumes included). */
  frontmatter: Readonly<Record<string, unknown>>
  /** The target this output is for. */
  target: string
  /** The output's path, relative to the root. */
  path: string
  /** The output text as it will be written. */
  text: string
  /** The output as an mdast tree (parsed on first access). */
  readonly tree: Root
}

/** A problem a validator reports; `file`, `line` and `column` default to the agent's file at 1:1. */
export interface PluginMessage {
  /** Default `error`. */
  severity?: Severity
  /** What is wrong and how to fix it. */
  message: string
  /** File relative to the root. Default: the agent's source file. */
  file?: string
  /** Line, from 1. Default 1. */
  line?: number
  /** Column, from 1. Default 1. */
  column?: number
  /** A machine-readable rule name, shown in `--json` context. */
  ruleId?: string
  /** The message code, upper case (`SIZE_LIMIT`); default `PLUGIN_MESSAGE`. */
  code?: string
  /** Extra facts for `--json`. */
  context?: Record<string, unknown>
}

/** What `buildStart` is told. */
export interface BuildStartInfo {
  /** Absolute project root. */
  root: string
  /** Agent ids this build looks at. */
  agents: readonly string[]
  /** False for `check`. */
  write: boolean
}

/** What `buildEnd` is told. */
export interface BuildEndInfo extends BuildStartInfo {
  /** True when the build had no errors. */
  ok: boolean
  /** Every message of the build, sorted. */
  messages: readonly Message[]
  /** Root-relative paths of the outputs this build produced (written or unchanged). */
  outputs: readonly string[]
}

/** What a validator returns: messages, or nothing when all is well. */
// biome-ignore lint/suspicious/noConfusingVoidType: a validator written as a block with no `return` returns void.
export type ValidateResult = readonly PluginMessage[] | undefined | void

/** A traitgen plugin. Every key but `name` is optional. */
export interface TraitgenPlugin {
  /** Shown in messages (`PLUGIN_ERROR` names it). */
  name: string
  /**
   * What the plugin's behaviour depends on that its code does not show, such as options a factory keeps in a
   * closure (any JSON value). It is part of the build cache's key, so changing it rebuilds every agent. The
   * text of the plugin's functions and its other plain values count already.
   */
  cacheKey?: unknown
  /**
   * Where the plugin runs among the others: `pre` before the built-in plugins, `post` after every
   * other plugin. Default: after the built-ins, in config order.
   */
  enforce?: 'pre' | 'post'
  /**
   * Import resolution (spec §5.1): the placements of an agent's imports, in order, each trait after its
   * dependencies. The first plugin that returns a list decides; undefined passes to the next.
   */
  resolveImports?(request: ImportRequest, context: ComposeContext): readonly Placement[] | undefined
  /**
   * The dependencies of an included trait not yet placed, to go just before it (spec §5.3). The first
   * plugin that returns a list decides.
   */
  resolveDependencies?(resolution: Resolution, origin: PlacementOrigin, context: ComposeContext): readonly Placement[] | undefined
  /**
   * Includes (spec §5.3): the pieces that replace one top-level block of an agent, trait or template;
   * undefined keeps the block. The first plugin that returns a list decides.
   */
  expandBlock?(block: BlockPiece, context: ExpandBlockContext): readonly Piece[] | undefined
  /**
   * Splicing (spec §5.2) and templates (§14): the agent's final pieces from its body and its groups.
   * The first plugin that returns pieces decides.
   */
  splice?(input: SpliceInput, context: ComposeContext): Piece[] | undefined
  /** Check an agent's placements once it is composed (the built-in reports TRAIT_CONFLICT). Every plugin's runs. */
  checkPlacements?(placements: readonly Placement[], context: ComposeContext): void
  /**
   * Text edits of one block as it is rendered, as ranges of its file's text (the built-in interpolates
   * placeholders, spec §5.4). Every plugin's edits apply; where two overlap, the earlier plugin's wins.
   */
  blockEdits?(block: BlockPiece, context: BlockEditContext): readonly Edit[] | undefined
  /** Unified plugins run on each trait's tree after it is parsed. */
  trait?: UnifiedPluginEntry[]
  /** Unified plugins run on each agent's tree after it is parsed. */
  agent?: UnifiedPluginEntry[]
  /** Unified plugins run on each agent's expanded document (after splicing, before validation). */
  document?: UnifiedPluginEntry[]
  /** Unified plugins run on each target's output tree, before writing. */
  output?: UnifiedPluginEntry[]
  /** Check one output; the messages it returns are reported at their places (errors fail the agent). */
  validate?(document: ValidatedDocument): ValidateResult | Promise<ValidateResult>
  /** Output formats this plugin adds. */
  targets?: TargetDefinition[]
  /** Called once before a build looks at any agent. */
  buildStart?(info: BuildStartInfo): void | Promise<void>
  /** Called once after a build has written its outputs. */
  buildEnd?(info: BuildEndInfo): void | Promise<void>
}

/** What the config's `plugins` list accepts: traitgen plugins, bare unified plugins, `[plugin, options]`. */
export type PluginEntry = TraitgenPlugin | UnifiedPluginEntry
