// remarkTraitgen in process: problems that come from plugins, from the expansion itself, and trees made by
// other plugins (no positions); each message checked for its rule, place and text, and the page for its Markdown.
import path from 'node:path'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { remarkTraitgen, type RemarkTraitgenOptions, type TraitgenPlugin } from '../../src/index.js'
import { temporaryProjects } from '../support/project.js'

const project = temporaryProjects()
const pipeline = (options: RemarkTraitgenOptions) => unified().use(remarkParse).use(remarkTraitgen, options).use(remarkStringify)
const messagesOf = (file: VFile) => file.messages.map((m) => [m.line, m.column, m.ruleId, m.reason])

describe('plugins on a page', () => {
  it('an expandBlock hook that throws is PLUGIN_ERROR at the include, naming the plugin and the page by its path', async () => {
    const root = project({ 'content/traits/t/x.md': 'X.\n' })
    const boom: TraitgenPlugin = {
      name: 'boom',
      enforce: 'pre',
      expandBlock() {
        throw new Error('kaboom')
      },
    }
    const file = await pipeline({ root, config: { plugins: [boom] } }).process({ path: path.join(root, 'docs/page.md'), value: '# P\n\n<!-- @include t/x -->\n' })
    expect(messagesOf(file)).toEqual([[3, 1, 'PLUGIN_ERROR', `plugin "boom" failed on docs/page.md: kaboom; fix the plugin, or remove it from the config's plugins`]])
    expect(String(file)).toBe('# P\n\n<!-- @include t/x -->\n')
  })
})

describe('includes that cannot be expanded', () => {
  it('an include whose ref passes a parse limit is MARKDOWN_TOO_DEEP at the include, and the comment stays', async () => {
    const root = project({ 'content/traits/t/x.md': 'X.\n' })
    const stars = `<!-- @include ${'*'.repeat(1001)} -->`
    const pipes = `<!-- @include a${'|a'.repeat(501)} -->`
    const file = await pipeline({ root }).process(`# P\n\n${stars}\n\n${pipes}\n\n<!-- @include t/x -->\n`)
    const tooDeep = (what: string) => `Markdown too deeply nested to parse in bounded time: ${what}; flatten or split this part of the file`
    expect(messagesOf(file)).toEqual([
      [3, 1, 'MARKDOWN_TOO_DEEP', tooDeep('a run of 1001 emphasis or bracket characters (limit 1000)')],
      [5, 1, 'MARKDOWN_TOO_DEEP', tooDeep('a line with more than 500 table cells')],
    ])
    expect(String(file)).toBe(`# P\n\n${stars}\n\n${pipes}\n\nX.\n`)
  })
})
