// A parsed content file: syntax tree, frontmatter, top-level blocks with their sites, and section headings.
import GithubSlugger from 'github-slugger'
import type { Root, RootContent } from 'mdast'
import { toString as textOf } from 'mdast-util-to-string'
import type { Message } from '../model/messages.js'
import type { SourceFile } from '../model/source.js'
import { readFrontmatter, type Frontmatter } from './frontmatter.js'
import { parseMarkdown } from './markdown.js'
import { collectSites, type BlockSites } from './sites.js'

/** A top-level heading that opens a section. */
export interface SectionHeading {
  /** Index in `ParsedDoc.blocks`. */
  index: number
  /** Heading depth, 1–6. */
  depth: number
  /** The heading's text, without markup. */
  text: string
  /** GitHub-style slug, unique in the file (`-1` suffixes for repeats). */
  slug: string
}

/** A content file after parsing. */
export interface ParsedDoc {
  /** The source file. */
  file: SourceFile
  /**
   * The mdast tree, positions into `file.text`. Whole when a plugin of the config has composition hooks;
   * otherwise only its top-level blocks, without their inner nodes (see `compactBlocks` in parse/document.ts).
   */
  tree: Root
  /** The frontmatter, when the file has one. */
  frontmatter: Frontmatter | undefined
  /** Top-level body blocks (frontmatter excluded); without `children` when the tree is compact. */
  blocks: RootContent[]
  /** Sites of each block, same indices as `blocks`. */
  sites: BlockSites[]
  /** Top-level headings in order. */
  headings: SectionHeading[]
}

/** What a parse leaves that can be kept between processes (the frontmatter is read again from the tree). */
export interface StoredParse {
  /** The whole tree. */
  tree: Root
  /** Sites of each body block. */
  sites: BlockSites[]
  /** Top-level headings. */
  headings: SectionHeading[]
  /** The parser's messages. */
  messages: Message[]
}

/** Where parses are kept between processes, by file path and content hash. */
export interface ParseStore {
  /** The kept parse of `file`, if any. */
  get(file: SourceFile): StoredParse | undefined
  /** Keep the parse of `file`. */
  put(file: SourceFile, parse: StoredParse): void
}

/** How to parse a document. */
export interface ParseOptions {
  /** Keep only the top-level blocks (see `compactBlocks` in parse/document.ts). Default false. */
  compact?: boolean | undefined
}

/** Parse a source file (or take its kept parse from `store`); `doc` is undefined when it could not be parsed. */
export function parseDocument(file: SourceFile, store?: ParseStore, options: ParseOptions = {}): { doc: ParsedDoc | undefined; messages: Message[] } {
  const kept = store?.get(file)
  if (kept) return assemble(file, kept)
  const parsed = parseStored(file, options)
  if (!parsed.stored) return { doc: undefined, messages: parsed.messages }
  store?.put(file, parsed.stored)
  return assemble(file, parsed.stored)
}

/** Parse a source file into what can be kept (or sent between threads); `stored` is undefined when it could not be parsed. */
export function parseStored(file: SourceFile, options: ParseOptions = {}): { stored: StoredParse | undefined; messages: Message[] } {
  const parsed = parseMarkdown(file)
  if (!parsed.tree) return { stored: undefined, messages: parsed.messages }
  const tree = parsed.tree
  const blocks = bodyBlocks(tree)
  const sites = blocks.map((block) => collectSites(file.text, block))
  const slugger = new GithubSlugger()
  const headings: SectionHeading[] = []
  blocks.forEach((block, index) => {
    if (block.type !== 'heading') return
    const text = textOf(block)
    headings.push({ index, depth: block.depth, text, slug: slugger.slug(text) })
  })
  if (options.compact) compactBlocks(tree)
  return { stored: { tree, sites, headings, messages: parsed.messages }, messages: parsed.messages }
}

/**
 * Drop the inner nodes of every top-level block, keeping each block's type, position and own fields (a
 * heading's depth, an HTML block's value). Composing and rendering work from those, the block sites and the
 * source text; the inner nodes are about two thirds of a parse's memory, which matters on large libraries.
 */
export function compactBlocks(tree: Root): void {
  // New objects rather than `delete`: a deleted property turns an object into a dictionary, about 5× larger.
  tree.children = tree.children.map((block) => {
    if (!('children' in block)) return block
    const { children: _children, ...rest } = block
    return rest as unknown as RootContent
  })
}

function bodyBlocks(tree: Root): RootContent[] {
  return tree.children.filter((node, index) => !(index === 0 && node.type === 'yaml'))
}

function assemble(file: SourceFile, { tree, sites, headings, messages }: StoredParse): { doc: ParsedDoc; messages: Message[] } {
  const fm = readFrontmatter(file, tree)
  return {
    doc: { file, tree, frontmatter: fm.frontmatter, blocks: bodyBlocks(tree), sites, headings },
    messages: [...messages, ...fm.messages],
  }
}

/** The slug of a heading text or group name, without de-duplication. */
export function slugOf(text: string): string {
  return new GithubSlugger().slug(text)
}

/** Block range [from, to) of the section opened by heading `heading` (sub-sections included). */
export function sectionRange(doc: ParsedDoc, heading: SectionHeading): [number, number] {
  const next = doc.headings.find((h) => h.index > heading.index && h.depth <= heading.depth)
  return [heading.index, next ? next.index : doc.blocks.length]
}
