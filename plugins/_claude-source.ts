// Reading a Claude Code style agent for another target: its tools and model, per-target overrides, placed warnings.
import { placeOfKey, placeOfValue, renderAgentMarkdown, type ComposedAgent, type Message, type TargetDefinition } from '../src/index.js'

/** What a target's mapping works on: which target, the agent, and where its warnings go. */
export interface MappingContext {
  /** The target's name; also the frontmatter key of its overrides. */
  target: string
  composed: ComposedAgent
  messages: Message[]
}

/** A plain frontmatter value: a string, number, boolean, null, list or mapping. */
export type Data = Record<string, unknown>

/** The Claude model aliases and the ids they stand for here (Claude Code's aliases float; these are pinned). */
export const claudeAliasIds: Readonly<Record<ClaudeFamily, string>> = {
  opus: 'claude-opus-4-6',
  sonnet: 'claude-sonnet-4-6',
  haiku: 'claude-haiku-4-5',
}

/** A Claude model family. */
export type ClaudeFamily = 'opus' | 'sonnet' | 'haiku'

/** What a source `model` value names. */
export type ModelRef =
  | { kind: 'absent' }
  /** `inherit` or `default`: the caller's model; every target leaves `model` out for it. */
  | { kind: 'inherit' }
  /** A Claude alias (`sonnet`) or id (`claude-sonnet-4-5`), with its family and version when the id has one. */
  | { kind: 'claude'; source: string; id: string; family: ClaudeFamily; version: string | undefined }
  /** A Claude-only setting no other tool has (`opusplan`, `best`, an unreadable `claude-…` id). */
  | { kind: 'claude-other'; value: string }
  /** Anything else (another vendor's model, the target's own naming): the target decides. */
  | { kind: 'other'; value: string }
  /** Not a string. */
  | { kind: 'invalid'; value: unknown }

/** The agent's frontmatter as data (empty when it has none). */
export function frontmatterOf(composed: ComposedAgent): Data {
  return composed.agent.doc.frontmatter?.data ?? {}
}

/** Where in a key's value a warning points: a list item or mapping key path, or a character offset in a string value. */
export type ValuePlace = ReadonlyArray<string | number> | { text: string; offset: number }

/** Push a warning placed at a frontmatter key (or a place inside its value), saying what was done and how to fix it. */
export function warn(context: MappingContext, key: string, where: ValuePlace, message: string, extra: Data = {}): void {
  const { file, frontmatter } = context.composed.agent.doc
  const place = Array.isArray(where)
    ? where.length > 0
      ? placeOfValue(file, frontmatter, key, where)
      : placeOfKey(file, frontmatter, key)
    : withinString(file, placeOfValue(file, frontmatter, key), where as { text: string; offset: number })
  context.messages.push({
    severity: 'warning',
    code: 'INVALID_FRONTMATTER',
    message: `${context.target}: ${message}`,
    file: file.path,
    line: place.line,
    column: place.column,
    context: { target: context.target, key, ...extra },
  })
}

/** The place of a character of a one-line string value (plain or quoted); the value's start when it spans lines. */
function withinString(
  file: { text: string; lineStarts: number[] },
  start: { line: number; column: number },
  where: { text: string; offset: number },
): { line: number; column: number } {
  const at = (file.lineStarts[start.line - 1] ?? 0) + start.column - 1
  const quote = file.text[at] === '"' || file.text[at] === "'" ? 1 : 0
  if (!file.text.startsWith(where.text, at + quote)) return start
  return { line: start.line, column: start.column + quote + where.offset }
}

/** One tool named in the source `tools`, with where it stands: its list index, or its offset in a comma-separated string. */
export interface SourceTool {
  name: string
  where: ValuePlace
}

/**
 * The source `tools` as names: a comma-separated string or a YAML list. Undefined when the key is absent (the
 * agent then has every tool); a value of another type is a warning and reads as absent.
 */
export function sourceTools(context: MappingContext): SourceTool[] | undefined {
  const value = frontmatterOf(context.composed).tools
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') {
    const tools: SourceTool[] = []
    for (const match of value.matchAll(/[^,]+/g)) {
      const name = match[0].trim()
      if (name !== '') tools.push({ name, where: { text: value, offset: match.index + match[0].indexOf(name) } })
    }
    return tools
  }
  if (Array.isArray(value)) {
    const tools: SourceTool[] = []
    value.forEach((item, index) => {
      if (typeof item === 'string' && item.trim() !== '') tools.push({ name: item.trim(), where: [index] })
      else warn(context, 'tools', [index], `tools: item ${index + 1} is not a tool name; write a name such as Read`)
    })
    return tools
  }
  warn(context, 'tools', [], 'tools must be a comma-separated string or a list of tool names; the output keeps every tool')
  return undefined
}

/** How a target names tools: Claude tool name (lower case) → its tools, and how it names an MCP server's tools. */
export interface ToolTable {
  /** Claude tool name in lower case → the target's tool names (several when one Claude tool maps to more). */
  tools: Readonly<Record<string, readonly string[]>>
  /** The target's name for an MCP tool (`tool` undefined: every tool of the server). */
  mcp(server: string, tool: string | undefined): string
}

/**
 * Map the source tools to the target's names, in source order, each once. Tools with no equivalent are dropped
 * with a warning at the tool; `Bash(git diff:*)`-style restrictions are dropped with a warning too.
 */
