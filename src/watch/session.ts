// A watch session: initial build, then one incremental rebuild per burst of changes, never two at once.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { runBuild, type BuildContext, type BuildResult } from '../build.js'
import { impactOf } from './affected.js'
import { startWatcher, type Watcher } from './watcher.js'

/** What a watch session reports. */
export interface WatchEvent {
  /** `build`: the first build; `watching`: watchers ready; `rebuild`: after a burst; `warm`: every file is parsed (edits are now as quick as they get); `config-error`: a new config failed to load (the old one is kept); `watch-error`: the OS refused to watch. */
  event: 'build' | 'watching' | 'rebuild' | 'warm' | 'config-error' | 'watch-error'
  /** Changed paths, root-relative. */
  changed: string[]
  /** Agents rebuilt, and how many the project has. */
  rebuilt: string[]
  /** Agents in the project. */
  total: number
  /** Agents that failed before and build again. */
  recovered: string[]
  /** The build, for `build` and `rebuild`. */
  result: BuildResult | undefined
  /** The problem, for `config-error` and `watch-error`. */
  error: string | undefined
  /** Milliseconds the rebuild took. */
  ms: number
}

/** Options of watch(). */
export interface WatchOptions {
  /** Receives every event. */
  onEvent: (event: WatchEvent) => void
  /** Poll the file system instead of native events. Default false. */
  poll?: boolean
  /** Quiet time that ends a burst, ms. Default 80. */
  settleMs?: number
  /** Check the performance budgets on every build (the cache hit rate on rebuilds). Default false. */
  stats?: boolean
}

/** A running watch session. */
export interface WatchHandle {
  /** Stop watching, after the build under way (if any) finishes. */
  close(): Promise<void>
}

/** What the session needs from the library: the current context, and a reload for config changes. */
export interface WatchHost {
  context(): Promise<BuildContext>
  /** Load the config afresh; throws when it is broken (the old context stays). */
  reload(): Promise<BuildContext>
}

