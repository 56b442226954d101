// Fuzzing the whole build in-process over random projects: Markdown, frontmatter and refs of every kind.
// `npm test` runs a bounded number of cases with fixed seeds; `npm run fuzz` runs many (FUZZ_RUNS, default
// 10000 per property) with a random seed (FUZZ_SEED to replay one), printing the seed and the shrunk case.
import fc from 'fast-check'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  badMessages,
  buildSnapshot,
  comparable,
  missingLines,
  projectArbitrary,
  recordCase,
  removeProject,
  unchangedLines,
  wholeImportArbitrary,
  writeProject,
} from '../support/fuzz.js'
import { repoRoot } from '../support/project.js'

const long = process.env.npm_lifecycle_event === 'fuzz'
const runs = Number(process.env.FUZZ_RUNS ?? (long ? 10_000 : 0)) || undefined
const seed = process.env.FUZZ_SEED === undefined ? (long ? Date.now() : undefined) : Number(process.env.FUZZ_SEED)
/** A build of a generated project is small: far under this on a loaded 2-core machine. */
const caseBoundMs = Number(process.env.FUZZ_CASE_MS ?? 10_000)
/** Long runs keep the case being built on disk, so a hang (which no timer can interrupt) leaves its input. */
const currentCase = long ? path.join(repoRoot, '.scratch/fuzz-current.json') : undefined
const progress = { cases: 0, started: Date.now() }

const roots: string[] = []
afterAll(() => {
  for (const root of roots.splice(0)) removeProject(root)
  if (long) console.log(`fuzz: ${progress.cases} cases in ${Math.round((Date.now() - progress.started) / 1000)} s, seed ${seed}`)
})

function parameters(defaultRuns: number, defaultSeed: number): fc.Parameters<unknown> {
  return { numRuns: runs ?? defaultRuns, seed: seed ?? defaultSeed, ...(long ? { verbose: 1 } : {}) }
}

/** The project folders of a case: removed when the next case starts in long runs (there are thousands), at the end otherwise. */
function track(root: string): string {
  roots.push(root)
  return root
}

/** Start a case: count it, keep its input on disk in long runs, and remove the last case's folders. */
function startCase(input: unknown): void {
  progress.cases++
  recordCase(currentCase, { case: progress.cases, seed, input })
  if (long) for (const root of roots.splice(0)) removeProject(root)
}

const timeout = long ? 7 * 24 * 3_600_000 : 120_000

describe('build fuzzing', () => {
  it(
    'never throws, always ends, reports every problem as a known code, and builds the same bytes twice',
    async () => {
      await fc.assert(
        fc.asyncProperty(projectArbitrary, async (project) => {
          startCase(project)
          const a = track(writeProject(project.files))
          const b = track(writeProject(project.files))
          const first = await buildSnapshot(a, project)
          expect(first.ms, 'build time of one small case').toBeLessThan(caseBoundMs)
          expect(badMessages(first.result)).toEqual([])
          // A second project with the same files, built from nothing: the same files and messages.
          const fresh = await buildSnapshot(b, project)
          expect(fresh.files).toEqual(first.files)
          expect(comparable(fresh.result)).toEqual(comparable(first.result))
          // Rebuilding the first project (cache, manifest in place) changes no output.
          const again = await buildSnapshot(a, project)
          expect(again.files).toEqual(first.files)
          expect(badMessages(again.result)).toEqual([])
        }),
        parameters(40, 20261130),
      )
    },
    timeout,
  )

  it(
    'keeps every unchanged line of a trait imported whole, byte for byte, the same way every time',
    async () => {
      await fc.assert(
        fc.asyncProperty(wholeImportArbitrary, async ({ files, traits }) => {
          startCase(files)
          const root = track(writeProject(files))
          const built = await buildSnapshot(root, { config: {}, strict: false })
          expect(badMessages(built.result)).toEqual([])
          const fresh = await buildSnapshot(track(writeProject(files)), { config: {}, strict: false })
          expect(fresh.files).toEqual(built.files)
          expect(comparable(fresh.result)).toEqual(comparable(built.result))
          const output = built.files['output/agents/agent.md']
          if (output === undefined || built.result.agents.failed.includes('agent')) return
          expect(output.endsWith('\n') && !output.endsWith('\n\n'), 'one final newline').toBe(true)
          expect(output).not.toMatch(/\r|\uFEFF/)
          for (const [id, body] of Object.entries(traits)) {
            expect(missingLines(unchangedLines(body), output), `lines of ${id} missing from the output`).toEqual([])
          }
        }),
        parameters(60, 424242),
      )
    },
    timeout,
  )
})