export function mapTools(context: MappingContext, table: ToolTable, how: string): string[] | undefined {
  const tools = sourceTools(context)
  if (!tools) return undefined
  const out: string[] = []
  const add = (name: string) => {
    if (!out.includes(name)) out.push(name)
  }
  for (const tool of tools) {
    const { where } = tool
    const restricted = /^([^()]+)\((.*)\)$/.exec(tool.name)
    const name = (restricted?.[1] ?? tool.name).trim()
    if (restricted) {
      warn(context, 'tools', where, `tools: the restriction in "${tool.name}" is not carried over; ${context.target} gets the whole ${name} tool`, { tool: tool.name })
    }
    const mcp = /^mcp__(.+?)(?:__(.+))?$/.exec(name)
    if (mcp) {
      add(table.mcp(mcp[1] as string, mcp[2]))
      continue
    }
    const mapped = Object.hasOwn(table.tools, name.toLowerCase()) ? table.tools[name.toLowerCase()] : undefined
    if (mapped) {
      for (const target of mapped) add(target)
      continue
    }
    warn(
      context,
      'tools',
      where,
      `tools: "${name}" has no ${context.target} equivalent and is left out; remove it, or ${how}`,
      { tool: name },
    )
  }
  return out
}

const aliasPattern = /^(opus|sonnet|haiku)(\[1m\])?$/
const idPattern = /^claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-(\d{8}))?(\[1m\])?$/
const legacyIdPattern = /^claude-(\d+)(?:-(\d))?-(opus|sonnet|haiku)(?:-(\d{8}|latest))?(\[1m\])?$/

/** What the source `model` names. */
export function sourceModel(composed: ComposedAgent): ModelRef {
  const value = frontmatterOf(composed).model
  if (value === undefined || value === null) return { kind: 'absent' }
  if (typeof value !== 'string') return { kind: 'invalid', value }
  const model = value.trim()
  if (model === 'inherit' || model === 'default') return { kind: 'inherit' }
  const alias = aliasPattern.exec(model)
  if (alias) {
    const family = alias[1] as ClaudeFamily
    const id = claudeAliasIds[family]
    return { kind: 'claude', source: model, id, family, version: versionOf(id) }
  }
  const id = idPattern.exec(model)
  if (id) {
    const version = id[3] === undefined ? (id[2] as string) : `${id[2]}.${id[3]}`
    return { kind: 'claude', source: model, id: model.replace(/\[1m\]$/, ''), family: id[1] as ClaudeFamily, version }
  }
  const legacy = legacyIdPattern.exec(model)
  if (legacy) {
    const version = legacy[2] === undefined ? (legacy[1] as string) : `${legacy[1]}.${legacy[2]}`
    return { kind: 'claude', source: model, id: model.replace(/\[1m\]$/, ''), family: legacy[3] as ClaudeFamily, version }
  }
  if (/^(opusplan|best)(\[1m\])?$/.test(model) || model.startsWith('claude-')) return { kind: 'claude-other', value: model }
  return { kind: 'other', value: model }
}

function versionOf(id: string): string | undefined {
  const match = idPattern.exec(id)
  if (!match) return undefined
  return match[3] === undefined ? match[2] : `${match[2]}.${match[3]}`
}

/** Warn about a `model` value that is not a string; the output leaves `model` out. */
export function warnInvalidModel(context: MappingContext, value: unknown): void {
  warn(context, 'model', [], `model must be a string, not ${JSON.stringify(value)}; the output leaves model out`)
}

/**
 * Merge the agent's overrides for this target (the frontmatter key named after it, a mapping) into `data`, last:
 * an override replaces the mapped value, a mapping is merged into a mapped mapping key by key, `null` removes a key.
 */
export function applyOverrides(context: MappingContext, data: Data): Data {
  const overrides = frontmatterOf(context.composed)[context.target]
  if (overrides === undefined) return data
  if (!isMapping(overrides)) {
    warn(context, context.target, [], `${context.target} must be a mapping of output keys to values (${context.target}: { key: value }); it is ignored`)
    return data
  }
  const out: Data = {}
  for (const [key, value] of Object.entries(data)) setOwn(out, key, value)
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) {
      delete out[key]
      continue
    }
    const current = Object.hasOwn(out, key) ? out[key] : undefined
    if (isMapping(current) && isMapping(value)) {
      const merged: Data = {}
      for (const [k, v] of Object.entries(current)) setOwn(merged, k, v)
      for (const [k, v] of Object.entries(value)) {
        if (v === null) delete merged[k]
        else setOwn(merged, k, v)
      }
      setOwn(out, key, merged)
    } else setOwn(out, key, value)
  }
  return out
}

/** True for a YAML mapping read as data. */
export function isMapping(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Set an own property, even one named `__proto__` (frontmatter keys never change a prototype). */
export function setOwn(object: Data, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * A target that writes `<dir>/<fileName(id)>`: the claude body under frontmatter that `map` makes from
 * the agent's, with the agent's `<target>:` overrides merged last.
 */
export function mappedTarget(name: string, fileName: (id: string) => string, map: (context: MappingContext) => Data): TargetDefinition {
  return {
    name,
    defaultDir: name,
    renderAgent({ dir, composed, messages }) {
      const context: MappingContext = { target: name, composed, messages }
      const path = `${dir}/${fileName(composed.agent.id)}`
      const frontmatter = applyOverrides(context, map(context))
      const { text, sourceMap } = renderAgentMarkdown(composed, path, messages, { frontmatter })
      return [{ path, text, sourceMap }]
    },
  }
}
