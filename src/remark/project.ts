// The traitgen project behind remarkTraitgen: loaded once per root and config, shared by every page of a docs build.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { configFileNames, loadProjectConfig, type ProjectConfig } from '../config/load.js'
import type { UserConfig } from '../config/schema.js'
import { ContentStore } from '../store.js'

/** A loaded project: its config, its content store, and what tells that the config changed. */
export interface LoadedProject {
  project: ProjectConfig
  store: ContentStore
  /** Modification times of the config file and the local files it imports, at load. */
  stamps: Map<string, number>
}

/** Where a project comes from. */
export interface ProjectSource {
  /** Absolute root folder. */
  root: string
  config: UserConfig | undefined
  configPath: string | undefined
}

type Cache = Map<string, Promise<LoadedProject>>

// A docs build runs the plugin on many pages, often through several processors: share the project
// across all of them. Inline configs are keyed by identity, so a new object means a new project.
const byRoot: Cache = new Map()
const byInlineConfig = new WeakMap<UserConfig, Cache>()

/** The project for `source`, loaded on first use and again whenever its config file changes. */
export async function loadedProject(source: ProjectSource): Promise<LoadedProject> {
  const cache = cacheFor(source.config)
  const key = `${source.root}\0${source.configPath ?? ''}`
  const pending = cache.get(key)
  if (pending) {
    const loaded = await pending
    if (!configChanged(loaded, source)) return loaded
    if (cache.get(key) === pending) cache.delete(key)
    return loadedProject(source)
  }
  const loading = load(source)
  cache.set(key, loading)
  // A broken config is not cached: the next page tries again (after the user fixed it).
  loading.catch(() => {
    if (cache.get(key) === loading) cache.delete(key)
  })
  return loading
}

function cacheFor(config: UserConfig | undefined): Cache {
  if (config === undefined) return byRoot
  let cache = byInlineConfig.get(config)
  if (!cache) {
    cache = new Map()
    byInlineConfig.set(config, cache)
  }
  return cache
}

async function load(source: ProjectSource): Promise<LoadedProject> {
  const project = await loadProjectConfig(source.root, { configPath: source.configPath, inline: source.config })
  const stamps = new Map<string, number>()
  for (const file of project.configDependencies) stamps.set(file, mtimeOf(file))
  return { project, store: new ContentStore(project, { strict: false }), stamps }
}

/** True when the config file (or a file it imports) changed, or a config file appeared where there was none. */
function configChanged(loaded: LoadedProject, source: ProjectSource): boolean {
  if (source.config !== undefined) return false
  for (const [file, stamp] of loaded.stamps) if (mtimeOf(file) !== stamp) return true
  if (loaded.project.configFile === undefined && source.configPath === undefined) {
    return configFileNames.some((name) => existsSync(path.join(source.root, name)))
  }
  return false
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return -1
  }
}
