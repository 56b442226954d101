#!/usr/bin/env node
// The parse floor: read every input file and parse it once with the remark plugins traitgen uses; write nothing.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name)
    if (statSync(abs).isDirectory()) walk(abs)
    else if (name.endsWith('.md')) processor.parse(readFileSync(abs, 'utf8'))
  }
}
walk(path.join(process.argv[2] ?? '.', 'content'))