/** Start a watch session. */
export async function startWatchSession(host: WatchHost, options: WatchOptions): Promise<WatchHandle> {
  let context = await host.context()
  const root = context.project.root
  const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/')
  let failed = new Set<string>()
  let queue = new Set<string>()
  let running: Promise<void> | undefined
  let closed = false
  let watcher: Watcher | undefined

  const emit = (event: Partial<WatchEvent> & Pick<WatchEvent, 'event'>) =>
    options.onEvent({ changed: [], rebuilt: [], total: 0, recovered: [], result: undefined, error: undefined, ms: 0, ...event })

  const build = async (event: 'build' | 'rebuild', changed: string[], agents: string[] | undefined, skipRefresh: boolean) => {
    const start = performance.now()
    const run = () => runBuild(context, { agents, skipRefresh, budgets: options.stats ?? false, cacheBudget: event === 'rebuild' })
    let result = await run()
    // Another build holds the output folder past the lock's wait: say so and wait again, so no change is lost.
    for (let locked = result.messages.find((m) => m.code === 'BUILD_LOCKED'); locked && !closed; locked = result.messages.find((m) => m.code === 'BUILD_LOCKED')) {
      emit({ event: 'watch-error', changed, error: `${locked.message}; still waiting` })
      result = await run()
    }
    const recovered = result.agents.built.filter((id) => failed.has(id))
    for (const id of result.agents.built) failed.delete(id)
    for (const id of result.agents.failed) failed.add(id)
    emit({ event, changed, rebuilt: [...result.agents.built, ...result.agents.failed].sort(), total: context.store.agentIds().length, recovered, result, ms: performance.now() - start })
  }

  const watchedPaths = (ctx: BuildContext) => {
    const p = ctx.project
    const folders = [path.resolve(p.root, p.config.content), p.traitsDir, p.agentsDir, p.templatesDir].filter((dir) => existsSync(dir))
    return [...new Set([...folders, ...p.configDependencies])]
  }
  const ignoredPaths = (ctx: BuildContext) => [ctx.project.outputDir, ...ctx.project.targets.map((t) => path.resolve(root, t.dir))]

  const handle = async (changedAbs: string[]) => {
    const changed = changedAbs.map(rel)
    if (missingFolders().length > 0) {
      pause()
      return
    }
    if (changedAbs.some((file) => context.project.configDependencies.includes(file))) {
      try {
        context = await host.reload()
        failed = new Set()
        await build('rebuild', changed, undefined, false)
        return
      } catch (error) {
        emit({ event: 'config-error', changed, error: error instanceof Error ? error.message : String(error) })
        // The old config stays; content changes in the same burst are still built with it.
        if (changedAbs.every((file) => context.project.configDependencies.includes(file))) return
      }
    }
    const impact = impactOf(context)
    await build('rebuild', changed, [...impact.agents].sort(), true)
  }

  // The content folders that existed at the start must exist to build: a folder that vanished (deleted,
  // moved, the whole project removed) would otherwise read as "every agent removed" and delete every
  // output. So the session pauses, keeps the outputs, and resumes when the folders are back.
  const required = watchedPaths(context).filter((p) => !context.project.configDependencies.includes(p))
  const missingFolders = () => required.filter((dir) => !existsSync(dir))
  let paused: NodeJS.Timeout | undefined
  // Called only from handle(), before its first await; handle() runs only from pump(), which does nothing
  // while paused or closed: so neither is set here.
  const pause = () => {
    const missing = missingFolders()
    const gone = missing.filter((dir) => !missing.some((other) => dir.startsWith(other + path.sep))).map(rel)
    emit({ event: 'watch-error', changed: gone, error: `${gone.join(', ')} ${gone.length === 1 ? 'was' : 'were'} deleted or moved; the outputs are kept as they are; waiting for ${gone.length === 1 ? 'it' : 'them'} to come back (Ctrl-C to stop)` })
    paused = setInterval(() => {
      if (closed || running || missingFolders().length > 0) return
      clearInterval(paused)
      paused = undefined
      running = resume().finally(() => {
        running = undefined
        pump()
      })
    }, 250)
  }
  // The folders are back: watch them afresh (the old watches died with them), reload the config (it may
  // have come back changed), and build everything once.
  const resume = async () => {
    await watcher?.close()
    queue = new Set()
    const configFile = context.project.configFile
    if (configFile) {
      try {
        context = await host.reload()
      } catch (error) {
        emit({ event: 'config-error', changed: [rel(configFile)], error: error instanceof Error ? error.message : String(error) })
      }
    }
    watcher = await startWatcher(watcherOptions(context))
    failed = new Set()
    await build('rebuild', required.map(rel), undefined, false)
  }

  // After a cached first build nothing is parsed yet; parse in idle time, one file per tick, so that the
  // first edit is as quick as the later ones. A burst waits for at most the one file being parsed.
  function warmUp(): void {
    const ids = [...context.store.ids(), ...context.store.agentIds().map((id) => `agent:${id}`)]
    const start = performance.now()
    const step = () => {
      if (closed) return
      if (running || queue.size > 0 || paused) {
        setTimeout(step, 50)
        return
      }
      const id = ids.shift()
      if (id === undefined) {
        emit({ event: 'warm', total: context.store.agentIds().length, ms: performance.now() - start })
        return
      }
      if (id.startsWith('agent:')) context.store.agent(id.slice('agent:'.length))
      else context.store.get(id)
      setImmediate(step)
    }
    setImmediate(step)
  }

  // Bursts that arrive during a build wait for it, then run as one: builds never overlap.
  const pump = () => {
    if (running || closed || paused || queue.size === 0) return
    const batch = [...queue]
    queue = new Set()
    running = handle(batch).finally(() => {
      running = undefined
      pump()
    })
  }

  const watcherOptions = (ctx: BuildContext) => ({
    paths: watchedPaths(ctx),
    ignore: ignoredPaths(ctx),
    poll: options.poll ?? false,
    settleMs: options.settleMs ?? 80,
    onBurst: (paths: string[]) => {
      for (const p of paths) queue.add(p)
      pump()
    },
    onError: (message: string) => emit({ event: 'watch-error', error: message }),
  })
  watcher = await startWatcher(watcherOptions(context))
  // Watching started before the first build: a change made during it is queued and rebuilt after.
  running = Promise.resolve().then(() => build('build', [], undefined, false))
  await running
  running = undefined
  const folders = watchedPaths(context).filter((p) => !context.project.configDependencies.includes(p))
  const outermost = folders.filter((dir) => !folders.some((other) => other !== dir && dir.startsWith(other + path.sep)))
  emit({ event: 'watching', total: context.store.agentIds().length, changed: outermost.map(rel) })
  pump()
  warmUp()

  return {
    async close() {
      closed = true
      if (paused) clearInterval(paused)
      await watcher?.close()
      await running
    },
  }
}
