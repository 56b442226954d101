#!/usr/bin/env node
// The command-line program as one file: dist/src/cli/main.bundle.js (run by bin/traitgen.js), next to tsc's
// output, and the Markdown packages as a second file it loads when it first parses. Node 20 has no compile
// cache, and resolving, reading and linking about 250 small modules (zod alone is 95) cost about 0.2 s of
// every run, more than a whole nothing-changed build of 500 files; remark's 150 cost 0.1 s of every build that
// parses (README, "Speed and memory"). The library (dist/src/index.js), the parse worker and the config
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
 * remark, micromark and the other unified packages, which only a build that parses or serialises Markdown
 * needs: a second bundle (one file instead of about 150 modules), loaded when first required, so a build
 * with nothing to parse does not pay to compile it.
 */
const markdownPackages = ['unified', 'vfile', 'remark-parse', 'remark-frontmatter', 'remark-gfm', 'mdast-util-to-markdown', 'mdast-util-gfm', 'mdast-util-frontmatter']
const markdownFile = path.join(root, 'dist/src/cli/markdown.bundle.cjs')

/**
 * Each source file's `import.meta.url` made to name its own compiled file in dist/ (the bundle sits in
 * dist/src/cli/), so `new URL('./parse-worker.js', import.meta.url)` and `createRequire(import.meta.url)` find
 * what they found before bundling; their `require('remark-parse')` and the like take the package from the
 * Markdown bundle instead.
 */
const ownUrls = {
  name: 'own-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta.url')) return undefined
      const compiled = path.join(root, 'dist', path.relative(root, args.path)).replace(/\.ts$/, '.js')
      const relative = path.relative(path.dirname(outfile), compiled).split(path.sep).join('/')
      const toMarkdownBundle = JSON.stringify(`./${path.relative(path.dirname(compiled), markdownFile).split(path.sep).join('/')}`)
      const contents = source
        .replace(/require\('([^']+)'\)/g, (call, name) => (markdownPackages.includes(name) ? `require(${toMarkdownBundle}).modules[${JSON.stringify(name)}]` : call))
        .replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`)
      return { contents, loader: 'ts' }
    })
  },
}

const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning' }

await build({
  ...common,
  stdin: {
    contents: `${markdownPackages.map((name, i) => `import * as m${i} from '${name}'`).join('\n')}\nexport const modules = { ${markdownPackages.map((name, i) => `'${name}': m${i}`).join(', ')} }\n`,
    resolveDir: root,
    sourcefile: 'markdown-packages.js',
  },
  outfile: markdownFile,
  format: 'cjs',
})

await build({
  ...common,
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile,
  format: 'esm',
  sourcemap: 'linked',
  sourcesContent: false,
  // CommonJS packages in an ES module call `require` for Node's built-ins.
  banner: { js: "import { createRequire as __traitgenRequire } from 'node:module';\nconst require = __traitgenRequire(import.meta.url);" },
  plugins: [externals, ownUrls],
})
