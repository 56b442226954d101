// The config's `plugins` list, checked and brought to one shape: traitgen plugins with names.
import { TraitConfigError } from '../errors.js'
import type { PluginStage, TraitgenPlugin, UnifiedPluginEntry } from './types.js'

const stages: readonly PluginStage[] = ['trait', 'agent', 'document', 'output']
const composeHooks = ['resolveImports', 'resolveDependencies', 'expandBlock', 'splice', 'checkPlacements', 'blockEdits'] as const
const pluginKeys = new Set<string>(['name', 'cacheKey', 'enforce', ...stages, 'validate', 'targets', 'buildStart', 'buildEnd', ...composeHooks])

/** Check each entry of `plugins` and return them as traitgen plugins, in config order. */
export function normalizePlugins(entries: readonly unknown[], where: string): TraitgenPlugin[] {
  return entries.map((entry, index) => normalizePlugin(entry, `${where}: plugins[${index}]`, index))
}

function normalizePlugin(entry: unknown, at: string, index: number): TraitgenPlugin {
  // A bare unified plugin, or [plugin, options], runs at the document stage.
  if (typeof entry === 'function') return { name: entry.name || `plugins[${index}]`, document: [entry as UnifiedPluginEntry] }
  if (Array.isArray(entry)) {
    if (typeof entry[0] !== 'function') fail(at, entry, 'a [plugin, options] pair must start with a unified plugin function')
    return { name: (entry[0] as { name?: string }).name || `plugins[${index}]`, document: [entry as UnifiedPluginEntry] }
  }
  if (entry === null || typeof entry !== 'object') fail(at, entry, 'expected a traitgen plugin (an object with a `name`) or a unified plugin')
  const plugin = entry as Record<string, unknown>
  if (typeof plugin.name !== 'string' || plugin.name.length === 0) fail(at, entry, 'a traitgen plugin needs a non-empty string `name`')
  const unknown = Object.keys(plugin).filter((key) => !pluginKeys.has(key))
  if (unknown.length > 0) fail(at, entry, `unknown key ${unknown.join(', ')}; a plugin may have ${[...pluginKeys].join(', ')}`)
  for (const stage of stages) {
    const list = plugin[stage]
    if (list === undefined) continue
    if (!Array.isArray(list)) fail(`${at}.${stage}`, list, 'expected a list of unified plugins (`plugin` or `[plugin, options]`)')
    list.forEach((item, i) => {
      const fn = Array.isArray(item) ? item[0] : item
      if (typeof fn !== 'function') fail(`${at}.${stage}[${i}]`, item, 'expected a unified plugin function or [plugin, options]')
    })
  }
  if (plugin.enforce !== undefined && plugin.enforce !== 'pre' && plugin.enforce !== 'post') fail(`${at}.enforce`, plugin.enforce, "expected 'pre' or 'post'")
  for (const hook of ['validate', 'buildStart', 'buildEnd', ...composeHooks] as const) {
    if (plugin[hook] !== undefined && typeof plugin[hook] !== 'function') fail(`${at}.${hook}`, plugin[hook], 'expected a function')
  }
  if (plugin.targets !== undefined) {
    if (!Array.isArray(plugin.targets)) fail(`${at}.targets`, plugin.targets, 'expected a list of target definitions')
    plugin.targets.forEach((target: unknown, i: number) => {
      const t = target as { name?: unknown; renderAgent?: unknown; renderLibrary?: unknown; defaultDir?: unknown } | null
      if (!t || typeof t.name !== 'string' || t.name.length === 0 || typeof t.renderAgent !== 'function') {
        fail(`${at}.targets[${i}]`, target, 'a target needs a string `name` and a `renderAgent(context)` function')
      }
      if (t.renderLibrary !== undefined && typeof t.renderLibrary !== 'function') fail(`${at}.targets[${i}].renderLibrary`, t.renderLibrary, 'expected a function')
      if (t.defaultDir !== undefined && typeof t.defaultDir !== 'string') fail(`${at}.targets[${i}].defaultDir`, t.defaultDir, 'expected a folder name')
    })
  }
  return plugin as unknown as TraitgenPlugin
}

function fail(at: string, value: unknown, why: string): never {
  throw new TraitConfigError('INVALID_PLUGIN', `${at}: ${why}, not \`${quote(value)}\``)
}

/** A short, printable rendering of any value, for "not `…`" messages. */
export function quote(value: unknown): string {
  if (value === undefined) return 'undefined (is the import or export missing?)'
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value !== 'object' || value === null) return String(value)
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? `[function ${(v as { name?: string }).name || 'anonymous'}]` : v))
    return text.length > 80 ? `${text.slice(0, 77)}...` : text
  } catch {
    return Object.prototype.toString.call(value)
  }
}
