// Target `copilot`: GitHub Copilot custom agents, `<dir>/<agent id>.agent.md` with name, description, tools, model.
//
// Format (properties, tool aliases and the Claude names they accept, unknown tools ignored), from GitHub's reference:
//   https://docs.github.com/en/copilot/reference/custom-agents-configuration
//   https://code.visualstudio.com/docs/agents/reference/custom-agent-file-reference (the same files in VS Code)
// Copy into `.github/agents/` with `{ name: 'copilot', dir: '.github/agents' }` in the config's targets.
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

/** Claude tool (lower case) → Copilot's primary tool aliases (GitHub documents the Claude names as compatible aliases). */
export const copilotTools: ToolTable = {
  tools: {
    bash: ['execute'],
    read: ['read'],
    notebookread: ['read'],
    edit: ['edit'],
    multiedit: ['edit'],
    write: ['edit'],
    notebookedit: ['edit'],
    grep: ['search'],
    glob: ['search'],
    ls: ['search'],
    task: ['agent'],
    webfetch: ['web'],
    websearch: ['web'],
    todowrite: ['todo'],
  },
  mcp: (server, tool) => `${server}/${tool ?? '*'}`,
}

const familyNames = { opus: 'Opus', sonnet: 'Sonnet', haiku: 'Haiku' } as const

/** The Copilot frontmatter for an agent (before its `copilot:` overrides). */
export function copilotFrontmatter(context: MappingContext): Data {
  const { meta } = context.composed.agent
  const data: Data = { name: meta.name, description: meta.description }
  const tools = mapTools(context, copilotTools, 'set copilot: { tools: [<name>, …] }')
  if (tools) data.tools = tools
  const model = sourceModel(context.composed)
  if (model.kind === 'claude') data.model = `Claude ${familyNames[model.family]}${model.version === undefined ? '' : ` ${model.version}`}`
  else if (model.kind === 'other') data.model = model.value
  else if (model.kind === 'claude-other') {
    warn(context, 'model', [], `model "${model.value}" is a Claude Code setting Copilot does not have and is left out (the default model is used); set copilot: { model: <model name> }`, { model: model.value })
  } else if (model.kind === 'invalid') warnInvalidModel(context, model.value)
  return data
}

/** The GitHub Copilot custom agent target. */
export const copilotTarget: TargetDefinition = mappedTarget('copilot', (id) => `${id}.agent.md`, copilotFrontmatter)
