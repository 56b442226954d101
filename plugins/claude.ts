// Target `claude`: Claude Code subagents, `<dir>/<agent id>.md` with name, description and pass-through keys.
import { renderAgentMarkdown, type TargetDefinition } from '../src/index.js'

/** The Claude Code subagent target (the default). */
export const claudeTarget: TargetDefinition = {
  name: 'claude',
  defaultDir: 'agents',
  renderAgent({ dir, composed, messages }) {
    const path = `${dir}/${composed.agent.id}.md`
    const { text, sourceMap } = renderAgentMarkdown(composed, path, messages)
    return [{ path, text, sourceMap }]
  },
}
