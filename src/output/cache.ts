// The persistent build cache: each agent's inputs by content hash, so an unchanged agent is not rebuilt.
// Kept beside the manifest in <output>/.traitgen/cache.json, ignored by git (it is a cache, not an output).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../config/schema.js'
import { hashText } from '../model/source.js'
import type { KnownFile } from '../store.js'
import type { Message } from '../model/messages.js'
import { stateFolder } from './manifest.js'
import { readExisting, writeAtomic } from './write.js'

/** Bump when the meaning of cached data changes. */
const cacheFormat = 6

/** What one agent was built from, and what it produced. */
export interface AgentRecord {
  /** Input key (`agent:<id>`, a trait id, `name:<short name>`) → the value it had (hash, ids, or `absent`). */
  inputs: Record<string, string>
  /** Targets it was built for. */
  targets: string[]
  /** Output path → its hash and target, and the size and mtime it had when written (a cheap first check). */
  outputs: Record<string, { hash: string; target: string; size?: number; mtimeMs?: number }>
  /** Ids of the traits it placed, in order (library pages list them). */
  traits: string[]
  /** Its warnings and notes from composing and rendering (an agent with errors is not cached). */
  messages: Message[]
}

/** Per target: the fingerprint its library pages were rendered from, and their paths and hashes. */
export type LibraryRecords = Record<string, { fingerprint: string; outputs: Record<string, string> }>

/** The cache file. */
export interface BuildCacheData {
  format: number
  /** Hash of everything besides content that shapes outputs: the config, --strict, traitgen's version. */
  key: string
  files: Record<string, KnownFile>
  agents: Record<string, AgentRecord>
  library: LibraryRecords
}

function cachePath(outputDir: string): string {
  return path.join(outputDir, stateFolder, 'cache.json')
}

/** The key a cache must match to be used. */
export function cacheKey(config: ResolvedConfig, strict: boolean, version: string): string {
  // Plugins are code: the caller folds their source into `version`; their objects may not even serialise.
  return hashText(JSON.stringify({ config: { ...config, plugins: config.plugins.length }, strict, version }))
}

/** Read the cache; an unreadable one, or one made with another key, is empty. */
export function readBuildCache(outputDir: string, key: string): BuildCacheData {
  const empty: BuildCacheData = { format: cacheFormat, key, files: {}, agents: {}, library: {} }
  const file = cachePath(outputDir)
  if (!existsSync(file)) return empty
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as BuildCacheData
    if (data.format !== cacheFormat || data.key !== key || typeof data.files !== 'object' || typeof data.agents !== 'object' || typeof data.library !== 'object') return empty
    return data
  } catch {
    return empty
  }
}

/**
 * Write the cache (and a .gitignore that keeps it out of version control); failures are ignored: it is only a
 * cache. When every record of `data` is the very object `read` (what readBuildCache returned) holds, the file
 * is left as it is.
 */
export function writeBuildCache(outputDir: string, data: BuildCacheData, read?: BuildCacheData): void {
  try {
    const ignore = path.join(outputDir, stateFolder, '.gitignore')
    if (readExisting(ignore) !== 'cache.json\ncache/\nlock\n') writeAtomic(ignore, 'cache.json\ncache/\nlock\n')
    if (read && read.key === data.key && sameObjects(read.files, data.files) && sameObjects(read.agents, data.agents) && sameObjects(read.library, data.library) && existsSync(cachePath(outputDir))) return
    const text = JSON.stringify(data)
    if (readExisting(cachePath(outputDir)) !== text) writeAtomic(cachePath(outputDir), text)
  } catch {
    // A read-only or full disk costs the next build its speed, not its correctness.
  }
}

/** Same keys, each holding the identical object. */
function sameObjects(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}
