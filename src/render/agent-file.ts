// A Markdown agent file: frontmatter, a blank line, the expanded body, one final newline.
import type { ComposedAgent } from '../compose/agent.js'
import type { Message } from '../model/messages.js'
import { renderPieces } from './body.js'
import { Emitter, type SourceMap } from './emitter.js'
import { emitFrontmatter } from './frontmatter.js'

/** Render a composed agent as a Markdown file with the agent's frontmatter at `outputPath`. */
export function renderAgentMarkdown(
  composed: ComposedAgent,
  outputPath: string,
  messages: Message[],
  options: { frontmatter?: (emitter: Emitter) => void } = {},
): { text: string; sourceMap: SourceMap } {
  const emitter = new Emitter()
  if (options.frontmatter) options.frontmatter(emitter)
  else emitFrontmatter(composed.agent, emitter)
  if (composed.pieces.length > 0) {
    emitter.generated('\n')
    renderPieces(composed.pieces, { outputPath, messages }, emitter)
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
