// A CI-sized smoke run of the benchmark: fails only on a gross regression, never on noise.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './support/project.js'

describe('benchmark smoke run', () => {
  it('a cold build of the small corpus stays under 3 × (parse floor + text floor)', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'bench/run.mjs'), 'small', '--runs', '1', '--no-warmup'], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_JSON: '1' },
      timeout: 120_000,
    })
    expect(run.status, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { floorMs: number; results: Array<{ label: string; ms: number }> }
    const cold = report.results.find((r) => r.label === 'traitgen build, cold')
    expect(cold).toBeDefined()
    expect((cold as { ms: number }).ms / report.floorMs).toBeLessThan(3)
    const unchanged = report.results.find((r) => r.label === 'traitgen build, nothing changed') as { ms: number }
    expect(unchanged.ms).toBeLessThan((cold as { ms: number }).ms)
  }, 150_000)
})
