// The document and output stages and the validators, applied to one rendered output file of an agent.
import type { Root } from 'mdast'
import { createMessage, type Message, type MessageCode } from '../model/messages.js'
import { createSourceFile } from '../model/source.js'
import { parseMarkdown } from '../parse/markdown.js'
import { remapSourceMap } from '../render/emitter.js'
import type { TargetFile } from '../targets/types.js'
import { pluginError, runStage, stagePlugins, type StagePlugin } from './stages.js'
import type { PluginMessage, TraitgenPlugin, ValidatedDocument } from './types.js'

/** The plugins of a project, sorted by what they do to outputs. */
export interface OutputPlugins {
  document: StagePlugin[]
  output: StagePlugin[]
  validators: TraitgenPlugin[]
}

/** Group a project's plugins for the output side of a build. */
export function outputPlugins(plugins: readonly TraitgenPlugin[]): OutputPlugins {
  return { document: stagePlugins(plugins, 'document'), output: stagePlugins(plugins, 'output'), validators: plugins.filter((p) => p.validate) }
}

/** Where the file comes from: the agent and its target. */
export interface OutputOwner {
  agent: string
  /** The agent's source file, relative to the root. */
  agentFile: string
  frontmatter: Readonly<Record<string, unknown>>
  target: string
}

/** Run the document and output stages on `file`, then every validator. Returns the file as it will be written. */
export async function processOutput(plugins: OutputPlugins, file: TargetFile, owner: OutputOwner, messages: Message[]): Promise<{ file: TargetFile; failed: boolean }> {
  let current = file
  for (const stage of ['document', 'output'] as const) {
    if (plugins[stage].length === 0) continue
    const source = createSourceFile(current.path, current.path, current.text)
    const parsed = parseMarkdown(source)
    if (!parsed.tree) {
      messages.push(...parsed.messages)
      return { file: current, failed: true }
    }
    const result = await runStage(plugins[stage], parsed.tree, current.text, current.path, { stage, id: owner.agent, target: owner.target })
    // Problems a plugin found in the output belong to the agent the output came from.
    messages.push(...result.messages.map((m) => (m.code === 'PLUGIN_ERROR' ? { ...m, file: owner.agentFile, line: 1, column: 1 } : m)))
    if (result.failed) return { file: current, failed: true }
    if (result.edited) {
      current = {
        path: current.path,
        text: result.edited.text,
        sourceMap: current.sourceMap ? remapSourceMap(current.sourceMap, result.edited.origins) : undefined,
      }
    }
  }
  let failed = false
  for (const plugin of plugins.validators) {
    try {
      const found = await (plugin.validate as NonNullable<TraitgenPlugin['validate']>)(validatedDocument(current, owner))
      for (const m of found ?? []) messages.push(fromPluginMessage(m, plugin.name, owner.agentFile))
    } catch (error) {
      messages.push(pluginError(plugin.name, owner.agentFile, error))
      failed = true
    }
  }
  return { file: current, failed }
}

function validatedDocument(file: TargetFile, owner: OutputOwner): ValidatedDocument {
  let tree: Root | undefined
  return {
    agent: owner.agent,
    file: owner.agentFile,
    frontmatter: owner.frontmatter,
    target: owner.target,
    path: file.path,
    text: file.text,
    get tree(): Root {
      tree ??= parseMarkdown(createSourceFile(file.path, file.path, file.text)).tree ?? { type: 'root', children: [] }
      return tree
    },
  }
}

const codePattern = /^[A-Z][A-Z0-9_]*$/

/** A validator's message as a traitgen message (at the agent's file unless it names another place). */
export function fromPluginMessage(m: PluginMessage, plugin: string, agentFile: string): Message {
  const code = (m.code && codePattern.test(m.code) ? m.code : 'PLUGIN_MESSAGE') as MessageCode
  const place = { line: m.line ?? 1, column: m.column ?? 1 }
  const context = { ...(m.context ?? {}), ...(code === 'PLUGIN_MESSAGE' ? { plugin } : {}), ...(m.ruleId ? { ruleId: m.ruleId } : {}) }
  const text = code === 'PLUGIN_MESSAGE' ? `${m.message} (${plugin}${m.ruleId ? `:${m.ruleId}` : ''})` : m.message
  return createMessage(m.severity ?? 'error', code, text, m.file ?? agentFile, place, Object.keys(context).length > 0 ? context : undefined)
}
