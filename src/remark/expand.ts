// One include in a page expanded as traitgen expands it in an agent, then parsed into mdast nodes for the page.
import type { RootContent } from 'mdast'
import type { Node } from 'unist'
import { composeOptionsOf } from '../compose/agent.js'
import { createComposeContext, type ComposeState } from '../compose/context.js'
import { composeHooks, ExpansionLimit, PluginFailure, type ComposeHooks } from '../compose/hooks.js'
import type { BlockPiece, Piece } from '../compose/pieces.js'
import type { ProjectConfig } from '../config/load.js'
import { createMessage, hasErrors, uniqueMessages, type Message } from '../model/messages.js'
import { createSourceFile, type Point } from '../model/source.js'
import { parseDocument } from '../parse/document.js'
import { parseMarkdown } from '../parse/markdown.js'
import { pluginError } from '../plugins/stages.js'
import { renderPieces } from '../render/body.js'
import { Emitter } from '../render/emitter.js'
import type { ContentStore } from '../store.js'

/** Stands for the page in messages (a trait file's path could equal the page's: a docs site built over content/). */
export const pageFile = '\u0000page'

/** The expansion state of one page: like one agent's, so dependencies are placed once and the size limit covers the page. */
export interface PageSession {
  store: ContentStore
  state: ComposeState
  hooks: ComposeHooks
  /** The page's path relative to the root (relative links in traits are rewritten for it). */
  outputPath: string
}

/** The outcome of one include: the nodes to put in its place (undefined when it failed) and its problems. */
export interface ExpandedInclude {
  nodes: RootContent[] | undefined
  /** Messages; those of the page itself have `file === pageFile`. */
  messages: Message[]
}

/** Start the expansion of a page. */
export function createPageSession(store: ContentStore, project: ProjectConfig, outputPath: string): PageSession {
  const hooks = composeHooks(project.plugins)
  // A page is not an agent: `<!-- trait: … -->` comments would only be noise in it.
  const options = { ...composeOptionsOf(project.config), provenance: false }
  // A page has no agent variables: the config's, then each trait's defaults.
  return { store, hooks, outputPath, state: createComposeContext(store, hooks, options, undefined, [project.config.variables]) }
}

/** Expand `<!-- @include ref -->` standing at `place` under a heading of depth `enclosing`, through the plugins' `expandBlock`. */
export function expandInclude(session: PageSession, ref: string, place: Point, enclosing: number | undefined): ExpandedInclude {
  const { state, store, hooks } = session
  const { context } = state
  // Each include succeeds or fails on its own; a failed one leaves no trace in the page's state.
  state.ok = true
  state.touched = new Set()
  const firstMessage = state.messages.length
  const placed = [...context.placed]
  const placements = context.placements.length
  const bytes = state.bytes
  let pieces: Piece[] = []
  try {
    const block = includeBlock(ref, context.baseScope)
    if ('messages' in block) {
      // The comment cannot even be read as a block of its own (a ref past a parse limit): say so, at the include.
      state.ok = false
      for (const m of block.messages) state.messages.push(m)
    } else {
      const expanded = hooks.expandBlock(block.piece, { compose: context, enclosing, trait: undefined, stack: [] })
      if (expanded) pieces = [...expanded]
    }
  } catch (error) {
    state.ok = false
    // The message is about the page (placed at the include below); its text names the page by its path.
    if (error instanceof PluginFailure) state.messages.push({ ...pluginError(error.plugin, session.outputPath, error.reason), file: pageFile })
    else if (error instanceof ExpansionLimit) {
      state.messages.push(
        createMessage(
          'error',
          'EXPANSION_LIMIT',
          `the page's includes pass limits.expandedBytes (${context.options.expandedBytes} bytes); check for include chains, or raise the limit`,
          pageFile,
        ),
      )
    } else throw error
  }
  // The include's own messages are about the page, at the include.
  const messages = state.messages.slice(firstMessage).map((m) => (m.file === pageFile ? { ...m, line: place.line, column: place.column } : m))
  // Traits that failed to load explain themselves (YAML errors and the like) in their own messages.
  for (const id of state.touched) messages.push(...store.traitMessages(id))
  let nodes: RootContent[] | undefined
  if (state.ok) {
    const emitter = new Emitter()
    renderPieces(pieces, { outputPath: session.outputPath, messages, blockEdits: hooks.blockEdits }, emitter)
    if (!hasErrors(messages)) nodes = parseExpansion(emitter.text(), place, messages)
  }
  if (nodes === undefined) {
    context.placed.clear()
    for (const key of placed) context.placed.add(key)
    context.placements.length = placements
    state.bytes = bytes
  }
  return { nodes, messages: uniqueMessages(messages.filter((m) => m.severity !== 'info')) }
}

/** The include as a block of its own (the page's tree is the site's, not traitgen's), for the plugins' `expandBlock`; or why it cannot be one. */
function includeBlock(ref: string, scope: BlockPiece['scope']): { piece: BlockPiece } | { messages: Message[] } {
  const { doc, messages } = parseDocument(createSourceFile(pageFile, '', `<!-- @include ${ref} -->\n`))
  if (!doc) return { messages }
  return { piece: { kind: 'block', doc, index: 0, shift: 0, scope, trait: undefined } }
}

/** Parse expanded Markdown as CommonMark + GFM (traits are Markdown, even on an MDX page); nodes lose their positions. */
function parseExpansion(text: string, place: Point, messages: Message[]): RootContent[] | undefined {
  // The leading newline keeps a trait that opens with `---` from being read as frontmatter.
  const parsed = parseMarkdown(createSourceFile('the expanded include', '', `\n${text}`))
  for (const m of parsed.messages) messages.push({ ...m, file: pageFile, line: place.line, column: place.column })
  if (!parsed.tree) return undefined
  // Positions would point into the expanded text, not the page: generated nodes have none (unist).
  removePositions(parsed.tree)
  return parsed.tree.children
}

function removePositions(tree: Node): void {
  const stack: Node[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop() as Node
    delete node.position
    const children = (node as Node & { children?: Node[] }).children
    if (children) stack.push(...children)
  }
}
