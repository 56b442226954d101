// Reading one content file: strict UTF-8, size limit, BOM and CRLF normalised.
import { readFileSync, statSync } from 'node:fs'
import { createMessage, type Message } from '../model/messages.js'
import { createSourceFile, hashText, type SourceFile } from '../model/source.js'
import type { DiscoveredFile } from './discover.js'

const decoder = new TextDecoder('utf-8', { fatal: true })

/** The result of reading: a source file, or the messages that stopped it. */
export type ReadResult = { file: SourceFile; messages: Message[] } | { file: undefined; messages: Message[] }

/** Read a discovered file; at most `maxChars` characters (`TRAIT_TOO_LARGE` beyond). */
export function readSource(entry: DiscoveredFile, maxChars: number): ReadResult {
  if (entry.outside) {
    return fail(entry, 'PATH_OUTSIDE_ROOT', `${entry.path} is a symbolic link that leads out of the content folders; copy the file in instead`)
  }
  let bytes: Buffer
  try {
    const size = statSync(entry.abs).size
    // A UTF-8 character is at most 4 bytes: a file this large cannot be within the limit.
    if (size > maxChars * 4) return tooLarge(entry, size, maxChars)
    bytes = readFileSync(entry.abs)
  } catch (error) {
    return fail(entry, 'UNREADABLE_FILE', `cannot read ${entry.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    const offset = firstInvalidUtf8(bytes)
    const place = placeOfByte(bytes, offset)
    const hint = bytes[0] === 0xff || bytes[0] === 0xfe ? ' (it looks like UTF-16)' : ''
    return {
      file: undefined,
      messages: [
        createMessage(
          'error',
          'INVALID_ENCODING',
          `${entry.path} is not valid UTF-8${hint} at byte ${offset}; save it as UTF-8`,
          entry.path,
          place,
        ),
      ],
    }
  }
  if (looksLikeUtf16(bytes)) {
    return {
      file: undefined,
      messages: [createMessage('error', 'INVALID_ENCODING', `${entry.path} looks like UTF-16 without a byte-order mark (NUL bytes between the characters); save it as UTF-8`, entry.path)],
    }
  }
  if (text.length > maxChars) return tooLarge(entry, text.length, maxChars)
  return { file: createSourceFile(entry.path, entry.abs, text, hashText(bytes)), messages: [] }
}

/** NUL bytes at every other position of the first bytes: UTF-16 text, which decodes as "valid" UTF-8. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512)
  if (n < 4) return false
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < n; i++) if (bytes[i] === 0) (i % 2 === 0 ? evenNul++ : oddNul++)
  const half = n / 2
  return evenNul > half * 0.4 || oddNul > half * 0.4
}

function tooLarge(entry: DiscoveredFile, size: number, maxChars: number): ReadResult {
  return fail(
    entry,
    'TRAIT_TOO_LARGE',
    `${entry.path} has ${size} characters, more than the limit of ${maxChars}; split it, or raise limits.traitChars`,
  )
}

function fail(entry: DiscoveredFile, code: 'PATH_OUTSIDE_ROOT' | 'UNREADABLE_FILE' | 'TRAIT_TOO_LARGE', text: string): ReadResult {
  return { file: undefined, messages: [createMessage('error', code, text, entry.path)] }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    let need = 0
    let min = 0
    if (b < 0x80) {
      i++
      continue
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return i
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return i
}

function placeOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++
      lineStart = i + 1
    }
  }
  const prefix = Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8')
  return { line, column: [...prefix].length + 1 }
}
