// The example library's own config: content/ → output/, Claude Code subagents.
import { defineConfig } from 'traitgen'

export default defineConfig({
  content: 'content',
  output: 'output',
  targets: ['claude', 'docs', 'opencode', 'copilot'],
  variables: {
    project_name: 'your project',
  },
  groups: {
    coordination: { title: 'Coordination' },
    safety: { title: 'Safety' },
    quality: { title: 'Quality Standards' },
    tools: { title: 'Tools' },
    output: { title: 'Output Format' },
  },
  limits: {
    lines: { max: 2000 },
  },
})
