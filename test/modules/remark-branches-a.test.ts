// remarkTraitgen in process: problems that come from plugins, from the expansion itself, and trees made by
// other plugins (no positions); each message checked for its rule, place and text, and the page for its Markdown.
import { utimesSync } from 'node:fs'
import path from 'node:path'
import type { Root } from 'mdast'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { createMessage, remarkTraitgen, type TraitgenPlugin } from '../../src/index.js'
import { temporaryProjects, writeFiles } from '../support/project.js'
import { messagesOf, pipeline } from '../support/remark.js'

const project = temporaryProjects()

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

  it('a warning reported while a block is rendered is a message on the page, and failOnError does not fail on it', async () => {
    const root = project({ 'content/traits/t/x.md': 'X.\n' })
    const careful: TraitgenPlugin = {
      name: 'careful',
      blockEdits(block, { report }) {
        report(createMessage('warning', 'PLUGIN_MESSAGE', 'careful with this block', block.doc.file.path, { line: 1, column: 1 }))
        return undefined
      },
    }
    const file = await pipeline({ root, config: { plugins: [careful] }, failOnError: true }).process('# P\n\n<!-- @include t/x -->\n')
    expect(messagesOf(file)).toEqual([[3, 1, 'PLUGIN_MESSAGE', 'content/traits/t/x.md:1:1: careful with this block']])
    expect(file.messages[0]?.fatal).toBe(false)
    expect(String(file)).toBe('# P\n\nX.\n')
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

  it('an include whose expansion together passes a parse limit is MARKDOWN_TOO_DEEP at the include; each trait alone is fine', async () => {
    const definitions = (prefix: string) => Array.from({ length: 600 }, (_, i) => `[${prefix}${i}]: https://example.com/${i}`).join('\n')
    const root = project({
      'content/traits/t/outer.md': `${definitions('o')}\n\n<!-- @include inner -->\n`,
      'content/traits/t/inner.md': `${definitions('i')}\n`,
      'content/traits/t/small.md': 'Small.\n',
    })
    const file = await pipeline({ root }).process('# P\n\n<!-- @include t/outer -->\n\n<!-- @include t/small -->\n')
    expect(messagesOf(file)).toEqual([
      [3, 1, 'MARKDOWN_TOO_DEEP', 'Markdown too deeply nested to parse in bounded time: more than 1000 link reference definitions; flatten or split this part of the file'],
    ])
    // The include that failed stays as written; the next one expands.
    expect(String(file)).toBe('# P\n\n<!-- @include t/outer -->\n\nSmall.\n')
  })
})

describe('trees from other plugins', () => {
  it('an include node without a position is expanded; a failing one is reported without a place', async () => {
    const root = project({ 'content/traits/t/x.md': 'X {{ who }}.\n' })
    const transform = remarkTraitgen({ root, config: { variables: { who: 'there' } } })
    const tree: Root = {
      type: 'root',
      children: [
        { type: 'html', value: '<!-- @include t/x -->' },
        { type: 'html', value: '<!-- @include t/missing -->' },
      ],
    }
    const file = new VFile()
    await transform(tree, file, () => {})
    expect(tree.children).toEqual([
      { type: 'paragraph', children: [{ type: 'text', value: 'X there.' }] },
      { type: 'html', value: '<!-- @include t/missing -->' },
    ])
    expect(file.messages.map((m) => [m.line, m.column, m.place, m.ruleId, m.reason])).toEqual([
      [undefined, undefined, undefined, 'TRAIT_NOT_FOUND', 'no trait "t/missing"; check the trait id'],
    ])
  })
})

describe('the shared project', () => {
  it('pages processed at the same time after a config edit reload the project once, and both see the new config', async () => {
    const root = project({ 'traitgen.config.ts': "export default { variables: { who: 'old' } }\n", 'content/traits/t/x.md': 'Hi {{ who }}.\n' })
    const processor = pipeline({ root })
    expect(String(await processor.process('<!-- @include t/x -->\n'))).toBe('Hi old.\n')
    writeFiles(root, { 'traitgen.config.ts': "export default { variables: { who: 'new' } }\n" })
    const later = new Date(Date.now() + 10_000)
    utimesSync(path.join(root, 'traitgen.config.ts'), later, later)
    const pages = await Promise.all([processor.process('<!-- @include t/x -->\n'), processor.process('# Two\n\n<!-- @include t/x -->\n')])
    expect(pages.map(String)).toEqual(['Hi new.\n', '# Two\n\nHi new.\n'])
  })
})
