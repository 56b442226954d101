// The persistent parse cache: each content file's syntax tree and sites by path and content hash, so a
// new process (a CI run, `build` after an edit) parses only the files that changed. Kept in
// <output>/.traitgen/cache/parsed/, ignored by git; any problem with it costs speed, never correctness.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { hashText, type SourceFile } from '../model/source.js'
import type { ParseStore, StoredParse } from '../parse/document.js'
import { shareEmpty } from '../parse/sites.js'
import { version } from '../version.js'
import { stateFolder } from './manifest.js'

/**
 * Bump when the parser's output (trees, sites) or its refusals (the Markdown limits) change: a cached entry
 * skips the parser, its limits included. 2: the separate-lists limit now counts lists.
 */
const parseFormat = 2

/** A parse cache in one folder; `writable` false for `check`, which writes nothing. */
export class ParseCache implements ParseStore {
  private readonly folder: string
  hits = 0
  stores = 0

  /** `compact`: the entries hold compact trees (top-level blocks only); they are kept apart from whole ones. */
  constructor(
    private readonly outputDir: string,
    private readonly writable: boolean,
    private readonly compact = false,
  ) {
    this.folder = path.join(outputDir, stateFolder, 'cache', 'parsed')
  }

  /** Whether an entry for `file` exists (not whether it is sound: `get` checks that). */
  has(file: SourceFile): boolean {
    return existsSync(path.join(this.folder, `${this.keyOf(file)}.json`))
  }

  /** Where this cache is, for a worker thread to open the same one. */
  location(): { outputDir: string; writable: boolean } {
    return { outputDir: this.outputDir, writable: this.writable }
  }

  /** The cached parse of `file`, or undefined. */
  get(file: SourceFile): StoredParse | undefined {
    let text: string
    try {
      text = readFileSync(path.join(this.folder, `${this.keyOf(file)}.json`), 'utf8')
    } catch {
      return undefined
    }
    try {
      const data = JSON.parse(text) as StoredParse & { file?: string; hash?: string }
      // The key is a hash: check what it stands for, and the shape, before trusting the entry.
      if (data.file !== file.path || data.hash !== file.hash) return undefined
      if (data.tree?.type !== 'root' || !Array.isArray(data.tree.children) || !Array.isArray(data.sites) || !Array.isArray(data.headings) || !Array.isArray(data.messages)) return undefined
      this.hits++
      data.sites = data.sites.map(shareEmpty)
      return data
    } catch {
      return undefined
    }
  }

  /** Keep the parse of `file`. */
  put(file: SourceFile, parse: StoredParse): void {
    if (!this.writable) return
    const abs = path.join(this.folder, `${this.keyOf(file)}.json`)
    const temp = `${abs}.${process.pid}.tmp`
    try {
      mkdirSync(this.folder, { recursive: true })
      writeFileSync(temp, JSON.stringify({ file: file.path, hash: file.hash, ...parse }))
      renameSync(temp, abs)
      this.stores++
    } catch {
      try {
        unlinkSync(temp)
      } catch {
        // Never created.
      }
    }
  }

  private keyOf(file: Pick<SourceFile, 'path' | 'hash'>): string {
    return hashText(`${parseFormat}\0${version}\0${this.compact ? 'compact' : 'whole'}\0${file.path}\0${file.hash}`)
  }

  /** Remove every entry but those of `current` (the content files as they are now). */
  prune(current: Iterable<Pick<SourceFile, 'path' | 'hash'>>): void {
    if (!this.writable) return
    const keep = new Set<string>()
    for (const file of current) keep.add(`${this.keyOf(file)}.json`)
    let names: string[]
    try {
      names = readdirSync(this.folder)
    } catch {
      return
    }
    for (const name of names) {
      if (keep.has(name)) continue
      try {
        unlinkSync(path.join(this.folder, name))
      } catch {
        // Gone already, or not ours to remove.
      }
    }
  }
}
