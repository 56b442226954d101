// Unusable configs exit 2 with a message naming the key and what is allowed (spec §6, §8).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { agentFile, listFiles, makeProject, removeProject, runCli } from '../support/project.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) removeProject(root)
})

function runWithConfig(config: string, setup?: (root: string) => void) {
  const root = makeProject({ 'traitgen.config.mjs': config, 'content/agents/a.md': agentFile('') })
  roots.push(root)
  setup?.(root)
  const run = runCli(['build'], root)
  return { ...run, root }
}

describe('config errors exit 2', () => {
  it.each([
    ["export default { output: '.' }", /output: output folder "\." must be a folder inside the project root, not the root itself/],
    ["export default { output: '../elsewhere' }", /output folder "\.\.\/elsewhere" must be a folder inside the project root/],
    ["export default { output: '/tmp/traitgen-abs' }", /must be a folder inside the project root/],
    ['export default { targets: [] }', /targets: Too small/],
    ["export default { targets: ['nope'] }", /targets: unknown target "nope"; available: claude/],
    ['export default { limits: { includeDepth: -1 } }', /limits\.includeDepth: Too small/],
    ["export default { variables: { x: { nested: 1 } } }", /variables\.x/],
    ['export default { contnt: "content" }', /unknown key contnt .*allowed: content, traits, agents/],
  ])('%s', (config, message) => {
    const { status, stderr, root } = runWithConfig(`${config}\n`)
    expect(status).toBe(2)
    expect(stderr).toMatch(message)
    expect(listFiles(root)).toEqual(['content/agents/a.md', 'traitgen.config.mjs'])
  })

  it('an output folder holding .git is refused', () => {
    const { status, stderr } = runWithConfig("export default { output: 'out' }\n", (root) => mkdirSync(path.join(root, 'out/.git'), { recursive: true }))
    expect(status).toBe(2)
    expect(stderr).toMatch(/holds a \.git folder; choose a folder traitgen owns/)
  })
})
