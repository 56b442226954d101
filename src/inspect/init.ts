// init: a new project that builds at once, written only where nothing exists yet.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const files: Record<string, string> = {
  'traitgen.config.mjs': `// traitgen config: every key is optional (see the README).
export default {
  content: 'content',
  output: 'output',
  variables: { project_name: 'my project' },
}
`,
  'content/traits/safety/confirm-destructive.md': `---
version: 1.0.0
description: Ask before doing anything that cannot be undone.
---

## Destructive actions

- Ask before deleting files, dropping data or force-pushing in {{ project_name }}.
- Prefer a reversible step (a branch, a backup) over an irreversible one.
`,
  'content/traits/quality/tests-first.md': `---
version: 1.0.0
description: Prove changes with tests.
dependencies: [safety/confirm-destructive]
---

## Tests

Write or update a test that fails without your change, then make it pass.
`,
  'content/agents/helper.md': `---
name: helper
description: Use for small, careful code changes in this project.
model: sonnet
tools: Read, Grep, Glob, Edit
imports:
  quality: [tests-first]
---

You make small, careful code changes and explain them briefly.

## Quality
`,
}

/** Create the starter files under `dir`; refuses when any of them exists. */
export function initProject(dir: string): { ok: true; created: string[] } | { ok: false; reason: string; existing: string[] } {
  const root = path.resolve(dir)
  const existing = Object.keys(files).filter((rel) => existsSync(path.join(root, rel)))
  if (existing.length > 0) return { ok: false, reason: `refusing to overwrite ${existing.join(', ')} in ${dir}`, existing }
  const created: string[] = []
  for (const [rel, text] of Object.entries(files)) {
    try {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
      writeFileSync(path.join(root, rel), text, { flag: 'wx' })
    } catch (error) {
      // A folder that cannot hold the project (a file in its place, no permission) is the user's to fix, not a crash.
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      const before = created.length > 0 ? ` (${created.join(', ')} created before it)` : ''
      return { ok: false, reason: `cannot create ${rel} in ${dir} (${code}); choose a folder traitgen can write to${before}`, existing: [] }
    }
    created.push(rel)
  }
  return { ok: true, created }
}
