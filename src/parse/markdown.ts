// The Markdown parser (remark + frontmatter + GFM), guarded against inputs it cannot parse in bounded time.
import type { Root } from 'mdast'
import { createRequire } from 'node:module'
import { createMessage, type Message } from '../model/messages.js'
import type { SourceFile } from '../model/source.js'

let processor: { parse(text: string): Root } | undefined

/**
 * The remark processor, loaded on first use: a build whose agents are all current never parses, and
 * should not pay for loading micromark and its extensions (Node ≥ 20.19 can require these ES modules).
 */
function markdownProcessor(): { parse(text: string): Root } {
  if (!processor) {
    const require = createRequire(import.meta.url)
    const { unified } = require('unified') as typeof import('unified')
    const remarkParse = (require('remark-parse') as typeof import('remark-parse')).default
    const remarkFrontmatter = (require('remark-frontmatter') as typeof import('remark-frontmatter')).default
    const remarkGfm = (require('remark-gfm') as typeof import('remark-gfm')).default
    processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze()
  }
  return processor
}

/** Limits on constructs that make micromark super-linear (measured: see README, "Parsing limits"). */
export const markdownLimits = {
  /** Block quotes nested on one line. */
  quoteDepth: 100,
  /** List markers / indentation levels in one line's prefix. */
  listDepth: 100,
  /** A run of `*`, `_`, `[` or `]` characters. */
  delimiterRun: 1000,
  /** Separate lists in one file (each costs a pass over the rest of the file). */
  listCount: 1500,
  /** `*`, `_`, `[` and `]` characters in one paragraph (emphasis and link matching is slow per delimiter). */
  delimitersPerBlock: 2000,
  /** Link reference definitions in one file (about 1 ms each). */
  definitions: 1000,
  /** `|` characters on one line (table columns; about 1 ms each). */
  tableColumns: 500,
}

/** Parse a file's text into mdast, or explain why it was refused (`MARKDOWN_TOO_DEEP`). */
export function parseMarkdown(file: SourceFile): { tree: Root | undefined; messages: Message[] } {
  const refusal = checkComplexity(file)
  if (refusal) return { tree: undefined, messages: [refusal] }
  try {
    return { tree: markdownProcessor().parse(file.text), messages: [] }
  } catch (error) {
    return {
      tree: undefined,
      messages: [
        createMessage(
          'error',
          'MARKDOWN_TOO_DEEP',
          `${file.path} could not be parsed (${error instanceof RangeError ? 'nested too deeply' : String(error)}); simplify its nesting`,
          file.path,
        ),
      ],
    }
  }
}

const listMarker = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/

/** Scan lines once for the shapes that blow the parser up; cheap compared with parsing. */
export function checkComplexity(file: SourceFile): Message | undefined {
  const lines = file.text.split('\n')
  let lists = 0
  let previousWasItem = false
  let blockDelimiters = 0
  let definitions = 0
  let openFence: string | undefined
  for (let index = frontmatterLines(lines); index < lines.length; index++) {
    const line = lines[index] as string
    if (line.trim().length === 0) {
      blockDelimiters = 0
      continue
    }
    // Code (fenced or indented) is not scanned for emphasis or links: its characters cost nothing.
    const fenceMatch = fence.exec(line)
    if (openFence !== undefined) {
      if (fenceMatch && fenceMatch[1]?.[0] === openFence[0] && (fenceMatch[1]?.length ?? 0) >= openFence.length && fenceMatch[2]?.trim() === '') openFence = undefined
      continue
    }
    if (fenceMatch) {
      openFence = fenceMatch[1]
      continue
    }
    const inlineText = !/^(?: {4}|\t)/.test(line) && !/^[ \t]*([*_])(?:[ \t]*\1)*[ \t]*$/.test(line)
    if (inlineText) blockDelimiters += countDelimiters(line)
    if (definition.test(line) && ++definitions > markdownLimits.definitions) {
      return tooDeep(file, index, `more than ${markdownLimits.definitions} link reference definitions`)
    }
    if (countChar(line, 0x7c) > markdownLimits.tableColumns) {
      return tooDeep(file, index, `a line with more than ${markdownLimits.tableColumns} table cells`)
    }
    let quotes = 0
    let markers = 0
    let column = 0
    let indent = 0
    let pos = 0
    // Walk the container prefix: spaces, tabs, `>` and list markers.
    while (pos < line.length) {
      const ch = line.charCodeAt(pos)
      if (ch === 0x20) {
        column++
        pos++
      } else if (ch === 0x09) {
        column += 4 - (column % 4)
        pos++
      } else if (ch === 0x3e) {
        quotes++
        pos++
      } else {
        const match = listMarker.exec(line.slice(pos, pos + 12))
        if (!match) break
        if (markers === 0) indent = column
        markers++
        pos += match[0].length
        column += match[0].length
      }
      if (quotes > markdownLimits.quoteDepth) return tooDeep(file, index, `more than ${markdownLimits.quoteDepth} nested block quotes`)
    }
    // Each nested list level costs at least two columns of indentation or one more marker on the line.
    if (markers > 0 && markers + Math.floor(indent / 2) > markdownLimits.listDepth) {
      return tooDeep(file, index, `lists nested more than ${markdownLimits.listDepth} levels`)
    }
    const isItem = markers > 0
    // A list starts at a marker in the first column (`column` counts the marker too, so it is never 0 on an item).
    if (isItem && !previousWasItem && indent === 0) lists++
    previousWasItem = isItem || (previousWasItem && column > 0)
    if (lists > markdownLimits.listCount) {
      return tooDeep(file, index, `more than ${markdownLimits.listCount} separate lists`)
    }
    const run = longestDelimiterRun(line)
    if (run > markdownLimits.delimiterRun && !/^[ \t]*([*_])(?:[ \t]*\1)*[ \t]*$/.test(line)) {
      return tooDeep(file, index, `a run of ${run} emphasis or bracket characters (limit ${markdownLimits.delimiterRun})`)
    }
    if (blockDelimiters > markdownLimits.delimitersPerBlock) {
      return tooDeep(file, index, `more than ${markdownLimits.delimitersPerBlock} emphasis or bracket characters in one paragraph`)
    }
  }
  return undefined
}

/** Lines taken by a frontmatter block at the top (YAML has its own limits), or 0. */
function frontmatterLines(lines: readonly string[]): number {
  if (!/^---[ \t]*$/.test(lines[0] as string)) return 0
  for (let i = 1; i < lines.length; i++) if (/^(?:---|\.\.\.)[ \t]*$/.test(lines[i] as string)) return i + 1
  return 0
}

const definition = /^ {0,3}\[[^\]]+\]:/
const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/

function countDelimiters(line: string): number {
  let count = 0
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i)
    if (ch === 0x2a || ch === 0x5f || ch === 0x5b || ch === 0x5d) count++
  }
  return count
}

function countChar(line: string, code: number): number {
  let count = 0
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === code) count++
  return count
}

function longestDelimiterRun(line: string): number {
  let longest = 0
  let current = 0
  let previous = -1
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i)
    if (ch === 0x2a || ch === 0x5f || ch === 0x5b || ch === 0x5d) {
      current = ch === previous ? current + 1 : 1
      if (current > longest) longest = current
    } else current = 0
    previous = ch
  }
  return longest
}

function tooDeep(file: SourceFile, lineIndex: number, what: string): Message {
  return createMessage(
    'error',
    'MARKDOWN_TOO_DEEP',
    `Markdown too deeply nested to parse in bounded time: ${what}; flatten or split this part of the file`,
    file.path,
    { line: lineIndex + 1, column: 1 },
  )
}
