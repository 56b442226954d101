// The target API: how an output format turns composed agents (and, optionally, the whole library) into files.
import type { ComposedAgent } from '../compose/agent.js'
import type { Message } from '../model/messages.js'
import type { SourceMap } from '../render/emitter.js'

/** One file a target writes. */
export interface TargetFile {
  /** Path relative to the project root, POSIX. */
  path: string
  /** The file's content. */
  text: string
  /** Where each line came from (for `traitgen blame`); undefined for generated pages. */
  sourceMap: SourceMap | undefined
}

/** What a target gets for each agent. */
export interface TargetContext {
  /** The target's folder, relative to the root (POSIX). */
  dir: string
  /** The composed agent. */
  composed: ComposedAgent
  /** Messages found while rendering (undefined variables, …); a target may add its own. */
  messages: Message[]
  /** The traits folder, relative to the root (POSIX): a target that publishes traits can map links to them. */
  traitsFolder: string
}

/** An agent as the library-wide pages see it. */
export interface LibraryAgent {
  /** Agent id. */
  id: string
  /** Its `name`. */
  name: string
  /** Its `description`. */
  description: string
  /** Source file, relative to the root. */
  file: string
  /** Ids of the traits it places, in output order, each once. */
  traits: string[]
  /** False when the agent failed this build (its traits are then unknown). */
  ok: boolean
}

/** A trait as the library-wide pages see it. */
export interface LibraryTrait {
  /** Trait id. */
  id: string
  /** Its `name`, when the frontmatter sets one. */
  name: string | undefined
  /** Its description (default: the first paragraph). */
  description: string
  /** Its version. */
  version: string
  /** Its category. */
  category: string
  /** Source file, relative to the root. */
  file: string
  /** The trait's body as written (no frontmatter). */
  body: string
  /** Ids of the traits it depends on. */
  dependencies: string[]
  /** Ids of the traits it includes. */
  includes: string[]
  /** Ids of the agents that place it. */
  users: string[]
  /** False when the trait has errors. */
  ok: boolean
}

/** What a target gets once per build for its library-wide files (index, trait pages). */
export interface LibraryContext {
  /** The target's folder, relative to the root (POSIX). */
  dir: string
  /** Every agent, in id order. */
  agents: LibraryAgent[]
  /** Every trait, in id order. */
  traits: LibraryTrait[]
  /** The traits folder, relative to the root (POSIX). */
  traitsFolder: string
}

/** An output format. */
export interface TargetDefinition {
  /** Name used in the config's `targets`. */
  name: string
  /** Folder under the config's `output` when the config names none. Default: the target's name. */
  defaultDir?: string
  /** The files for one agent. */
  renderAgent(context: TargetContext): TargetFile[]
  /** Files about the whole library (an index, one page per trait), rendered after every agent. Optional. */
  renderLibrary?(context: LibraryContext): TargetFile[]
}
