// Writing outputs: atomically (temp file, then rename), never through a link, never outside the output folders.
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmdirSync, unlinkSync, writeFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { isInside } from '../read/discover.js'

/** What is at a path, without following a final link. */
export function pathKind(abs: string): 'missing' | 'file' | 'link' | 'directory' | 'other' {
  try {
    const stat = lstatSync(abs)
    if (stat.isSymbolicLink()) return 'link'
    if (stat.isFile()) return 'file'
    if (stat.isDirectory()) return 'directory'
    return 'other'
  } catch {
    return 'missing'
  }
}

/** The text of a regular file at `abs` (links are not followed), or undefined. */
export function readExisting(abs: string): string | undefined {
  if (pathKind(abs) !== 'file') return undefined
  try {
    return readFileSync(abs, 'utf8')
  } catch {
    return undefined
  }
}

/** Check that the folder that will hold `abs` lies inside `allowedRoot` once links are resolved. */
export function assertWritableLocation(abs: string, allowedRoot: string): void {
  const realRoot = realpathOfNearest(allowedRoot)
  let dir = path.dirname(abs)
  const missing: string[] = []
  for (;;) {
    try {
      const real = realpathSync(dir)
      const full = path.join(real, ...missing)
      if (!isInside(realRoot, full)) throw new Error('a folder on its path leads outside the output folder')
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      missing.unshift(path.basename(dir))
      const parent = path.dirname(dir)
      if (parent === dir) return
      dir = parent
    }
  }
}

/** The real path of `abs`, or of its nearest existing ancestor with the missing rest appended. */
function realpathOfNearest(abs: string): string {
  const missing: string[] = []
  let dir = abs
  for (;;) {
    try {
      return path.join(realpathSync(dir), ...missing)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      const parent = path.dirname(dir)
      if (parent === dir) return abs
      missing.unshift(path.basename(dir))
      dir = parent
    }
  }
}

/** Write `text` to `abs` atomically; an existing link at `abs` is replaced, not followed. */
export function writeAtomic(abs: string, text: string): void {
  mkdirSync(path.dirname(abs), { recursive: true })
  if (pathKind(abs) === 'directory') throw Object.assign(new Error(`${abs} is a folder`), { code: 'EISDIR' })
  const temp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    writeFileSync(temp, text, { flag: 'wx' })
    renameSync(temp, abs)
  } catch (error) {
    try {
      unlinkSync(temp)
    } catch {
      // The temp file was never created.
    }
    throw error
  }
}

/**
 * Delete a file traitgen wrote (a link is removed, not followed), then empty folders up to `stopAt`.
 * Throws when a folder on the way is a link out of `stopAt`: nothing outside it is ever deleted.
 */
export function removeOutput(abs: string, stopAt: string): void {
  assertWritableLocation(abs, stopAt)
  const kind = pathKind(abs)
  if (kind === 'file' || kind === 'link') unlinkSync(abs)
  let dir = path.dirname(abs)
  while (isInside(stopAt, dir) && dir !== stopAt) {
    try {
      if (readdirSync(dir).length > 0) break
      rmdirSync(dir)
    } catch {
      break
    }
    dir = path.dirname(dir)
  }
}
