// Include comments in a page: `<!-- @include ref -->` (Markdown) and `{/* @include ref */}` (MDX), with the heading they sit under.
import type { Node, Parent, Position } from 'unist'
import { visit } from 'unist-util-visit'
import { matchIncludeComment } from '../parse/sites.js'

/** One include comment found in a page. */
export interface PageInclude {
  node: Node
  parent: Parent
  /** The ref; undefined when the comment mentions `@include` but is not a valid include. */
  ref: string | undefined
  /** Why it is not valid (only when `ref` is undefined). */
  problem: string | undefined
  /** Depth of the last heading before it in the page, if any. */
  enclosing: number | undefined
  position: Position | undefined
}

// Parents whose children are blocks: an include may stand there. Anywhere else it sits inside text.
const flowParents = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition', 'mdxJsxFlowElement', 'containerDirective'])

const mdxIncludePattern = /^\/\*[ \t]*@include[ \t]+(\S+)[ \t]*\*\/$/
const mdxIncludeMention = /\/\*[ \t]*@include\b/

const htmlUsage = 'an include must be an HTML comment alone in its own block: <!-- @include <ref> -->'
const mdxUsage = 'an include must be an MDX comment alone in its own block: {/* @include <ref> */}'

/** Every include comment in the tree, in document order. */
export function findIncludes(tree: Node): PageInclude[] {
  const found: PageInclude[] = []
  let enclosing: number | undefined
  visit(tree, (node: Node, _index: number | undefined, parent: Parent | undefined) => {
    if (node.type === 'heading') {
      enclosing = (node as Node & { depth: number }).depth
      return
    }
    if (!parent) return
    const value = (node as Node & { value?: unknown }).value
    if (typeof value !== 'string') return
    const flow = flowParents.has(parent.type)
    let ref: string | undefined
    let problem: string | undefined
    if (node.type === 'html') {
      const include = matchIncludeComment(value)
      if (!include) return
      if (include.valid && flow) ref = include.ref
      else problem = htmlUsage
    } else if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') {
      const match = mdxIncludePattern.exec(value.trim())
      if (match && node.type === 'mdxFlowExpression' && flow) ref = match[1] as string
      else if (match || mdxIncludeMention.test(value)) problem = mdxUsage
      else return
    } else return
    found.push({ node, parent, ref, problem, enclosing, position: node.position })
  })
  return found
}
