// The target API: how an output format turns a composed agent into files.
import type { ComposedAgent } from '../compose/agent.js'
import type { Message } from '../model/messages.js'
import type { SourceMap } from '../render/emitter.js'

/** One file a target writes. */
export interface TargetFile {
  /** Path relative to the project root, POSIX. */
  path: string
  text: string
  /** Where each line came from (for `traitgen blame`). */
  sourceMap: SourceMap | undefined
}

/** What a target gets for each agent. */
export interface TargetContext {
  /** The target's folder, relative to the root. */
  dir: string
  /** The composed agent. */
  composed: ComposedAgent
  /** Messages found while rendering (undefined variables, …). */
  messages: Message[]
}

/** An output format. */
export interface TargetDefinition {
  /** Name used in the config's `targets`. */
  name: string
  /** The files for one agent. */
  renderAgent(context: TargetContext): TargetFile[]
}
