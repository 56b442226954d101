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
  return readManifestFile(outputDir).manifest
}

/** Read the source maps; missing or unreadable is empty. */
export function readSourceMaps(outputDir: string): Record<string, SourceMap> {
  return readSourceMapFile(outputDir).maps
}

/**
 * The manifest and the source maps, and whether both files were there and read whole (every manifest
 * entry valid): if so, and a build changes nothing in them, they need not be written again.
 */
export function readOutputState(outputDir: string): { manifest: Manifest; maps: Record<string, SourceMap>; intact: boolean } {
  const { manifest, intact } = readManifestFile(outputDir)
  const maps = readSourceMapFile(outputDir)
  return { manifest, maps: maps.maps, intact: intact && maps.intact }
}

function readManifestFile(outputDir: string): { manifest: Manifest; intact: boolean } {
  const empty = { manifest: { version: 1 as const, files: {} }, intact: false }
  const file = manifestPath(outputDir)
  if (!existsSync(file)) return empty
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>
    if (data.version !== 1 || typeof data.files !== 'object' || data.files === null) return empty
    const files: Record<string, ManifestEntry> = {}
    let intact = true
    for (const [key, value] of Object.entries(data.files)) {
      if (value && typeof value.hash === 'string' && typeof value.agent === 'string' && typeof value.target === 'string') {
        files[key] = { agent: value.agent, target: value.target, hash: value.hash }
      } else intact = false
    }
    return { manifest: { version: 1, files }, intact }
  } catch {
    return empty
  }
}

function readSourceMapFile(outputDir: string): { maps: Record<string, SourceMap>; intact: boolean } {
  const file = sourceMapPath(outputDir)
  if (!existsSync(file)) return { maps: {}, intact: false }
  try {
    return { maps: JSON.parse(readFileSync(file, 'utf8')) as Record<string, SourceMap>, intact: true }
  } catch {
    return { maps: {}, intact: false }
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
