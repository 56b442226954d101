// Failures the build fuzzer found, shrunk by fast-check and kept as cases. `it.fails` marks one not fixed yet:
// when the fix lands the case starts passing, vitest reports it, and `.fails` comes off.
import { describe, expect, it } from 'vitest'
import { createTraitgen } from '../../src/index.js'
import { temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

describe('fuzz regressions', () => {
  // fuzz seed 424242 (npm test), path "3:0:2:3:3:6:4:4:4:4:4:4": a trait that includes itself, directly or
  // through another trait, and is imported by an agent, vanishes from the output with no message (exit 0).
  // Spec §5.1/§5.3: a cycle among includes is DEPENDENCY_CYCLE with the whole path.
  it('an include cycle between imported traits is DEPENDENCY_CYCLE, not a silently dropped trait', async () => {
    for (const traits of [
      { 'content/traits/b/three.md': 'B text.\n\n<!-- @include b/three -->\n' },
      { 'content/traits/b/three.md': 'B text.\n\n<!-- @include a/one -->\n', 'content/traits/a/one.md': 'A text.\n\n<!-- @include b/three -->\n' },
    ]) {
      const root = project({ ...traits, 'content/agents/agent.md': '---\ndescription: d\nimports:\n  tools: [b/three]\n---\n\nSome text.\n' })
      const result = await createTraitgen({ root }).build()
      expect(result.messages.map((m) => m.code)).toContain('DEPENDENCY_CYCLE')
      expect(result.ok).toBe(false)
    }
  })

  // npm run fuzz, seed 1764469000, path "770:0:2:6:5:5:5:5:5:5:5:5:5:5:5" (shrunk): in a trait with an include,
  // a later block's leading indentation is lost: ` alpha` comes out as `alpha`. Without the include it is kept.
  // Spec §5 Fidelity: every line traitgen did not change comes out byte-identical.
  it('a block after an include keeps its leading spaces', async () => {
    const root = project({
      'content/traits/a/one.md': 'Text of a/one.\n',
      'content/traits/b/one.md': 'Some text.\n\n<!-- @include a/one -->\n\n alpha\nalpha\n',
      'content/agents/agent.md': '---\ndescription: d\nimports:\n  tools: [b/one]\n---\n\nSome text.\n',
    })
    const output = await createTraitgen({ root }).renderAgent('agent')
    expect(output.split('\n')).toContain(' alpha')
  })

  // Seen in every npm run fuzz log: a frontmatter key that is a collection (`? [a, b]`) makes the yaml library
  // print a Node warning on standard error ("Keys with collection values will be stringified"), with no
  // message in the build. The library should not write to the process (STYLE 4); the key should be a message.
  it('a collection as a frontmatter key is a message, not a process warning', async () => {
    const root = project({
      'content/traits/b/one.md': '---\n? [a, b]\n: x\n---\n\nBody.\n',
      'content/agents/agent.md': '---\ndescription: d\nimports:\n  tools: [b/one]\n---\n\nSome text.\n',
    })
    const warnings: string[] = []
    const listen = (warning: Error) => warnings.push(warning.message)
    process.on('warning', listen)
    let codes: string[][] = []
    try {
      const result = await createTraitgen({ root }).build()
      codes = result.messages.map((m) => [m.code, m.file, `${m.line}:${m.column}`])
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', listen)
    }
    expect(warnings).toEqual([])
    expect(codes).toEqual([['INVALID_FRONTMATTER', 'content/traits/b/one.md', '2:3']])
  })
})
