// blame: the source file and line an output line came from, read from the source maps written at build time.
import path from 'node:path'
import { readFileSync } from 'node:fs'
import type { ProjectConfig } from '../config/load.js'
import { readSourceMaps } from '../output/manifest.js'
import { lookupLine } from '../render/emitter.js'
import { normaliseText } from '../model/source.js'

/** Where an output line came from. */
export type BlameResult =
  | { kind: 'source'; output: string; line: number; file: string; sourceLine: number; text: string }
  | { kind: 'generated'; output: string; line: number; text: string }
  | { kind: 'unknown'; output: string; line: number; reason: string }

/** Look up `<output file>:<line>` (path relative to the root or absolute). */
export function blame(project: ProjectConfig, target: string, cwd: string): BlameResult {
  const match = /^(.*):(\d+)$/.exec(target)
  const file = match ? (match[1] as string) : target
  const line = match ? Number(match[2]) : 1
  const output = path.relative(project.root, path.resolve(cwd, file)).split(path.sep).join('/')
  const map = readSourceMaps(project.outputDir)[output]
  if (!map) return { kind: 'unknown', output, line, reason: `${output} is not an output traitgen wrote (no source map); run traitgen build` }
  const lines = safeLines(path.join(project.root, output))
  if (line < 1 || line > lines.length) return { kind: 'unknown', output, line, reason: `${output} has ${lines.length} lines` }
  const text = lines[line - 1] as string
  const found = lookupLine(map, line)
  if (!found) return { kind: 'generated', output, line, text }
  const source = safeLines(path.join(project.root, found.file))[found.line - 1] ?? ''
  return { kind: 'source', output, line, file: found.file, sourceLine: found.line, text: source }
}

function safeLines(abs: string): string[] {
  try {
    return normaliseText(readFileSync(abs, 'utf8')).replace(/\n$/, '').split('\n')
  } catch {
    return []
  }
}
