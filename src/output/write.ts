// Writing outputs: atomically (temp file, then rename), never through a link, never outside the output folders.
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmdirSync, unlinkSync, writeFileSync, readdirSync, type Dirent } from 'node:fs'
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

/** A fresh temporary name beside `abs`: `.<name>.<pid>.<random>.tmp` (sweepTemporaryFiles knows the pattern). */
export function temporaryPath(abs: string): string {
  return path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
}

const temporaryName = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/

/**
 * Remove temporary files a killed build left under `folder` (links are not followed). Call it only
 * while holding the output lock: then no other build has a temporary file in flight.
 */
export function sweepTemporaryFiles(folder: string): string[] {
  const removed: string[] = []
  const stack = [folder]
  while (stack.length > 0) {
    const dir = stack.pop() as string
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      const abs = path.join(dir, entry.name)
      if (entry.isDirectory()) stack.push(abs)
      else if (entry.isFile() && temporaryName.test(entry.name)) {
        try {
          unlinkSync(abs)
          removed.push(abs)
        } catch {
          // Gone already.
        }
      }
    }
  }
  return removed
}

/** Write `text` to `abs` atomically; an existing link at `abs` is replaced, not followed. */
export function writeAtomic(abs: string, text: string): void {
  mkdirSync(path.dirname(abs), { recursive: true })
  if (pathKind(abs) === 'directory') throw Object.assign(new Error(`${abs} is a folder`), { code: 'EISDIR' })
  const temp = temporaryPath(abs)
  try {
    const fault = injectedFault()
    if (fault) {
      // Simulate a disk that fills up half-way through the file.
      writeFileSync(temp, text.slice(0, text.length >> 1), { flag: 'wx' })
      throw fault
    }
    writeFileSync(temp, text, { flag: 'wx' })
    // The delay hook widens the window in which the temp file exists (kill tests aim at it).
    if (faults.delayMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, faults.delayMs)
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
 * Test hook, read only here: `TRAITGEN_FAULT_WRITE=<n>:<ERRNO>[,<n>:<ERRNO>…]` makes the n-th atomic
 * write of this process (counting from 1) fail with that errno half-way through, e.g. `3:ENOSPC`;
 * `TRAITGEN_FAULT_WRITE_DELAY_MS=<ms>` makes every atomic write pause that long between writing its
 * temp file and renaming it. Unset (the normal case), they cost one lookup per process.
 */
const faults = {
  parsed: false,
  writes: 0,
  failAt: new Map<number, string>(),
  delayMs: 0,
}

function injectedFault(): NodeJS.ErrnoException | undefined {
  if (!faults.parsed) {
    faults.parsed = true
    for (const item of (process.env.TRAITGEN_FAULT_WRITE ?? '').split(',')) {
      const match = /^\s*(\d+):([A-Z]+)\s*$/.exec(item)
      if (match) faults.failAt.set(Number(match[1]), match[2] as string)
    }
    faults.delayMs = Math.max(0, Number(process.env.TRAITGEN_FAULT_WRITE_DELAY_MS ?? 0) || 0)
  }
  faults.writes++
  const code = faults.failAt.get(faults.writes)
  if (code === undefined) return undefined
  const messages: Record<string, string> = { ENOSPC: 'no space left on device', EACCES: 'permission denied', EPERM: 'operation not permitted', EIO: 'i/o error', EROFS: 'read-only file system' }
  return Object.assign(new Error(`${code}: ${messages[code] ?? 'injected fault'} (TRAITGEN_FAULT_WRITE)`), { code, errno: 0, syscall: 'write' })
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
