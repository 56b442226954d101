// remarkTraitgen in-process on small projects: a config file that appears between pages, one inline config shared by pages, a page without a path.
import { describe, expect, it } from 'vitest'
import type { UserConfig } from '../../src/index.js'
import { temporaryProjects, writeFiles } from '../support/project.js'
import { messagesOf, pipeline } from '../support/remark.js'

const project = temporaryProjects()

describe('remarkTraitgen projects', () => {
  it('a config file that appears after the first page is used from the next page on', async () => {
    const root = project({ 'content/traits/t/hello.md': 'Hello {{ who }}.\n' })
    const processor = pipeline({ root })
    const page = '# Page\n\n<!-- @include t/hello -->\n'
    const before = await processor.process(page)
    expect(messagesOf(before).map((m) => m.slice(0, 3))).toEqual([[3, 1, 'UNDEFINED_VARIABLE']])
    writeFiles(root, { 'traitgen.config.ts': "export default { variables: { who: 'the new config' } }\n" })
    const after = await processor.process(page)
    expect(messagesOf(after)).toEqual([])
    expect(String(after)).toBe('# Page\n\nHello the new config.\n')
  })

  it('pages processed with the same inline config share its project, and still see edited traits', async () => {
    const root = project({ 'content/traits/t/hello.md': 'Hello {{ who }}.\n' })
    const config: UserConfig = { variables: { who: 'inline' } }
    const processor = pipeline({ root, config })
    expect(String(await processor.process('<!-- @include t/hello -->\n'))).toBe('Hello inline.\n')
    writeFiles(root, { 'content/traits/t/hello.md': 'Goodbye {{ who }}.\n' })
    expect(String(await pipeline({ root, config }).process('<!-- @include t/hello -->\n'))).toBe('Goodbye inline.\n')
  })

  it('a page without a path is placed at index.md in the root: relative links in traits are rewritten for it', async () => {
    const root = project({ 'content/traits/t/links.md': 'See the [guide](../../../docs/guide.md).\n' })
    expect(String(await pipeline({ root }).process('<!-- @include t/links -->\n'))).toBe('See the [guide](docs/guide.md).\n')
  })
})
