// The library API (spec §10) against the repository's own example library and small projects.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createTraitgen, TraitDependencyError, TraitNotFoundError, TraitProcessingError } from '../src/index.js'
import { agentFile, makeProject, removeProject, repoRoot, traitFile } from './support/project.js'

const tg = createTraitgen({ root: repoRoot })
const roots: string[] = []
afterAll(async () => {
  await tg.close()
  for (const root of roots) removeProject(root)
})

describe('createTraitgen on content/', () => {
  it('loadTrait reads metadata with defaults from the path', async () => {
    const trait = await tg.loadTrait('safety/destructive-actions')
    expect(trait.id).toBe('safety/destructive-actions')
    expect(trait.meta.category).toBe('safety')
    expect(trait.meta.version).toBe('1.2.0')
    expect(trait.meta.name).toBe('destructive-actions')
  })

  it('loadTrait throws TraitNotFoundError with suggestions for an unknown id', async () => {
    const error = await tg.loadTrait('safety/destructive-action').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TraitNotFoundError)
    expect(error).toBeInstanceOf(TraitProcessingError)
    const json = (error as TraitNotFoundError).toJSON()
    expect(json.code).toBe('TRAIT_NOT_FOUND')
    expect(json.context.suggestions).toContain('safety/destructive-actions')
    expect(typeof json.timestamp).toBe('string')
  })

  it('resolveDependencies puts the whole chain before its dependant', async () => {
    const order = await tg.resolveDependencies(['tools/versioning'])
    expect(order).toEqual(['safety/destructive-actions', 'tools/git-workflow', 'tools/pull-requests', 'tools/versioning'])
  })

  it('validateTraitSet reports the conflict between the two report styles', async () => {
    const messages = await tg.validateTraitSet(['output/terse-report', 'output/detailed-report'])
    expect(messages.map((m) => m.code)).toContain('TRAIT_CONFLICT')
    expect(await tg.validateTraitSet(['output/terse-report'])).toEqual([])
  })

  it('processTraitImports explains why each trait is there', async () => {
    const placements = await tg.processTraitImports('release-manager')
    const versioning = placements.find((p) => p.id === 'tools/versioning')
    const git = placements.find((p) => p.id === 'tools/git-workflow')
    expect(versioning?.reason).toEqual({ kind: 'import', group: 'tools' })
    expect(git?.reason).toEqual({ kind: 'dependency', of: 'tools/pull-requests' })
    expect(placements.findIndex((p) => p.id === 'tools/git-workflow')).toBeLessThan(placements.findIndex((p) => p.id === 'tools/versioning'))
  })

  it('renderAgent returns exactly the file build writes', async () => {
    const text = await tg.renderAgent('code-reviewer')
    expect(text).toBe(readFileSync(path.join(repoRoot, 'output/agents/code-reviewer.md'), 'utf8'))
  })

  it('graph lists every trait, dependency and include edges, and each agent’s traits', async () => {
    const graph = await tg.graph()
    expect(graph.nodes.length).toBe(22)
    expect(graph.edges).toContainEqual({ from: 'tools/pull-requests', to: 'tools/git-workflow', kind: 'dependency' })
    expect(graph.edges).toContainEqual({ from: 'quality/security-review-checklist', to: 'safety/secrets-handling', kind: 'include' })
    expect(graph.agents['security-reviewer']).toContain('quality/threat-modeling')
  })
})

describe('createTraitgen on small projects', () => {
  it('resolveDependencies throws TraitDependencyError with the cycle path', async () => {
    const root = makeProject({
      'content/traits/c/a.md': traitFile('dependencies: [b]'),
      'content/traits/c/b.md': traitFile('dependencies: [c/c]'),
      'content/traits/c/c.md': traitFile('dependencies: [a]'),
    })
    roots.push(root)
    const error = await createTraitgen({ root }).resolveDependencies(['c/a']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TraitDependencyError)
    expect((error as TraitDependencyError).code).toBe('DEPENDENCY_CYCLE')
    expect((error as Error).message).toContain('c/a → c/b → c/c → c/a')
  })

  it('takes an inline config instead of a config file, and build() returns messages instead of throwing', async () => {
    const root = makeProject({
      'content/traits/x/t.md': traitFile('', 'Hello {{ who }}.\n'),
      'content/agents/a.md': agentFile('imports:\n  x: [t]'),
    })
    roots.push(root)
    const result = await createTraitgen({ root, config: { variables: { who: 'config' }, output: 'out' } }).build()
    expect(result.ok).toBe(true)
    expect(readFileSync(path.join(root, 'out/agents/a.md'), 'utf8')).toContain('Hello config.')
    const failing = await createTraitgen({ root, config: { output: 'out' } }).build()
    expect(failing.ok).toBe(false)
    expect(failing.messages.map((m) => [m.code, m.file, m.line, m.column])).toEqual([['UNDEFINED_VARIABLE', 'content/traits/x/t.md', 1, 7]])
  })
})
