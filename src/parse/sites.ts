// Per block, the places later steps edit: headings (shift), placeholders (interpolate), link targets (rewrite).
import type { Heading, Node, Parents, RootContent } from 'mdast'

/** A heading inside a block, with the offsets needed to rewrite its marker. */
export interface HeadingSite {
  start: number
  end: number
  depth: number
  /** `#` style (false: setext, underlined). */
  atx: boolean
  /** Offsets of the heading's text (equal when empty). */
  contentStart: number
  contentEnd: number
}

/** A `{{ name }}` placeholder or a `\{{` escape. */
export interface PlaceholderSite {
  start: number
  end: number
  /** Variable name; empty for an escape. */
  name: string
  /** In code or inline code (unknown names are left alone there). */
  code: boolean
}

/** The destination of a link, image or definition. */
export interface LinkSite {
  start: number
  end: number
  url: string
}

/** An HTML comment that tries to be an include. */
export interface IncludeSite {
  ref: string
  /** False when it is not alone in a top-level block (an error). */
  valid: boolean
  start: number
}

/** What a top-level block holds, computed once per parsed file. */
export interface BlockSites {
  headings: HeadingSite[]
  placeholders: PlaceholderSite[]
  links: LinkSite[]
  includes: IncludeSite[]
  /** Text to append so that an unterminated construct cannot swallow what follows. */
  closer: string
}

