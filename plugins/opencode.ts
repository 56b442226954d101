// Target `opencode`: OpenCode agents, `<dir>/<agent id>.md` with description, mode, model and a tools map.
//
// Format (fields, tool names, `provider/model-id`, the file name as the agent's name), from OpenCode's docs:
//   https://opencode.ai/docs/agents/ (Markdown agents, options: description, mode, model, temperature, tools, permission)
//   https://opencode.ai/docs/tools/ (built-in tool names)
// (OpenCode's "V2" docs use `.opencode/agents/` and a `permissions` list and still read this V1 format.)
// Copy into `.opencode/agent/` with `{ name: 'opencode', dir: '.opencode/agent' }` in the config's targets.
import type { TargetDefinition } from '../src/index.js'
import {
  mappedTarget,
  mapTools,
  sourceModel,
  warn,
  warnInvalidModel,
  type Data,
  type MappingContext,
  type ToolTable,
} from './_claude-source.js'

/** OpenCode's built-in tools that a Claude tool maps to, in the order the output's `tools` map lists them. */
export const opencodeToolNames = ['read', 'write', 'edit', 'apply_patch', 'bash', 'grep', 'glob', 'list', 'webfetch', 'websearch', 'task', 'todowrite'] as const

/** Claude tool (lower case) → OpenCode tools. */
export const opencodeTools: ToolTable = {
  tools: {
    read: ['read'],
    notebookread: ['read'],
    write: ['write'],
    // `apply_patch` edits files too: it goes with edit, so a read-only agent cannot patch either.
    edit: ['edit', 'apply_patch'],
    multiedit: ['edit', 'apply_patch'],
    notebookedit: ['edit', 'apply_patch'],
    bash: ['bash'],
    grep: ['grep'],
    glob: ['glob'],
    ls: ['list'],
    webfetch: ['webfetch'],
    websearch: ['websearch'],
    task: ['task'],
    todowrite: ['todowrite'],
  },
  mcp: (server, tool) => `${server}_${tool ?? '*'}`,
}

/** The OpenCode frontmatter for an agent (before its `opencode:` overrides). */
export function opencodeFrontmatter(context: MappingContext): Data {
  const { meta, id } = context.composed.agent
  const data: Data = { description: meta.description, mode: 'subagent' }
  const baseName = id.slice(id.lastIndexOf('/') + 1)
  if (!meta.nameDefaulted && meta.name !== baseName) {
    warn(context, 'name', [], `OpenCode names an agent after its file, so this agent is "${baseName}" there, not "${meta.name}"; rename the file or the agent to match`)
  }
  const model = opencodeModel(context)
  if (model !== undefined) data.model = model
  const granted = mapTools(context, opencodeTools, 'set opencode: { tools: { <name>: true } }')
  if (granted) {
    // Claude's `tools` is an allow-list: every built-in tool it does not grant is turned off.
    const tools: Data = {}
    for (const name of opencodeToolNames) tools[name] = granted.includes(name)
    for (const name of granted) if (!(name in tools)) tools[name] = true
    data.tools = tools
  }
  return data
}

function opencodeModel(context: MappingContext): string | undefined {
  const model = sourceModel(context.composed)
  switch (model.kind) {
    case 'absent':
    case 'inherit':
      return undefined
    case 'claude':
      return `anthropic/${model.id}`
    case 'invalid':
      warnInvalidModel(context, model.value)
      return undefined
    case 'claude-other':
    case 'other':
      if (model.kind === 'other' && model.value.includes('/')) return model.value
      warn(context, 'model', [], `model "${model.value}" has no OpenCode equivalent and is left out (a subagent then uses its caller's model); write provider/model-id, or set opencode: { model: provider/model-id }`, { model: model.value })
      return undefined
  }
}

/** The OpenCode target. */
export const opencodeTarget: TargetDefinition = mappedTarget('opencode', (id) => `${id}.md`, opencodeFrontmatter)
