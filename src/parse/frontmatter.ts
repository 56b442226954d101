// Frontmatter: YAML read with positions, bounded aliases and nesting, never touching prototypes.
import type { Root } from 'mdast'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml'
import { createMessage, type Message } from '../model/messages.js'
import { pointAt, type Point, type SourceFile } from '../model/source.js'

/** Bounds on YAML that keep a hostile file cheap. */
export const yamlLimits = { aliases: 100, depth: 32, chars: 256 * 1024 }

/** One top-level `key: value` of the frontmatter with its place in the file. */
export interface FrontmatterEntry {
  key: string
  /** Offset of the key in the file. */
  keyOffset: number
  /** The value's YAML node (for positions of list items and source text). */
  value: YamlNode | null
  /** Offsets in the file of the first and last line the entry spans (comments above it included). */
  startOffset: number
  endOffset: number
}

/** Parsed frontmatter. */
export interface Frontmatter {
  /** The mapping as plain data (safe: `__proto__` is an own key, never a prototype). */
  data: Record<string, unknown>
  /** Top-level entries in source order. */
  entries: FrontmatterEntry[]
  /** Offset in the file where the YAML text starts. */
  yamlOffset: number
  /** The YAML text. */
  yamlText: string
  /** True when the top-level mapping is in block style (entries can be copied line by line). */
  blockStyle: boolean
}

/** The result of reading a file's frontmatter. */
export interface FrontmatterResult {
  frontmatter: Frontmatter | undefined
  messages: Message[]
  /** Offset where the body starts (after the closing fence). */
  bodyOffset: number
}

/** Read the frontmatter of a parsed file (the first `yaml` node of the tree). */
export function readFrontmatter(file: SourceFile, tree: Root): FrontmatterResult {
  const first = tree.children[0]
  if (first?.type !== 'yaml') {
    if (/^---[ \t]*\n/.test(file.text)) {
      return {
        frontmatter: undefined,
        bodyOffset: 0,
        messages: [
          createMessage('error', 'INVALID_FRONTMATTER', 'frontmatter starts with --- but is never closed; add a line --- after it', file.path),
        ],
      }
    }
    return { frontmatter: undefined, messages: [], bodyOffset: 0 }
  }
  const start = first.position?.start.offset ?? 0
  const end = first.position?.end.offset ?? 0
  const yamlOffset = file.text.indexOf('\n', start) + 1
  const closing = file.text.lastIndexOf('\n', end - 1)
  const yamlText = closing >= yamlOffset ? file.text.slice(yamlOffset, closing + 1) : ''
  const bodyOffset = end
  const fail = (code: 'YAML_SYNTAX' | 'YAML_LIMIT' | 'INVALID_FRONTMATTER', text: string, place: Point = { line: 1, column: 1 }) => ({
    frontmatter: undefined,
    bodyOffset,
    messages: [createMessage('error', code, text, file.path, place)],
  })
  if (yamlText.length > yamlLimits.chars) {
    return fail('YAML_LIMIT', `frontmatter is ${yamlText.length} characters, more than ${yamlLimits.chars}; move the text into the body`)
  }
  const flowDepth = maxFlowDepth(yamlText)
  if (flowDepth.depth > yamlLimits.depth) {
    return fail(
      'YAML_LIMIT',
      `frontmatter nests more than ${yamlLimits.depth} levels; flatten it`,
      pointAt(file, yamlOffset + flowDepth.offset),
    )
  }
  let doc: Document
  try {
    // logLevel 'error': the yaml library would otherwise print warnings on the process (a library never does).
    doc = parseDocument(yamlText, { lineCounter: new LineCounter(), uniqueKeys: true, merge: false, logLevel: 'error' })
  } catch (error) {
    return fail('YAML_LIMIT', `frontmatter could not be read (${String(error)}); simplify it`)
  }
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem) {
    const place = pointAt(file, yamlOffset + (problem.pos[0] ?? 0))
    const reason = problem.message.split('\n')[0] as string
    const hint = problem.code === 'DUPLICATE_KEY' ? '; remove one of them' : problem.code === 'TAG_RESOLVE_FAILED' ? '; remove the tag' : ''
    return fail('YAML_SYNTAX', `invalid YAML in frontmatter: ${reason.replace(/ at line \d+, column \d+:?$/, '')}${hint}`, place)
  }
  const contents = doc.contents
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
    return { frontmatter: emptyFrontmatter(yamlOffset, yamlText), messages: [], bodyOffset }
  }
  if (!isMap(contents)) {
    return fail(
      'INVALID_FRONTMATTER',
      'frontmatter must be a mapping of keys to values (key: value), not a list or a single value',
      pointAt(file, yamlOffset + (contents.range?.[0] ?? 0)),
    )
  }
  const collectionKey = contents.items.find((pair) => isMap(pair.key) || isSeq(pair.key))
  if (collectionKey) {
    const range = (collectionKey.key as { range?: [number, number, number] }).range
    return fail('INVALID_FRONTMATTER', 'a frontmatter key must be a plain name, not a list or a mapping; write `name: value`', pointAt(file, yamlOffset + (range?.[0] ?? 0)))
  }
  const depth = nodeDepth(contents)
  if (depth > yamlLimits.depth) return fail('YAML_LIMIT', `frontmatter nests more than ${yamlLimits.depth} levels; flatten it`)
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: yamlLimits.aliases })
  } catch (error) {
    return fail('YAML_LIMIT', `frontmatter expands too much (${(error as Error).message.split('\n')[0]}); remove the aliases`)
  }
  const lines = yamlText.split('\n')
  const blockStyle = !contents.flow
  const entries: FrontmatterEntry[] = []
  for (const pair of contents.items) {
    const keyNode = pair.key as YamlNode | null
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode)
    const keyStart = keyNode && 'range' in keyNode && keyNode.range ? keyNode.range[0] : 0
    entries.push({ key, keyOffset: yamlOffset + keyStart, value: (pair.value as YamlNode | null) ?? null, startOffset: 0, endOffset: 0 })
  }
  assignEntryLines(entries, yamlOffset, yamlText, lines)
  return {
    frontmatter: { data: (data ?? {}) as Record<string, unknown>, entries, yamlOffset, yamlText, blockStyle },
    messages: [],
    bodyOffset,
  }
}

