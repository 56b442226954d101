// remarkTraitgen in process: problems that come from plugins, from the expansion itself, and trees made by
// other plugins (no positions); each message checked for its rule, place and text, and the page for its Markdown.
import path from 'node:path'
import type { Root } from 'mdast'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { createMessage, remarkTraitgen, type RemarkTraitgenOptions, type TraitgenPlugin } from '../../src/index.js'
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
