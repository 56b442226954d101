#!/usr/bin/env node
// The parse floor: read every input file and parse it once with the remark plugins traitgen uses; write nothing.
// `--bundled`: the same packages from traitgen's Markdown bundle (dist/src/cli/markdown.bundle.cjs), one file
// instead of about 150 modules, which is how the traitgen command loads them.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const bundled = process.argv.includes('--bundled')
const folder = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '.'
const load = bundled
  ? (name) => createRequire(import.meta.url)('../../dist/src/cli/markdown.bundle.cjs').modules[name]
  : (name) => import(name)
const { unified } = await load('unified')
const remarkParse = (await load('remark-parse')).default
const remarkFrontmatter = (await load('remark-frontmatter')).default
const remarkGfm = (await load('remark-gfm')).default

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name)
    if (statSync(abs).isDirectory()) walk(abs)
    else if (name.endsWith('.md')) processor.parse(readFileSync(abs, 'utf8'))
  }
}
walk(path.join(folder, 'content'))