function emptyFrontmatter(yamlOffset: number, yamlText: string): Frontmatter {
  return { data: {}, entries: [], yamlOffset, yamlText, blockStyle: true }
}

/** Each entry spans from its key's line to the line before the next key (comment lines above a key go with it). */
function assignEntryLines(entries: FrontmatterEntry[], yamlOffset: number, yamlText: string, lines: string[]): void {
  const lineStartOffsets: number[] = []
  let offset = 0
  for (const line of lines) {
    lineStartOffsets.push(offset)
    offset += line.length + 1
  }
  const lineOf = (fileOffset: number) => {
    const local = fileOffset - yamlOffset
    let line = 0
    while (line + 1 < lineStartOffsets.length && (lineStartOffsets[line + 1] as number) <= local) line++
    return line
  }
  const keyLines = entries.map((e) => lineOf(e.keyOffset))
  for (let i = 0; i < entries.length; i++) {
    let first = keyLines[i] as number
    // Comment lines directly above a key belong to it.
    while (first > 0 && first - 1 > (i > 0 ? (keyLines[i - 1] as number) : -1) && /^\s*#/.test(lines[first - 1] ?? '')) first--
    const entry = entries[i] as FrontmatterEntry
    entry.startOffset = yamlOffset + (lineStartOffsets[first] as number)
    const nextFirst = i + 1 < entries.length ? firstLineOf(i + 1) : lines.length - (yamlText.endsWith('\n') ? 1 : 0)
    entry.endOffset = yamlOffset + (nextFirst < lineStartOffsets.length ? (lineStartOffsets[nextFirst] as number) : yamlText.length)
  }
  function firstLineOf(index: number): number {
    let first = keyLines[index] as number
    while (first > 0 && first - 1 > (keyLines[index - 1] as number) && /^\s*#/.test(lines[first - 1] ?? '')) first--
    return first
  }
}

function maxFlowDepth(text: string): { depth: number; offset: number } {
  let depth = 0
  let max = 0
  let at = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '[' || ch === '{') {
      depth++
      if (depth > max) {
        max = depth
        // Point at the bracket that first passes the limit, not the deepest one.
        if (max === yamlLimits.depth + 1) at = i
      }
    } else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1)
  }
  return { depth: max, offset: at }
}

function nodeDepth(root: YamlNode): number {
  let max = 0
  const stack: Array<[unknown, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (depth > max) max = depth
    if (depth > yamlLimits.depth) return depth
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (item && typeof item === 'object' && 'value' in item && 'key' in item) {
          stack.push([(item as { value: unknown }).value, depth + 1])
        } else stack.push([item, depth + 1])
      }
    }
  }
  return max
}

/** Place of a top-level key, or 1:1 when absent. */
export function placeOfKey(file: SourceFile, frontmatter: Frontmatter | undefined, key: string): Point {
  const entry = frontmatter?.entries.find((e) => e.key === key)
  return entry ? pointAt(file, entry.keyOffset) : { line: 1, column: 1 }
}

/**
 * Place of a value inside a key: `rest` is the rest of the path (list index, map key). With `atKey`, the
 * place of the last map key on the path instead of its value (for a problem with the key itself).
 */
export function placeOfValue(file: SourceFile, frontmatter: Frontmatter | undefined, key: string, rest: ReadonlyArray<PropertyKey> = [], atKey = false): Point {
  const entry = frontmatter?.entries.find((e) => e.key === key)
  if (!entry || !frontmatter) return { line: 1, column: 1 }
  let node: unknown = entry.value
  for (const [index, part] of rest.entries()) {
    if (isSeq(node) && typeof part === 'number') node = node.items[part]
    else if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part))
      node = atKey && index === rest.length - 1 ? pair?.key : (pair?.value ?? pair?.key)
    } else break
  }
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range ? pointAt(file, frontmatter.yamlOffset + range[0]) : pointAt(file, entry.keyOffset)
}

/** Source text of a scalar value (so `version: 1.10` reads as "1.10", not 1.1). */
export function scalarSource(frontmatter: Frontmatter | undefined, key: string): string | undefined {
  const entry = frontmatter?.entries.find((e) => e.key === key)
  const node = entry?.value
  if (!frontmatter || !node || !isScalar(node) || !node.range) return undefined
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' || node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
    return String(node.value)
  }
  return frontmatter.yamlText.slice(node.range[0], node.range[1]).trim()
}
