// Discovery: the traits, agents and templates under the content folders, never following a link out of them.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { createMessage, type Message } from '../model/messages.js'
import { toPosix } from '../config/load.js'

/** One content file found on disk. */
export interface DiscoveredFile {
  /** Trait, agent or template id: path under its folder, POSIX, without `.md`. */
  id: string
  /** Absolute path (as found, possibly a link). */
  abs: string
  /** Path relative to the project root, POSIX. */
  path: string
  /** True when it is a symbolic link that leads out of the content folders. */
  outside: boolean
  /** Size, times and inode as found (of the link's target for a link): equal stamps, same content (see `fileStamp`). */
  stamp: string
}

/** What changes whenever a file's content does: its size, its modification and change times, its inode. */
export function fileStamp(stat: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`
}

/** What discovery found. */
export interface Discovery {
  traits: Map<string, DiscoveredFile>
  agents: Map<string, DiscoveredFile>
  templates: Map<string, DiscoveredFile>
  /** Folder links out of the traits folder that were skipped: id prefix → root-relative path of the link. */
  outsideTraitFolders: Map<string, string>
  messages: Message[]
}

/** Whether a file or folder name is ignored (`.x`, `_x`). */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_')
}

/** Find every content file; `contentRoots` are the folders links may point into. */
export function discover(root: string, folders: { traits: string; agents: string; templates: string }): Discovery {
  const messages: Message[] = []
  const contentRoots = [folders.traits, folders.agents, folders.templates].map(safeRealpath).filter((p): p is string => !!p)
  const outsideTraitFolders = new Map<string, string>()
  const walk = (dir: string, outsideFolders?: Map<string, string>) => walkFolder(root, dir, contentRoots, messages, outsideFolders)
  return { traits: walk(folders.traits, outsideTraitFolders), agents: walk(folders.agents), templates: walk(folders.templates), outsideTraitFolders, messages }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p)
  } catch {
    return undefined
  }
}

/** True when `child` is `parent` or lies below it. */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

function walkFolder(root: string, base: string, contentRoots: string[], messages: Message[], outsideFolders?: Map<string, string>): Map<string, DiscoveredFile> {
  const found = new Map<string, DiscoveredFile>()
  const baseReal = safeRealpath(base)
  if (!baseReal) return found
  const visited = new Set<string>([baseReal])
  const stack: string[] = [base]
  while (stack.length > 0) {
    const dir = stack.pop() as string
    let entries: string[]
    try {
      entries = readdirSync(dir).sort()
    } catch {
      continue
    }
    const subfolders: string[] = []
    for (const name of entries) {
      if (isIgnoredName(name)) continue
      const abs = path.join(dir, name)
      const rel = toPosix(path.relative(root, abs))
      let stat: ReturnType<typeof lstatSync>
      try {
        stat = lstatSync(abs)
      } catch {
        continue
      }
      let outside = false
      let isDir = stat.isDirectory()
      let isFile = stat.isFile()
      let stamp = fileStamp(stat)
      if (stat.isSymbolicLink()) {
        const real = safeRealpath(abs)
        if (!real) {
          messages.push(
            createMessage('warning', 'PATH_OUTSIDE_ROOT', `symbolic link ${rel} is broken or circular; it is skipped`, rel),
          )
          continue
        }
        outside = !contentRoots.some((r) => isInside(r, real))
        try {
          const target = statSync(real)
          isDir = target.isDirectory()
          isFile = target.isFile()
          stamp = fileStamp(target)
        } catch {
          continue
        }
        if (isDir) {
          if (outside) {
            messages.push(
              createMessage(
                'warning',
                'PATH_OUTSIDE_ROOT',
                `symbolic link ${rel} leads out of the content folders; it is skipped (move the files into the content folder instead)`,
                rel,
              ),
            )
            outsideFolders?.set(toPosix(path.relative(base, abs)), rel)
            continue
          }
          if (visited.has(real)) continue
          visited.add(real)
        }
      } else if (isDir) {
        const real = safeRealpath(abs)
        if (!real || visited.has(real)) continue
        visited.add(real)
      }
      if (isDir) {
        subfolders.push(abs)
        continue
      }
      if (!isFile || !name.endsWith('.md')) continue
      const id = toPosix(path.relative(base, abs)).slice(0, -'.md'.length)
      found.set(id, { id, abs, path: rel, outside, stamp })
    }
    // Reverse so that pop() visits folders in sorted order (deterministic ids and messages).
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i] as string)
  }
  // Map keys are unique: no two ids compare equal.
  return new Map([...found.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
}
