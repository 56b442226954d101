// Running one stage's unified plugins on a tree: each traitgen plugin as its own processor, in order,
// so a failure names its plugin; vfile messages become traitgen messages at their places.
import type { Root } from 'mdast'
import { createRequire } from 'node:module'
import type { VFile } from 'vfile'
import { createMessage, type Message, type Severity } from '../model/messages.js'
import { editedText, snapshotTree, type EditedText } from './tree-edit.js'
import type { PluginStage, TraitgenPlugin, UnifiedPluginEntry } from './types.js'

/** The plugins with something to run at a stage, with their entries. */
export interface StagePlugin {
  name: string
  entries: UnifiedPluginEntry[]
}

/** What a stage did to one file. */
export interface StageResult {
  /** The new text when a plugin changed the tree. */
  edited: EditedText | undefined
  messages: Message[]
  /** A plugin threw: the file failed (its PLUGIN_ERROR is in `messages`). */
  failed: boolean
}

/** The plugins that take part in `stage`, in run order. */
export function stagePlugins(plugins: readonly TraitgenPlugin[], stage: PluginStage): StagePlugin[] {
  return plugins.flatMap((p) => (p[stage]?.length ? [{ name: p.name, entries: p[stage] as UnifiedPluginEntry[] }] : []))
}

interface Processor {
  run(tree: Root, file: VFile): Promise<unknown>
  runSync(tree: Root, file: VFile): unknown
}

const processors = new WeakMap<UnifiedPluginEntry[], Processor>()
let modules: { unified: typeof import('unified').unified; VFile: typeof import('vfile').VFile } | undefined

function load() {
  if (!modules) {
    const require = createRequire(import.meta.url)
    modules = {
      unified: (require('unified') as typeof import('unified')).unified,
      VFile: (require('vfile') as typeof import('vfile')).VFile,
    }
  }
  return modules
}

function processorOf(plugin: StagePlugin): Processor {
  let processor = processors.get(plugin.entries)
  if (!processor) {
    processor = load().unified().use(plugin.entries).freeze() as unknown as Processor
    processors.set(plugin.entries, processor)
  }
  return processor
}

/** Facts a stage's plugins find in `file.data.traitgen`. */
export interface StageData {
  stage: PluginStage
  /** The trait or agent id. */
  id: string
  /** The target (output and document stages). */
  target?: string
}

/**
 * Run the plugins on `tree` (parsed from `text`, the file at `path`). `sync`: trait and agent stages run
 * while content is parsed on demand, so their plugins must not be async (an async one is a PLUGIN_ERROR).
 */
export function runStageSync(plugins: readonly StagePlugin[], tree: Root, text: string, path: string, data: StageData): StageResult {
  const snapshot = snapshotTree(tree)
  const messages: Message[] = []
  for (const plugin of plugins) {
    const file = vfileFor(text, path, data)
    try {
      processorOf(plugin).runSync(tree, file)
    } catch (error) {
      messages.push(pluginError(plugin.name, path, error))
      return { edited: undefined, messages, failed: true }
    } finally {
      messages.push(...vfileMessages(file, plugin.name, path))
    }
  }
  return { edited: editedText(tree, snapshot, text), messages, failed: false }
}

/** Run the plugins on `tree`, awaiting async transformers (document and output stages). */
export async function runStage(plugins: readonly StagePlugin[], tree: Root, text: string, path: string, data: StageData): Promise<StageResult> {
  const snapshot = snapshotTree(tree)
  const messages: Message[] = []
  for (const plugin of plugins) {
    const file = vfileFor(text, path, data)
    try {
      await processorOf(plugin).run(tree, file)
    } catch (error) {
      messages.push(pluginError(plugin.name, path, error))
      return { edited: undefined, messages, failed: true }
    } finally {
      messages.push(...vfileMessages(file, plugin.name, path))
    }
  }
  return { edited: editedText(tree, snapshot, text), messages, failed: false }
}

function vfileFor(text: string, path: string, data: StageData): VFile {
  const file = new (load().VFile)({ path, value: text })
  file.data.traitgen = data
  return file
}

/** The PLUGIN_ERROR for a plugin that threw or rejected on `file`. */
export function pluginError(plugin: string, file: string, error: unknown, place?: { line: number; column: number }): Message {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
  return createMessage('error', 'PLUGIN_ERROR', `plugin "${plugin}" failed on ${file}: ${reason}; fix the plugin, or remove it from the config's plugins`, file, place, {
    plugin,
  })
}

function vfileMessages(file: VFile, plugin: string, path: string): Message[] {
  return file.messages.map((m) => {
    const severity: Severity = m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info'
    const place = m.line ? { line: m.line, column: m.column ?? 1 } : undefined
    return createMessage(severity, 'PLUGIN_MESSAGE', `${m.reason} (${plugin}${m.ruleId ? `:${m.ruleId}` : ''})`, path, place, {
      plugin,
      ...(m.ruleId ? { ruleId: m.ruleId } : {}),
    })
  })
}
