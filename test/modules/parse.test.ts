// Parsing and reading in-process: parse limits, frontmatter places, key checks, link sites, templates, encodings and discovery.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { createSourceFile } from '../../src/model/source.js'
import { parseDocument, type ParsedDoc } from '../../src/parse/document.js'
import { placeOfValue, scalarSource, yamlLimits } from '../../src/parse/frontmatter.js'
import { nearMiss, schemaMessages } from '../../src/parse/keys.js'
import { checkComplexity, markdownLimits, parseMarkdown } from '../../src/parse/markdown.js'
import { collectSites, linkDestination } from '../../src/parse/sites.js'
import { buildTemplate } from '../../src/parse/template.js'
import { buildTrait } from '../../src/parse/trait.js'
import { discover } from '../../src/read/discover.js'
import { firstInvalidUtf8, readSource } from '../../src/read/read-source.js'
import { temporaryProjects } from '../support/project.js'

const project = temporaryProjects()
const source = (text: string, file = 'content/traits/t/x.md') => createSourceFile(file, `/${file}`, text)

function parsed(text: string, file?: string): ParsedDoc {
  const { doc, messages } = parseDocument(source(text, file))
  expect(messages).toEqual([])
  return doc as ParsedDoc
}

describe('parse limits', () => {
  const lists = (count: number) => Array.from({ length: count }, (_, i) => `- item ${i}\n\nText ${i}.\n`).join('\n')

  it(`refuses more than ${markdownLimits.listCount} separate lists at the first list past the limit (the README's limit)`, () => {
    const over = source(lists(markdownLimits.listCount + 1))
    const start = performance.now()
    const result = parseMarkdown(over)
    expect(performance.now() - start).toBeLessThan(1000)
    expect(result.tree).toBeUndefined()
    const line = over.text.split('\n').indexOf(`- item ${markdownLimits.listCount}`) + 1
    expect(result.messages.map((m) => [m.code, m.file, m.line, m.column, m.message])).toEqual([
      [
        'MARKDOWN_TOO_DEEP',
        'content/traits/t/x.md',
        line,
        1,
        `Markdown too deeply nested to parse in bounded time: more than ${markdownLimits.listCount} separate lists; flatten or split this part of the file`,
      ],
    ])
    expect(checkComplexity(source(lists(markdownLimits.listCount)))).toBeUndefined()
  })

  it('counts one list for items separated by blank lines, nested items or continuation lines', () => {
    const oneList = Array.from({ length: markdownLimits.listCount * 2 }, (_, i) => `- item ${i}\n  more ${i}\n  - nested ${i}\n`).join('\n')
    expect(checkComplexity(source(oneList))).toBeUndefined()
  })

  it(`frontmatter over ${yamlLimits.chars} characters is YAML_LIMIT at 1:1, before YAML is parsed`, () => {
    const { doc, messages } = parseDocument(source(`---\nvalue: "${'x'.repeat(yamlLimits.chars)}"\n---\n\nBody.\n`))
    expect(doc?.frontmatter).toBeUndefined()
    expect(messages.map((m) => [m.code, m.line, m.column, m.message])).toEqual([
      ['YAML_LIMIT', 1, 1, `frontmatter is ${yamlLimits.chars + 10} characters, more than ${yamlLimits.chars}; move the text into the body`],
    ])
  })
})

describe('frontmatter places', () => {
  const text = '---\n# the version\n# (semver)\nversion: "1.10"\ntags:\n  - a\n  - b\nbuild: 1.10\nimports:\n  x: [one]\n---\n\nBody.\n'
  const doc = parsed(text)
  const fm = doc.frontmatter

  it('an entry spans the comment lines above its key, up to the next entry', () => {
    const version = fm?.entries[0]
    expect(version?.key).toBe('version')
    expect(text.slice(version?.startOffset, version?.endOffset)).toBe('# the version\n# (semver)\nversion: "1.10"\n')
    expect(text.slice(fm?.entries[3]?.startOffset, fm?.entries[3]?.endOffset)).toBe('imports:\n  x: [one]\n')
  })

  it('places a value down a path; past a scalar it stays at the scalar, a missing item is placed at the key', () => {
    expect(placeOfValue(doc.file, fm, 'tags', [1])).toEqual({ line: 7, column: 5 })
    expect(placeOfValue(doc.file, fm, 'imports', ['x', 0, 'deeper'])).toEqual({ line: 10, column: 7 })
    expect(placeOfValue(doc.file, fm, 'tags', [5])).toEqual({ line: 5, column: 1 })
    expect(placeOfValue(doc.file, fm, 'imports', ['y'])).toEqual({ line: 9, column: 1 })
    expect(placeOfValue(doc.file, fm, 'nope')).toEqual({ line: 1, column: 1 })
  })

  it('an explicit key without a value (`? key`) is an entry whose value is null', () => {
    const doc = parsed('---\n? reviewed\nname: x\n---\n\nBody.\n')
    expect(doc.frontmatter?.data).toEqual({ reviewed: null, name: 'x' })
    expect(doc.frontmatter?.entries.map((e) => [e.key, e.value])).toEqual([
      ['reviewed', null],
      ['name', expect.objectContaining({ value: 'x' })],
    ])
  })

  it('scalarSource keeps a version as written (quoted or plain), and is undefined for a list', () => {
    expect([scalarSource(fm, 'version'), scalarSource(fm, 'build'), scalarSource(fm, 'tags'), scalarSource(undefined, 'version')]).toEqual(['1.10', '1.10', undefined, undefined])
  })
})

