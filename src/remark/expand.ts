// One include in a page expanded as traitgen expands it in an agent, then parsed into mdast nodes for the page.
import type { RootContent } from 'mdast'
import type { Node } from 'unist'
import { ExpansionLimit, includePieces, type ExpandContext } from '../compose/include.js'
import type { Piece } from '../compose/pieces.js'
import type { ResolvedConfig } from '../config/schema.js'
import { createMessage, hasErrors, uniqueMessages, type Message } from '../model/messages.js'
import { createSourceFile, type Point } from '../model/source.js'
import { parseMarkdown } from '../parse/markdown.js'
import { createResolveState, resolveRef } from '../resolve/imports.js'
import { renderPieces } from '../render/body.js'
import { Emitter } from '../render/emitter.js'
import type { ContentStore } from '../store.js'

/** Stands for the page in messages (a trait file's path could equal the page's: a docs site built over content/). */
export const pageFile = '\u0000page'

/** The expansion state of one page: like one agent's, so dependencies are placed once and the size limit covers the page. */
export interface PageSession {
  store: ContentStore
  context: ExpandContext
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
export function createPageSession(store: ContentStore, config: ResolvedConfig, outputPath: string): PageSession {
  return {
    store,
    outputPath,
    context: {
      state: createResolveState(store),
      // A page has no agent variables: the config's, then each trait's defaults.
      baseScope: [config.variables],
      includeDepth: config.limits.includeDepth,
      expandedBytes: config.limits.expandedBytes,
      bytes: 0,
      placements: [],
      // A page is not an agent: `<!-- trait: … -->` comments would only be noise in it.
      provenance: false,
    },
  }
}

/** Expand `<!-- @include ref -->` standing at `place` under a heading of depth `enclosing`. */
export function expandInclude(session: PageSession, ref: string, place: Point, enclosing: number | undefined): ExpandedInclude {
  const { context, store } = session
  const { state } = context
  // Each include succeeds or fails on its own; a failed one leaves no trace in the page's state.
  state.ok = true
  state.touched = new Set()
  const firstMessage = state.messages.length
  const placed = new Set(state.placed)
  const bytes = context.bytes
  let pieces: Piece[] = []
  try {
    const resolution = resolveRef(state, { raw: ref, place }, pageFile, undefined)
    if (resolution) pieces = includePieces(context, resolution, enclosing, [], pageFile, place)
  } catch (error) {
    if (!(error instanceof ExpansionLimit)) throw error
    state.ok = false
    state.messages.push(
      createMessage(
        'error',
        'EXPANSION_LIMIT',
        `the page's includes pass limits.expandedBytes (${context.expandedBytes} bytes); check for include chains, or raise the limit`,
        pageFile,
        place,
      ),
    )
  }
  const messages = state.messages.slice(firstMessage)
  // Traits that failed to load explain themselves (YAML errors and the like) in their own messages.
  for (const id of state.touched) messages.push(...store.traitMessages(id))
  let nodes: RootContent[] | undefined
  if (state.ok) {
    const emitter = new Emitter()
    renderPieces(pieces, { outputPath: session.outputPath, messages }, emitter)
    if (!hasErrors(messages)) nodes = parseExpansion(emitter.text(), place, messages)
  }
  if (nodes === undefined) {
    state.placed = placed
    context.bytes = bytes
  }
  return { nodes, messages: uniqueMessages(messages.filter((m) => m.severity !== 'info')) }
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
