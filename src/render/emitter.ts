// Accumulates output text and, for every output line, the file and line it came from (the source map).
import type { SourceFile } from '../model/source.js'
import { pointAt } from '../model/source.js'

/** Source map of one output file: runs of consecutive lines from one source file. */
export interface SourceMap {
  /** Source files, root-relative. */
  sources: string[]
  /** `[outputLine, sourceIndex, sourceLine, count]`, 1-based lines; sourceIndex -1 for generated lines. */
  runs: Array<[number, number, number, number]>
}

/** Builds text and its line map together. */
export class Emitter {
  private parts: string[] = []
  private length = 0
  /** Source index and line of the output line being written. */
  private lineSources: number[] = []
  private lineNumbers: number[] = []
  private sources: string[] = []
  private sourceIndex = new Map<string, number>()
  private atLineStart = true

  /** Emit `text` generated for `file`'s line `line` (or generated: file undefined). */
  generated(text: string, file?: SourceFile, line = 0): void {
    this.append(text, file ? this.indexOf(file.path) : -1, line, false)
  }

  /** Emit the file's text [from, to), mapping each line to its own source line. */
  source(file: SourceFile, from: number, to: number): void {
    if (to <= from) return
    this.append(file.text.slice(from, to), this.indexOf(file.path), pointAt(file, from).line, true)
  }

  private append(text: string, index: number, baseLine: number, perLine: boolean): void {
    if (text.length === 0) return
    let newlines = 0
    let pos = 0
    for (;;) {
      if (this.atLineStart && pos < text.length) {
        this.lineSources.push(index)
        this.lineNumbers.push(perLine ? baseLine + newlines : baseLine)
        this.atLineStart = false
      }
      const newline = text.indexOf('\n', pos)
      if (newline === -1) break
      this.atLineStart = true
      newlines++
      pos = newline + 1
    }
    this.parts.push(text)
    this.length += text.length
  }

  private indexOf(path: string): number {
    let index = this.sourceIndex.get(path)
    if (index === undefined) {
      index = this.sources.length
      this.sources.push(path)
      this.sourceIndex.set(path, index)
    }
    return index
  }

  /** Characters emitted so far. */
  get size(): number {
    return this.length
  }

  /** The text so far. */
  text(): string {
    return this.parts.join('')
  }

  /** The source map so far, compressed into runs. */
  sourceMap(): SourceMap {
    const runs: SourceMap['runs'] = []
    for (let i = 0; i < this.lineSources.length; i++) {
      const index = this.lineSources[i] as number
      const line = this.lineNumbers[i] as number
      const last = runs[runs.length - 1]
      if (last && last[1] === index && (index === -1 || last[2] + last[3] === line) && last[0] + last[3] === i + 1) last[3]++
      else runs.push([i + 1, index, line, 1])
    }
    return { sources: [...this.sources], runs }
  }
}

/** Look up output line `line` (1-based) in a source map. */
export function lookupLine(map: SourceMap, line: number): { file: string; line: number } | undefined {
  for (const [out, index, src, count] of map.runs) {
    if (line >= out && line < out + count) {
      if (index < 0) return undefined
      const file = map.sources[index]
      return file === undefined ? undefined : { file, line: src + (line - out) }
    }
  }
  return undefined
}

/**
 * The source map of a text rebuilt from another (a plugin edited it): `origins[i]` is the 1-based line
 * of the old text that new line i + 1 came from, 0 for a generated line.
 */
export function remapSourceMap(map: SourceMap, origins: readonly number[]): SourceMap {
  const runs: SourceMap['runs'] = []
  origins.forEach((origin, i) => {
    const found = origin > 0 ? lookupRun(map, origin) : undefined
    const index = found?.index ?? -1
    const line = found?.line ?? 0
    const last = runs[runs.length - 1]
    if (last && last[1] === index && (index === -1 || last[2] + last[3] === line) && last[0] + last[3] === i + 1) last[3]++
    else runs.push([i + 1, index, line, 1])
  })
  return { sources: [...map.sources], runs }
}

function lookupRun(map: SourceMap, line: number): { index: number; line: number } | undefined {
  for (const [out, index, src, count] of map.runs) {
    if (line >= out && line < out + count) return index < 0 ? undefined : { index, line: src + (line - out) }
  }
  return undefined
}
