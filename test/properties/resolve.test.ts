// Properties of resolution (spec §5.1) over random trait DAGs: dependencies first, each trait once, deterministic.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createTraitgen } from '../../src/index.js'
import { agentFile, makeProject, removeProject, traitFile } from '../support/project.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) removeProject(root)
})

/** A random DAG: trait i depends only on traits before it. */
const dagArbitrary = fc.integer({ min: 2, max: 12 }).chain((size) =>
  fc.record({
    deps: fc.tuple(...Array.from({ length: size }, (_, i) => fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 3 }))),
    groups: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  }),
)

const idOf = (i: number) => `c${i % 3}/t${i}`

function writeDag(deps: number[][], groups: number[][]): string {
  const files: Record<string, string> = {}
  deps.forEach((list, i) => {
    const depLine = list.length > 0 ? `dependencies: [${list.map(idOf).join(', ')}]` : ''
    files[`content/traits/${idOf(i)}.md`] = traitFile(depLine, `## Trait ${i}\n\nText of trait ${i}.\n`)
  })
  const imports = groups.map((list, g) => `  g${g}: [${list.map(idOf).join(', ')}]`).join('\n')
  files['content/agents/agent.md'] = agentFile(`imports:\n${imports}`)
  const root = makeProject(files)
  roots.push(root)
  return root
}

function closure(deps: number[][], start: number[]): Set<number> {
  const out = new Set<number>()
  const stack = [...start]
  while (stack.length > 0) {
    const i = stack.pop() as number
    if (out.has(i)) continue
    out.add(i)
    stack.push(...(deps[i] ?? []))
  }
  return out
}

describe('resolution properties', () => {
  it('places dependencies before dependants, each trait once, everything needed, the same way every time', async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, async ({ deps, groups }) => {
        const root = writeDag(deps, groups)
        const first = await createTraitgen({ root }).processTraitImports('agent')
        const second = await createTraitgen({ root }).processTraitImports('agent')
        expect(second).toEqual(first)
        const order = first.map((p) => p.id)
        expect(new Set(order).size).toBe(order.length)
        const position = new Map(order.map((id, index) => [id, index]))
        const needed = closure(deps, groups.flat())
        expect(new Set(order)).toEqual(new Set([...needed].map(idOf)))
        deps.forEach((list, i) => {
          if (!position.has(idOf(i))) return
          for (const d of list) expect(position.get(idOf(d)) as number).toBeLessThan(position.get(idOf(i)) as number)
        })
        const viaApi = await createTraitgen({ root }).resolveDependencies(groups.flat().map(idOf))
        viaApi.forEach((id, index) => {
          const i = Number(id.split('/t')[1])
          for (const d of deps[i] ?? []) expect(viaApi.indexOf(idOf(d))).toBeLessThan(index)
        })
      }),
      { seed: 20261124, numRuns: 40 },
    )
  })

  it('a back edge that closes a cycle is DEPENDENCY_CYCLE with the whole path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 8 }), async (length) => {
        // t0 → t1 → … → t(n-1) → t0
        const deps = Array.from({ length }, (_, i) => [(i + 1) % length])
        const files: Record<string, string> = {}
        deps.forEach((list, i) => {
          files[`content/traits/${idOf(i)}.md`] = traitFile(`dependencies: [${list.map(idOf).join(', ')}]`)
        })
        const root = makeProject(files)
        roots.push(root)
        const error = (await createTraitgen({ root }).resolveDependencies([idOf(0)]).catch((e: unknown) => e)) as { code: string; message: string }
        expect(error.code).toBe('DEPENDENCY_CYCLE')
        const path = [...Array.from({ length }, (_, i) => idOf(i)), idOf(0)].join(' → ')
        expect(error.message).toContain(path)
      }),
      { seed: 7, numRuns: 7 },
    )
  })
})
