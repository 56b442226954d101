// Target `gemini`: Gemini CLI subagents, `<dir>/<agent id>.md` with name (a slug), description, tools, model.
//
// Format (configuration schema, tool list and wildcards, `name` as a slug), from the Gemini CLI docs:
//   https://geminicli.com/docs/core/subagents (github.com/google-gemini/gemini-cli docs/core/subagents.md)
//   https://geminicli.com/docs/reference/tools (built-in tool names)
// Copy into `.gemini/agents/` with `{ name: 'gemini', dir: '.gemini/agents' }` in the config's targets.
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

/** Claude tool (lower case) → Gemini CLI tools. `Task` has none: a Gemini subagent cannot call other agents. */
export const geminiTools: ToolTable = {
  tools: {
    read: ['read_file'],
    notebookread: ['read_file'],
    write: ['write_file'],
    edit: ['replace'],
    multiedit: ['replace'],
    bash: ['run_shell_command'],
    grep: ['grep_search'],
    glob: ['glob'],
    ls: ['list_directory'],
    webfetch: ['web_fetch'],
    websearch: ['google_web_search'],
    todowrite: ['write_todos'],
  },
  mcp: (server, tool) => `mcp_${server}_${tool ?? '*'}`,
}

/** A Gemini CLI agent name: lower-case letters, digits, hyphens and underscores. */
const slugPattern = /^[a-z0-9_-]+$/

/** The Gemini CLI frontmatter for an agent (before its `gemini:` overrides). */
export function geminiFrontmatter(context: MappingContext): Data {
  const { meta } = context.composed.agent
  let name = meta.name
  if (!slugPattern.test(name)) {
    name = meta.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'agent'
    warn(context, 'name', [], `Gemini CLI agent names may hold only lower-case letters, digits, - and _; "${meta.name}" is written as "${name}"; rename the agent, or set gemini: { name: <slug> }`, { name: meta.name })
  }
  const data: Data = { name, description: meta.description }
  const tools = mapTools(context, geminiTools, 'set gemini: { tools: [<name>, …] }')
  if (tools) data.tools = tools
  const model = sourceModel(context.composed)
  if (model.kind === 'other') data.model = model.value
  else if (model.kind === 'claude' || model.kind === 'claude-other') {
    const value = model.kind === 'claude' ? model.source : model.value
    warn(context, 'model', [], `model "${value}" is a Claude model, which Gemini CLI does not run; it is left out (the session's model is used); set gemini: { model: <gemini model> }`, { model: value })
  } else if (model.kind === 'invalid') warnInvalidModel(context, model.value)
  return data
}

/** The Gemini CLI subagent target. */
export const geminiTarget: TargetDefinition = mappedTarget('gemini', (id) => `${id}.md`, geminiFrontmatter)
