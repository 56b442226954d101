// A content file as traitgen sees it: normalised text plus offset ↔ line/column lookup.
import { createHash } from 'node:crypto'

/** A point in a file, 1-based like editors show it. */
export interface Point {
  /** 1-based line. */
  line: number
  /** 1-based column. */
  column: number
}

/** One content file, read and normalised (no BOM, LF line endings). */
export interface SourceFile {
  /** Path relative to the project root, POSIX separators. */
  path: string
  /** Absolute path on disk. */
  abs: string
  /** Normalised text. */
  text: string
  /** sha256 of the raw bytes read from disk. */
  hash: string
  /** Offsets at which each line starts (index 0 = line 1). */
  lineStarts: number[]
}

/** Strip a BOM and turn CRLF / lone CR into LF; offsets in traitgen always refer to the result. */
export function normaliseText(text: string): string {
  let out = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (out.includes('\r')) out = out.replace(/\r\n?/g, '\n')
  return out
}

/** Build a SourceFile from already decoded text. */
export function createSourceFile(path: string, abs: string, text: string, rawHash?: string): SourceFile {
  const normalised = normaliseText(text)
  return {
    path,
    abs,
    text: normalised,
    hash: rawHash ?? hashText(text),
    lineStarts: computeLineStarts(normalised),
  }
}

/** Hash of a string or buffer (hex sha256). */
export function hashText(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex')
}

function computeLineStarts(text: string): number[] {
  const starts = [0]
  let index = text.indexOf('\n')
  while (index !== -1) {
    starts.push(index + 1)
    index = text.indexOf('\n', index + 1)
  }
  return starts
}

/** Line and column (1-based) of an offset in the file. */
export function pointAt(file: SourceFile, offset: number): Point {
  const starts = file.lineStarts
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((starts[mid] ?? 0) <= offset) low = mid
    else high = mid - 1
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 }
}
