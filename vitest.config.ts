import { configDefaults, defineConfig } from 'vitest/config'

// `npm test` (scripts/coverage.mjs) sets TRAITGEN_CHILD_COVERAGE: the CLI processes the tests spawn then write
// V8 coverage there (NODE_V8_COVERAGE), which the script maps through dist's source maps back to src/.
const childCoverage = process.env.TRAITGEN_CHILD_COVERAGE

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end suite runs on its own: `npm run test:e2e` (test/e2e/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most tests wait on CLI child processes: two workers keep both cores busy (the default is one on two cores).
    maxWorkers: 2,
    env: childCoverage ? { NODE_V8_COVERAGE: childCoverage } : {},
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'plugins/**/*.ts'],
      reporter: ['json', 'text-summary'],
      reportsDirectory: 'coverage/in-process',
      // A failing test still leaves its coverage to look at (the script fails the run anyway).
      reportOnFailure: true,
    },
  },
})
