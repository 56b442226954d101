// The build lock: one writer per output folder at a time, so two builds never interleave their writes.
// A lock file `<output>/.traitgen/lock` holds the owner's pid, host and start time; it is stale when
// that process is gone (a build killed with SIGKILL cannot remove it), and then it is taken over.
import { hostname } from 'node:os'
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { stateFolder } from './manifest.js'
import { sweepTemporaryFiles, temporaryPath } from './write.js'
import type { BuildResult, BuildStats } from '../build.js'
import type { ProjectConfig } from '../config/load.js'
import { createMessage, type Message } from '../model/messages.js'

/** Who holds a lock (the lock file's content). */
export interface LockOwner {
  pid: number
  host: string
  /** ISO time the owner took the lock. */
  started: string
}

/** A held lock. */
export interface OutputLock {
  /** The lock file. */
  file: string
  /** Remove the lock file (only if it is still ours). Safe to call twice. */
  release(): void
}

/** Options of acquireOutputLock. */
export interface LockOptions {
  /** How long to wait for another build to finish, ms. Default 10000. */
  timeoutMs?: number
  /** Called once, after `noticeMs` of waiting, with the owner being waited for. */
  onWait?: ((owner: LockOwner | undefined, file: string) => void) | undefined
  /** Wait this long before calling `onWait`, ms. Default 1000. */
  noticeMs?: number
  /** Folders whose leftover temporary files to remove once the lock is held (the output folders). */
  sweep?: readonly string[]
}

/** Why a lock could not be taken (the caller turns it into a BUILD_LOCKED message). */
export class LockBusyError extends Error {
  constructor(
    readonly file: string,
    readonly owner: LockOwner | undefined,
    waitedMs: number,
  ) {
    super(
      `another traitgen build (${owner ? `pid ${owner.pid} on ${owner.host}, started ${owner.started}` : 'unknown process'}) is writing to this output folder; waited ${Math.round(waitedMs / 1000)} s. Try again when it is done; if no traitgen is running, delete ${file}`,
    )
  }
}

/** Lock files this process holds (a lock naming our own pid that is not here is left from a dead process with the same pid). */
const held = new Set<string>()

/** Path of the lock file of an output folder. */
export function lockPath(outputDir: string): string {
  return path.join(outputDir, stateFolder, 'lock')
}

/** Take the output folder's lock, waiting for another build to finish; throws LockBusyError after `timeoutMs`. */
export async function acquireOutputLock(outputDir: string, options: LockOptions = {}): Promise<OutputLock> {
  const file = lockPath(outputDir)
  const timeoutMs = options.timeoutMs ?? 10_000
  const noticeMs = options.noticeMs ?? 1000
  mkdirSync(path.dirname(file), { recursive: true })
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() }
  const text = `${JSON.stringify(me)}\n`
  const start = performance.now()
  let noticed = false
  let crashed = false
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file, text)) break
    const seen = readLock(file)
    if (seen && isStale(file, seen)) {
      // The previous build died holding the lock: it may have left temporary files behind.
      if (breakStale(file, seen.raw)) crashed = true
      continue
    }
    const waited = performance.now() - start
    if (waited >= timeoutMs) throw new LockBusyError(file, seen?.owner, waited)
    if (!noticed && waited >= noticeMs) {
      noticed = true
      options.onWait?.(seen?.owner, file)
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(25 + attempt * 5, 100)))
  }
  held.add(file)
  const lock: OutputLock = {
    file,
    release() {
      if (!held.delete(file)) return
      try {
        if (readFileSync(file, 'utf8') === text) unlinkSync(file)
      } catch {
        // Already gone (someone deleted the folder): nothing to release.
      }
    },
  }
  // Temporary files exist only while a build holds the lock: only one that died can have left any.
  if (crashed) {
    try {
      for (const folder of new Set([outputDir, ...(options.sweep ?? [])])) sweepTemporaryFiles(folder)
    } catch {
      // Sweeping is tidying: a folder we cannot read costs a stray temp file, not the build.
    }
  }
  return lock
}

/** Create the lock file with its content in one step (link of a complete temp file): no reader sees it empty. */
function tryCreate(file: string, text: string): boolean {
  const temp = temporaryPath(file)
  writeFileSync(temp, text, { flag: 'wx' })
  try {
    linkSync(temp, file)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    // A file system without hard links: exclusive create, then write (a reader may briefly see it empty).
    try {
      writeFileSync(file, text, { flag: 'wx' })
      return true
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw inner
    }
  } finally {
    try {
      unlinkSync(temp)
    } catch {
      // Already gone.
    }
  }
}

