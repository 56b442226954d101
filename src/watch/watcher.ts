// File watching: chokidar (loaded lazily) over the content folders and config files, changes batched into bursts.
import path from 'node:path'
import { isIgnoredName } from '../read/discover.js'

/** Options of a file watcher. */
export interface WatcherOptions {
  /** Folders and files to watch (absolute). */
  paths: string[]
  /** Folders never watched (the output folders): no rebuild loops. */
  ignore: string[]
  /** Poll instead of native events (network drives, containers, exhausted inotify). Default false. */
  poll: boolean
  /** Quiet time that ends a burst, ms. Default 80. */
  settleMs?: number
  /** Called with the absolute paths that changed in one burst. */
  onBurst: (paths: string[]) => void
  /** Called when the OS refuses to watch (limits, permissions). */
  onError: (message: string) => void
}

/** A running watcher. */
export interface Watcher {
  close(): Promise<void>
}

/** Start watching; resolves once the initial scan is done (every later change is seen). */
export async function startWatcher(options: WatcherOptions): Promise<Watcher> {
  const { watch } = await import('chokidar')
  const settle = options.settleMs ?? 80
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  // Runs only from the timer that `record` sets after adding a path: a burst is never empty.
  const flush = () => {
    timer = undefined
    const paths = [...pending].sort()
    pending = new Set()
    options.onBurst(paths)
  }
  const ignored = (file: string) => {
    if (options.ignore.some((dir) => file === dir || file.startsWith(dir + path.sep))) return true
    const rel = options.paths.map((p) => path.relative(p, file)).find((r) => !r.startsWith('..'))
    return rel !== undefined && rel !== '' && rel.split(path.sep).some(isIgnoredName)
  }
  const watcher = watch(options.paths, {
    ignoreInitial: true,
    usePolling: options.poll,
    interval: 100,
    ignored,
    atomic: true,
    followSymlinks: false,
  })
  const record = (file: string) => {
    pending.add(path.resolve(file))
    if (timer) clearTimeout(timer)
    timer = setTimeout(flush, settle)
  }
  for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) watcher.on(event, record)
  watcher.on('error', (error: unknown) => options.onError(describeWatchError(error)))
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    async close() {
      if (timer) clearTimeout(timer)
      await watcher.close()
    },
  }
}

/** A watcher error with the fix the user needs. */
export function describeWatchError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EMFILE') {
    return `the system ran out of file watchers (${code}); raise the limit (sudo sysctl fs.inotify.max_user_watches=524288, and ulimit -n for EMFILE) or run traitgen watch --poll`
  }
  if (code === 'EACCES' || code === 'EPERM') return `permission denied while watching (${code}); check the folder permissions`
  return `watching failed: ${error instanceof Error ? error.message : String(error)}`
}