describe('frontmatter keys', () => {
  it('nearMiss: exact keys are no miss; a case change or a small typo is; a far one is not', () => {
    const known = ['name', 'description', 'imports']
    expect([nearMiss('name', known), nearMiss('DESCRIPTION', known), nearMiss('descriptoin', known), nearMiss('nmae', known), nearMiss('importz', known)]).toEqual([
      undefined,
      'description',
      'description',
      undefined,
      'imports',
    ])
  })

  it('schemaMessages places a whole-frontmatter issue at 1:1', () => {
    const error = z.strictObject({}).safeParse(5).error as z.ZodError
    const messages = schemaMessages(source(''), undefined, error)
    expect(messages.map((m) => [m.code, m.line, m.column, m.context])).toEqual([['INVALID_FRONTMATTER', 1, 1, { key: 'frontmatter' }]])
    expect(messages[0]?.message).toMatch(/^"frontmatter": /)
  })

  it('a bad variable name in a trait is placed at the name, with the rule it breaks (not "Invalid key in record")', () => {
    const trait = buildTrait('t/x', parsed('---\nvariables:\n  ok: 1\n  "has space": 2\n---\n\nBody.\n'), { strict: false })
    expect(trait.messages.map((m) => [m.code, m.line, m.column, m.message])).toEqual([['INVALID_FRONTMATTER', 4, 3, '"variables.has space": variable names are letters, digits, _ and -']])
  })

  it('a trait whose dependencies is one string: the ref is placed at that string', () => {
    const doc = parsed('---\ndependencies: other/trait\nconflicts: [a, b]\n---\n\nBody.\n')
    const trait = buildTrait('t/x', doc, { strict: false })
    expect(trait.meta.dependencies).toEqual([{ raw: 'other/trait', place: { line: 2, column: 15 } }])
    expect(trait.meta.conflicts.map((r) => r.place)).toEqual([
      { line: 3, column: 13 },
      { line: 3, column: 16 },
    ])
  })
})

describe('templates', () => {
  it('@body with an argument, @slot without a group, and bad variables: each its own message at its place', () => {
    const text = '---\nvariables:\n  bad name: 1\n---\n\n<!-- @body tools -->\n\n<!-- @slot -->\n\n<!-- @body -->\n'
    const template = buildTemplate('house', parsed(text, 'content/templates/house.md'), { strict: false })
    expect(template.ok).toBe(false)
    expect(template.messages.map((m) => [m.code, m.line, m.column, m.message])).toEqual([
      ['INVALID_FRONTMATTER', 3, 3, '"variables.bad name": variable names are letters, digits, _ and -'],
      ['TEMPLATE_INVALID', 6, 1, '<!-- @body --> takes no argument ("tools"); write <!-- @slot tools --> for a group'],
      ['TEMPLATE_INVALID', 8, 1, '<!-- @slot --> needs a group name: <!-- @slot <group> -->'],
    ])
    expect(template.body).toBe(2)
    expect(template.meta).toEqual({ description: '', variables: {} })
  })
})