function readLock(file: string): { raw: string; owner: LockOwner | undefined } | undefined {
  let raw: string
  try {
    raw = readFileSync(file, 'utf8')
  } catch {
    return undefined // Released meanwhile: try again.
  }
  try {
    const data = JSON.parse(raw) as Partial<LockOwner>
    if (typeof data.pid === 'number' && Number.isInteger(data.pid) && data.pid > 0 && typeof data.host === 'string' && typeof data.started === 'string') {
      return { raw, owner: { pid: data.pid, host: data.host, started: data.started } }
    }
  } catch {
    // Not JSON: see isStale.
  }
  return { raw, owner: undefined }
}

/** A lock is stale when its process is gone; a lock from another host is never judged (its pid means nothing here). */
function isStale(file: string, seen: { owner: LockOwner | undefined }): boolean {
  const owner = seen.owner
  if (!owner) {
    // Unreadable content (written by the no-hard-link fallback and cut short): stale once it is old.
    try {
      return Date.now() - statSync(file).mtimeMs > 2000
    } catch {
      return false
    }
  }
  if (owner.host !== hostname()) return false
  if (owner.pid === process.pid) return !held.has(file)
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * Remove a stale lock without removing a fresh one another process took meanwhile: move it aside
 * (atomic), and put it back if it is not the stale lock we judged.
 */
function breakStale(file: string, raw: string): boolean {
  const aside = temporaryPath(file)
  try {
    renameSync(file, aside)
  } catch {
    return false // Someone else broke or released it.
  }
  try {
    if (readFileSync(aside, 'utf8') === raw) return true
    try {
      linkSync(aside, file)
    } catch {
      // A third process holds the lock now; the one we moved aside belongs to a build that will find it gone.
    }
    return false
  } finally {
    try {
      unlinkSync(aside)
    } catch {
      // Already gone.
    }
  }
}

/** Run `build` holding the project's output lock; a lock that stays busy becomes a failed result with BUILD_LOCKED. */
export async function withOutputLock(project: ProjectConfig, options: LockOptions | undefined, build: () => Promise<BuildResult>): Promise<BuildResult> {
  const sweep = project.targets.map((t) => path.resolve(project.root, t.dir))
  let lock: OutputLock
  try {
    lock = await acquireOutputLock(project.outputDir, { ...options, sweep })
  } catch (error) {
    const failed = (message: Message): BuildResult => ({ ok: false, messages: [message], outputs: [], stats: emptyStats(), agents: { built: [], failed: [] } })
    const relative = (abs: string) => path.relative(project.root, abs).split(path.sep).join('/')
    if (error instanceof LockBusyError) {
      const file = relative(error.file)
      return failed(createMessage('error', 'BUILD_LOCKED', error.message.replace(error.file, file), file, undefined, error.owner ? { ...error.owner } : undefined))
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    // File-system errors only (EEXIST, ENOTDIR, EACCES…); Node's own ERR_* codes are bugs.
    if (typeof code !== 'string' || code.startsWith('ERR_')) throw error
    // The state folder cannot be made (a file stands in its place, no permission): nothing was written.
    const folder = relative(path.dirname(lockPath(project.outputDir)))
    return failed(createMessage('error', 'WRITE_FAILED', `could not create the lock in ${folder} (${code}); ${folder} and the folders above it must be folders traitgen can write to: remove or rename a file that stands in their place`, folder))
  }
  try {
    return await build()
  } finally {
    lock.release()
  }
}

function emptyStats(): BuildStats {
  return {
    phases: { load: 0, parse: 0, resolve: 0, splice: 0, validate: 0, write: 0 },
    totalMs: 0,
    agents: { total: 0, built: 0, failed: 0, upToDate: 0 },
    traits: 0,
    traitLoadP95: 0,
    cacheHitRate: 1,
    read: { files: 0, read: 0 },
    parsed: { files: 0, fromCache: 0, inWorkers: 0, workers: 0 },
    peakRssMb: Math.round(process.memoryUsage.rss() / 1048576),
    maxResolveMs: 0,
    maxRenderMs: 0,
    budgets: [],
  }
}