const placeholderPattern = /\\\{\{|(?<![{$])\{\{[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\}\}(?!\})/g
const includePattern = /^<!--[ \t]*@include[ \t]+(\S+)[ \t]*-->$/
const includeMention = /<!--[ \t]*@include\b/

/**
 * What an HTML block's value says about includes: `{ ref, valid: true }` for `<!-- @include ref -->`
 * alone, `{ ref: '', valid: false }` for any other mention of `@include` in a comment, else undefined.
 */
export function matchIncludeComment(value: string): { ref: string; valid: boolean } | undefined {
  const match = includePattern.exec(value.trim())
  if (match) return { ref: match[1] as string, valid: true }
  return includeMention.test(value) ? { ref: '', valid: false } : undefined
}

/** The sites of a block that has none: one shared, frozen object (most blocks; it saves memory on large libraries). */
const noSites: BlockSites = Object.freeze({
  headings: Object.freeze([]) as unknown as HeadingSite[],
  placeholders: Object.freeze([]) as unknown as PlaceholderSite[],
  links: Object.freeze([]) as unknown as LinkSite[],
  includes: Object.freeze([]) as unknown as IncludeSite[],
  closer: '',
})

/** `sites`, or the shared empty object when it holds nothing. */
export function shareEmpty(sites: BlockSites): BlockSites {
  const empty = sites.closer === '' && sites.headings.length === 0 && sites.placeholders.length === 0 && sites.links.length === 0 && sites.includes.length === 0
  return empty ? noSites : sites
}

/** Collect the sites of one top-level block of `text`. */
export function collectSites(text: string, block: RootContent): BlockSites {
  return shareEmpty(collectAll(text, block))
}

function collectAll(text: string, block: RootContent): BlockSites {
  const sites: BlockSites = { headings: [], placeholders: [], links: [], includes: [], closer: '' }
  if (block.type === 'html') {
    const include = matchIncludeComment(block.value)
    if (include) sites.includes.push({ ...include, start: offsetOf(block, 'start') })
    sites.closer = htmlCloser(block.value)
    return sites
  }
  if (block.type === 'code') sites.closer = fenceCloser(text, block)
  walk(block, (node) => {
    switch (node.type) {
      case 'heading':
        sites.headings.push(headingSite(text, node as Heading))
        break
      case 'text':
        scanPlaceholders(text, node, false, sites.placeholders)
        break
      case 'inlineCode':
      case 'code':
        scanPlaceholders(text, node, true, sites.placeholders)
        break
      case 'link':
      case 'image':
      case 'definition': {
        const site = linkDestination(text, node)
        if (site) {
          sites.links.push(site)
          scanRange(text, site.start, site.end, false, sites.placeholders)
        }
        break
      }
      case 'html':
        if (includeMention.test((node as unknown as { value: string }).value)) {
          sites.includes.push({ ref: '', valid: false, start: offsetOf(node, 'start') })
        }
        break
      default:
        break
    }
  })
  return sites
}

function walk(node: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [node]
  while (stack.length > 0) {
    const current = stack.pop() as Node
    visit(current)
    const children = (current as Parents).children as Node[] | undefined
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Node)
  }
}

function offsetOf(node: Node, edge: 'start' | 'end'): number {
  return node.position?.[edge].offset ?? 0
}

function headingSite(text: string, node: Heading): HeadingSite {
  const start = offsetOf(node, 'start')
  const end = offsetOf(node, 'end')
  const first = node.children[0]
  const last = node.children[node.children.length - 1]
  const atx = text.charCodeAt(start) === 0x23
  let contentStart = first ? offsetOf(first, 'start') : end
  let contentEnd = last ? offsetOf(last, 'end') : end
  if (!first && atx) contentStart = contentEnd = end
  return { start, end, depth: node.depth, atx, contentStart, contentEnd }
}

function scanPlaceholders(text: string, node: Node, code: boolean, out: PlaceholderSite[]): void {
  scanRange(text, offsetOf(node, 'start'), offsetOf(node, 'end'), code, out)
}

function scanRange(text: string, start: number, end: number, code: boolean, out: PlaceholderSite[]): void {
  const raw = text.slice(start, end)
  if (!raw.includes('{{')) return
  placeholderPattern.lastIndex = 0
  for (let match = placeholderPattern.exec(raw); match !== null; match = placeholderPattern.exec(raw)) {
    const name = match[1] ?? ''
    out.push({ start: start + match.index, end: start + match.index + match[0].length, name, code })
  }
}

/** Where the destination of a link, image or definition stands in the source. */
export function linkDestination(text: string, node: Node): LinkSite | undefined {
  const start = offsetOf(node, 'start')
  const end = offsetOf(node, 'end')
  const url = (node as { url?: string }).url ?? ''
  let pos = start
  if (text[pos] === '!') pos++
  if (text[pos] !== '[') return undefined
  // Skip the bracketed label, honouring escapes and nesting.
  let depth = 0
  for (; pos < end; pos++) {
    const ch = text[pos]
    if (ch === '\\') {
      pos++
      continue
    }
    if (ch === '[') depth++
    else if (ch === ']') {
      depth--
      if (depth === 0) break
    }
  }
  pos++
  if (node.type === 'definition') {
    if (text[pos] !== ':') return undefined
    pos++
  } else {
    if (text[pos] !== '(') return undefined
    pos++
  }
  while (pos < end && /\s/.test(text[pos] as string)) pos++
  if (text[pos] === '<') {
    const close = text.indexOf('>', pos)
    if (close === -1 || close > end) return undefined
    return { start: pos + 1, end: close, url }
  }
  const destStart = pos
  let parens = 0
  for (; pos < end; pos++) {
    const ch = text[pos] as string
    if (ch === '\\') {
      pos++
      continue
    }
    if (/\s/.test(ch)) break
    if (ch === '(') parens++
    else if (ch === ')') {
      if (parens === 0) break
      parens--
    }
  }
  if (pos === destStart) return undefined
  return { start: destStart, end: pos, url }
}

function fenceCloser(text: string, node: Node): string {
  const start = offsetOf(node, 'start')
  const raw = text.slice(start, offsetOf(node, 'end'))
  const open = /^(`{3,}|~{3,})/.exec(raw)
  if (!open) return ''
  const fence = open[1] as string
  const lines = raw.split('\n')
  if (lines.length > 1) {
    const last = (lines[lines.length - 1] as string).trim()
    if (last.length >= fence.length && last === (fence[0] as string).repeat(last.length)) return ''
  }
  return fence
}

const htmlEnds: Array<[RegExp, string]> = [
  [/^<(script|pre|style|textarea)(?=[\s>]|$)/i, ''],
  [/^<!--/, '-->'],
  [/^<\?/, '?>'],
  [/^<!\[CDATA\[/, ']]>'],
  [/^<![A-Za-z]/, '>'],
]

function htmlCloser(value: string): string {
  const trimmed = value.trimStart()
  for (const [pattern, end] of htmlEnds) {
    const match = pattern.exec(trimmed)
    if (!match) continue
    const closer = end === '' ? `</${(match[1] as string).toLowerCase()}>` : end
    const body = end === '' ? trimmed.toLowerCase() : trimmed.slice(match[0].length)
    return body.includes(closer) ? '' : closer
  }
  return ''
}