describe('link and heading sites', () => {
  const firstLink = (text: string) => {
    const doc = parsed(text)
    return doc.sites.flatMap((s) => s.links).map((l) => [text.slice(l.start, l.end), l.url])
  }

  it('finds the destination in angle brackets, after escaped brackets in the label, with balanced or escaped parentheses', () => {
    expect(firstLink('[a](<dest with space.md>)\n')).toEqual([['dest with space.md', 'dest with space.md']])
    expect(firstLink('[a\\]b [c]](x.md "title")\n')).toEqual([['x.md', 'x.md']])
    expect(firstLink('[a](x(y)z.md)\n')).toEqual([['x(y)z.md', 'x(y)z.md']])
    expect(firstLink('[a](x\\)y.md)\n')).toEqual([['x\\)y.md', 'x)y.md']])
    expect(firstLink('[ref]: <defs/a b.md>\n\nSee [ref].\n')).toEqual([['defs/a b.md', 'defs/a b.md']])
  })

  it('has no destination for an empty one, a reference link, or an autolink', () => {
    expect(firstLink('[a]()\n')).toEqual([])
    expect(firstLink('[a][ref]\n\n[ref]: x.md\n')).toEqual([['x.md', 'x.md']])
    expect(firstLink('<https://example.com>\n')).toEqual([])
    const doc = parsed('[a](x.md)\n')
    const link = (doc.blocks[0] as { children: Array<{ type: string }> }).children[0]
    expect(linkDestination('[a]:x.md', link as never)).toBeUndefined()
  })

  it('an empty ATX heading has empty content at its end; a setext heading is not ATX', () => {
    const text = '#\n\nTitle\n=====\n'
    const doc = parsed(text)
    const [empty, setext] = doc.blocks.map((b) => collectSites(text, b).headings[0])
    expect(empty).toEqual({ start: 0, end: 1, depth: 1, atx: true, contentStart: 1, contentEnd: 1 })
    expect(setext).toEqual({ start: 3, end: 14, depth: 1, atx: false, contentStart: 3, contentEnd: 8 })
  })
})

describe('reading files', () => {
  const entry = (root: string, rel: string) => ({ id: 'x', abs: path.join(root, rel), path: rel, outside: false, stamp: '' })

  it('checks four-byte UTF-8 sequences: a valid emoji passes, past U+10FFFF or cut short is placed at its first byte', () => {
    const emoji = Buffer.from('ok 😀\n', 'utf8')
    expect(firstInvalidUtf8(emoji)).toBe(emoji.length)
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xf4, 0x90, 0x80, 0x80]))).toBe(1)
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x0a, 0x62, 0xf0, 0x9f, 0x98]))).toBe(3)
    const root = project({ 'content/traits/t/x.md': Buffer.from([0x61, 0x0a, 0x62, 0x63, 0xf0, 0x9f, 0x98]) })
    const read = readSource(entry(root, 'content/traits/t/x.md'), 1000)
    expect(read.messages.map((m) => [m.code, m.line, m.column])).toEqual([['INVALID_ENCODING', 2, 3]])
  })

  it('UTF-16 without a byte-order mark, little or big endian: INVALID_ENCODING at 1:1', () => {
    const root = project({ 'le.md': Buffer.from('Hello, traits\n', 'utf16le'), 'be.md': Buffer.from('Hello, traits\n', 'utf16le').swap16() })
    for (const name of ['le.md', 'be.md']) {
      const read = readSource(entry(root, name), 1000)
      expect(read.file).toBeUndefined()
      expect(read.messages.map((m) => [m.code, m.line, m.column])).toEqual([['INVALID_ENCODING', 1, 1]])
      expect(read.messages[0]?.message).toContain('looks like UTF-16 without a byte-order mark')
    }
  })

  it('a file that vanished after discovery: UNREADABLE_FILE naming the errno', () => {
    const root = project({})
    expect(readSource(entry(root, 'gone.md'), 1000).messages.map((m) => [m.code, m.message])).toEqual([['UNREADABLE_FILE', 'cannot read gone.md: ENOENT']])
  })

  it('discovery: Markdown files only, each folder once even when a later link inside the content leads to it again', () => {
    const root = project({ 'content/traits/t/a.md': 'A\n', 'content/traits/t/notes.txt': 'not a trait\n', 'content/traits/_draft.md': 'ignored\n' })
    symlinkSync(path.join(root, 'content/traits/t'), path.join(root, 'content/traits/z-again'))
    mkdirSync(path.join(root, 'content/agents'))
    writeFileSync(path.join(root, 'content/agents/a.md'), 'x\n')
    const found = discover(root, { traits: path.join(root, 'content/traits'), agents: path.join(root, 'content/agents'), templates: path.join(root, 'content/templates') })
    expect([...found.traits.keys()]).toEqual(['t/a'])
    expect([...found.agents.keys()]).toEqual(['a'])
    expect(found.templates.size).toBe(0)
    expect(found.messages).toEqual([])
  })
})
