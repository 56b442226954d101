// The manifest: which files traitgen wrote (it deletes or overwrites only these), and their source maps.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { SourceMap } from '../render/emitter.js'

/** One file traitgen wrote. */
export interface ManifestEntry {
  agent: string
  target: string
  /** sha256 of the file's text. */
  hash: string
}

/** The manifest kept in the output folder. */
export interface Manifest {
  version: 1
  files: Record<string, ManifestEntry>
}

/** Folder (inside the output folder) that holds traitgen's own bookkeeping. */
export const stateFolder = '.traitgen'

/** Path of the manifest for an output folder. */
export function manifestPath(outputDir: string): string {
  return path.join(outputDir, stateFolder, 'manifest.json')
}

/** Path of the source maps for an output folder. */
export function sourceMapPath(outputDir: string): string {
  return path.join(outputDir, stateFolder, 'sourcemap.json')
}

/** Read the manifest; a missing or unreadable one is empty. */
export function readManifest(outputDir: string): Manifest {
  const file = manifestPath(outputDir)
  if (!existsSync(file)) return { version: 1, files: {} }
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>
    if (data.version !== 1 || typeof data.files !== 'object' || data.files === null) return { version: 1, files: {} }
    const files: Record<string, ManifestEntry> = {}
    for (const [key, value] of Object.entries(data.files)) {
      if (value && typeof value.hash === 'string' && typeof value.agent === 'string' && typeof value.target === 'string') {
        files[key] = { agent: value.agent, target: value.target, hash: value.hash }
      }
    }
    return { version: 1, files }
  } catch {
    return { version: 1, files: {} }
  }
}

/** Read the source maps; missing or unreadable is empty. */
export function readSourceMaps(outputDir: string): Record<string, SourceMap> {
  const file = sourceMapPath(outputDir)
  if (!existsSync(file)) return {}
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, SourceMap>
  } catch {
    return {}
  }
}

/** Deterministic JSON: keys sorted, two-space indent, final newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}

/** Source maps serialised one file per line (compact, and diffs stay readable). */
export function sourceMapJson(maps: Record<string, SourceMap>): string {
  const keys = Object.keys(maps).sort()
  if (keys.length === 0) return '{}\n'
  const lines = keys.map((key) => `  ${JSON.stringify(key)}: ${JSON.stringify(maps[key])}`)
  return `{\n${lines.join(',\n')}\n}\n`
}
