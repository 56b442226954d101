// A Markdown agent file: frontmatter, a blank line, the expanded body, one final newline.
import type { ComposedAgent } from '../compose/agent.js'
import type { Message } from '../model/messages.js'
import { renderPieces } from './body.js'
import { Emitter, type SourceMap } from './emitter.js'
import { emitFrontmatter, emitFrontmatterData } from './frontmatter.js'

/** Options of renderAgentMarkdown. */
export interface RenderMarkdownOptions {
  /**
   * The output's frontmatter as data (stringified as YAML, keys in insertion order; `undefined` values
   * dropped), or `false` for none. Default: the agent's own frontmatter, as written (the claude format).
   */
  frontmatter?: Readonly<Record<string, unknown>> | false
  /**
   * Where a relative link's target file (root-relative, e.g. another trait's file) is published in this
   * output's world (root-relative path), or undefined to link the file itself. Default: the file itself.
   */
  mapLink?: (target: string) => string | undefined
}

/** Render a composed agent as a Markdown file at `outputPath`: frontmatter, a blank line, the expanded body. */
export function renderAgentMarkdown(
  composed: ComposedAgent,
  outputPath: string,
  messages: Message[],
  options: RenderMarkdownOptions = {},
): {
  /** The file's text. */
  text: string
  /** Where each output line came from. */
  sourceMap: SourceMap
} {
  const emitter = new Emitter()
  if (options.frontmatter === false) {
    // No frontmatter: the body starts the file.
  } else if (options.frontmatter) emitFrontmatterData(options.frontmatter, composed.agent.doc.file, emitter)
  else emitFrontmatter(composed.agent, emitter)
  if (composed.pieces.length > 0) {
    if (options.frontmatter !== false) emitter.generated('\n')
    renderPieces(composed.pieces, { outputPath, messages, mapLink: options.mapLink, blockEdits: composed.blockEdits }, emitter)
  }
  const text = finalise(emitter.text())
  return { text, sourceMap: emitter.sourceMap() }
}

/** Exactly one final newline (trailing blank lines dropped; the last line itself is kept as written). */
export function finalise(text: string): string {
  // A loop, not /\n+$/: that regex retries at every newline of a large file.
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 0x0a) end--
  return `${text.slice(0, end)}\n`
}
