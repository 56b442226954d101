// After plugins changed a tree: the new text, with the source text of every untouched top-level node
// kept byte-identical and only the nodes a plugin added or changed serialised (spec §9, Fidelity).
import type { Root, RootContent } from 'mdast'
import { createRequire } from 'node:module'

/** A fingerprint of each top-level node, taken before plugins run. */
export type TreeSnapshot = Map<RootContent, string>

/** Remember every top-level node and its content. */
export function snapshotTree(tree: Root): TreeSnapshot {
  return new Map(tree.children.map((node) => [node, fingerprint(node)]))
}

/** The rebuilt text and, for each of its lines, the 1-based line of `text` it came from (0: generated). */
export interface EditedText {
  text: string
  origins: number[]
}

/** The tree's text after plugins ran, or undefined when no plugin changed it. */
export function editedText(tree: Root, snapshot: TreeSnapshot, text: string): EditedText | undefined {
  const kept = tree.children.map((node) => snapshot.has(node) && node.position !== undefined && snapshot.get(node) === fingerprint(node))
  const original = [...snapshot.keys()]
  const unchanged = kept.every(Boolean) && tree.children.length === original.length && tree.children.every((node, i) => node === original[i])
  if (unchanged) return undefined
  const parts: string[] = []
  const origins: number[] = []
  const push = (chunk: string, firstLine: number, perLine: boolean) => {
    if (chunk.length === 0) return
    const startsLine = parts.length === 0 || (parts[parts.length - 1] as string).endsWith('\n')
    const lines = chunk.split('\n')
    lines.forEach((line, i) => {
      if (i === 0 && !startsLine) return
      if (i === lines.length - 1 && line.length === 0) return
      origins.push(perLine ? firstLine + i : firstLine)
    })
    parts.push(chunk)
  }
  let previous: { node: RootContent; index: number } | undefined
  tree.children.forEach((node, index) => {
    const isKept = kept[index] === true
    const originalIndex = isKept ? original.indexOf(node) : -1
    if (previous === undefined) {
      if (isKept && originalIndex === 0) push(text.slice(0, spanOf(node).start), 1, true)
    } else if (isKept && previous.index >= 0 && originalIndex === previous.index + 1) {
      // previous.index >= 0: the previous node was kept too.
      const before = spanOf(previous.node)
      push(text.slice(before.end, spanOf(node).start), before.endLine, true)
    } else {
      push('\n\n', 0, false)
    }
    if (isKept) {
      const span = spanOf(node)
      push(text.slice(span.start, span.end), span.line, true)
    } else push(serialise(node), node.position?.start.line ?? 0, false)
    previous = { node, index: originalIndex }
  })
  parts.push('\n')
  return { text: parts.join(''), origins }
}

/**
 * Where a kept node stands in the text. A kept node is one the parser made and no plugin changed (its
 * fingerprint, position included, is as it was), and the parser gives every node a position with offsets.
 */
function spanOf(node: RootContent): { start: number; end: number; line: number; endLine: number } {
  const position = node.position as NonNullable<RootContent['position']>
  return { start: position.start.offset as number, end: position.end.offset as number, line: position.start.line, endLine: position.end.line }
}

function fingerprint(node: RootContent): string {
  return JSON.stringify(node)
}

let stringifier: ((tree: Root) => string) | undefined

/** One node as Markdown, with the GFM and frontmatter syntax traitgen parses. */
function serialise(node: RootContent): string {
  if (!stringifier) {
    const require = createRequire(import.meta.url)
    const { toMarkdown } = require('mdast-util-to-markdown') as typeof import('mdast-util-to-markdown')
    const { gfmToMarkdown } = require('mdast-util-gfm') as typeof import('mdast-util-gfm')
    const { frontmatterToMarkdown } = require('mdast-util-frontmatter') as typeof import('mdast-util-frontmatter')
    const extensions = [gfmToMarkdown(), frontmatterToMarkdown(['yaml'])]
    stringifier = (tree) => toMarkdown(tree, { extensions })
  }
  return stringifier({ type: 'root', children: [node] }).replace(/\n+$/, '')
}
