#!/usr/bin/env node
// The command-line program as one file: dist/src/cli/main.bundle.js (run by bin/traitgen.js), next to tsc's
// output. Node 20 has no compile cache, and resolving, reading and linking about 250 small modules (zod alone
// is 95) cost about 0.2 s of every run, more than a whole nothing-changed build of 500 files
// (README, "Speed and memory"). The library (dist/src/index.js), the parse worker and the config
// reload hooks stay as tsc wrote them.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outfile = path.join(root, 'dist/src/cli/main.bundle.js')

/**
 * Packages loaded at start on every run go into the bundle. Everything else (remark and micromark, jiti,
 * chokidar, pino, the tokenizer) is loaded from node_modules when first needed, as before.
 */
const bundled = new Set(['commander', 'fastest-levenshtein', 'github-slugger', 'mdast-util-to-string', 'semver', 'unist-util-is', 'unist-util-visit', 'unist-util-visit-parents', 'yaml', 'zod'])

const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')

/** Keep the packages outside `bundled` as imports of node_modules. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || bundled.has(packageOf(args.path))) return undefined
      return { path: args.path, external: true }
    })
  },
}

/**
 * Each source file's `import.meta.url` made to name its own compiled file in dist/ (the bundle sits in
 * dist/src/cli/), so `new URL('./parse-worker.js', import.meta.url)` and `createRequire(import.meta.url)` find
 * what they found before bundling.
 */
const ownUrls = {
  name: 'own-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta.url')) return undefined
      const compiled = path.join(root, 'dist', path.relative(root, args.path)).replace(/\.ts$/, '.js')
      const relative = path.relative(path.dirname(outfile), compiled).split(path.sep).join('/')
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' }
    })
  },
}

await build({
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  // CommonJS packages in an ES module call `require` for Node's built-ins.
  banner: { js: "import { createRequire as __traitgenRequire } from 'node:module';\nconst require = __traitgenRequire(import.meta.url);" },
  plugins: [externals, ownUrls],
  logLevel: 'warning',
})
