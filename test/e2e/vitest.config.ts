// The end-to-end suite (`npm run test:e2e`): slow, needs Chromium and the docs-site example's own
// dependencies, so it is kept out of the default `npm test` (see the root vitest.config.ts).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.test.ts'],
    // Installing the example's dependencies and two builds happen in beforeAll.
    hookTimeout: 15 * 60_000,
    testTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
