// Properties of splicing and rendering (spec §5 Fidelity) over random Markdown: unchanged lines survive
// byte for byte, neighbours parse as they did alone, output is deterministic, LF, one final newline.
import fc from 'fast-check'
import type { Root } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { afterAll, describe, expect, it } from 'vitest'
import { createTraitgen } from '../../src/index.js'
import { makeProject, removeProject } from '../support/project.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) removeProject(root)
})

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)

const word = fc.constantFrom('alpha', 'beta', '*emph*', '`code`', '\\*escaped\\*', '[link](https://example.com)', '**strong**', 'a_b', 'x  ')
const sentence = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' ').trimEnd())
const block = fc.oneof(
  sentence,
  fc.tuple(sentence, sentence).map(([a, b]) => `${a}\n${b}`),
  fc.tuple(fc.constantFrom('-', '*', '+', '1.'), fc.array(sentence, { minLength: 1, maxLength: 3 })).map(([m, items]) => items.map((i) => `${m} ${i}`).join('\n')),
  fc.constant('- outer\n  - inner\n    - deeper'),
  fc.constant('| a |  b |\n|---|:--:|\n| 1 |  2 |'),
  fc.tuple(fc.constantFrom('```', '~~~', '````'), sentence).map(([f, s]) => `${f}js\n${s}\n${f}`),
  sentence.map((s) => `    ${s}`),
  sentence.map((s) => `> ${s}`),
  sentence.map((s) => `> ${s}\nlazy continuation`),
  fc.constant('***'),
  fc.constant('<!-- a comment -->'),
  fc.tuple(fc.constantFrom('#', '##', '###', '####'), sentence).map(([h, s]) => `${h} ${s.replace(/[`*\\[\]_]/g, '')}`),
  sentence.map((s) => `${s.replace(/[`*\\[\]_]/g, '') || 'Title'}\n-----`),
)
const body = fc.array(block, { minLength: 1, maxLength: 6 })
/** A file may end in an unclosed fence or a lazy paragraph: splicing must not let them swallow what follows. */
const ending = fc.constantFrom('', '```sh\nunclosed fence', '~~~~\nunclosed tilde fence', '> quote\nlazy end', '- trailing list', '1. trailing ordered', '<!-- unclosed comment', '<pre>\nunclosed pre', '    trailing indented code', '[^1]: a footnote')

function parse(text: string): Root {
  return parser.parse(text)
}

/** Top-level block types, headings and `<!---->` separators left out (they are what splicing may add or change). */
function blockTypes(tree: Root): string[] {
  return tree.children
    .filter((n) => n.type !== 'yaml' && n.type !== 'heading' && !(n.type === 'html' && n.value === '<!---->'))
    .map((n) => (n.type === 'list' ? `list:${n.ordered ? 'o' : 'u'}` : n.type))
}

function unchangedLines(text: string): string[] {
  const lines = text.split('\n')
  return lines.filter((line, i) => line.trim() !== '' && !/^ {0,3}#/.test(line) && !/^ {0,3}(-+|=+)\s*$/.test(lines[i + 1] ?? '') && !/^ {0,3}(-+|=+)\s*$/.test(line))
}

function countLines(lines: string[]): Map<string, number> {
  const map = new Map<string, number>()
  for (const l of lines) map.set(l, (map.get(l) ?? 0) + 1)
  return map
}

describe('splice properties', () => {
  it('keeps every unchanged line, never changes how neighbours parse, and is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(body, ending), { minLength: 1, maxLength: 3 }),
        body,
        body,
        fc.boolean(),
        async (traits, before, after, crlf) => {
          // A trait of HTML comments alone is EMPTY_TRAIT, so such a trait gets one sentence.
          const traitTexts = traits.map(([blocks, end], i) => {
            const lead = blocks.every((b) => b.startsWith('<!--')) ? [`Trait ${i} text.`] : []
            return `${[...lead, ...blocks, end].filter(Boolean).join('\n\n')}\n`
          })
          const beforeText = before.filter((b) => !b.startsWith('#') && !/\n-----$/.test(b)).join('\n\n')
          const afterText = after.filter((b) => !b.startsWith('#') && !/\n-----$/.test(b)).join('\n\n')
          const agentBody = `${beforeText}\n\n## Group\n\nIn the group.\n\n# After\n\n${afterText}\n`
          const imports = traitTexts.map((_, i) => `t${i}`).join(', ')
          const eol = (s: string) => (crlf ? `\uFEFF${s.replace(/\n/g, '\r\n')}` : s)
          const files: Record<string, string> = { 'content/agents/a.md': eol(`---\ndescription: d\nimports:\n  group: [${imports}]\n---\n\n${agentBody}`) }
          traitTexts.forEach((t, i) => {
            files[`content/traits/group/t${i}.md`] = eol(t)
          })
          const root = makeProject(files)
          roots.push(root)
          const output = await createTraitgen({ root }).renderAgent('a')
          expect(await createTraitgen({ root }).renderAgent('a')).toBe(output)
          expect(output.endsWith('\n') && !output.endsWith('\n\n')).toBe(true)
          expect(output).not.toContain('\r')

          const produced = countLines(output.split('\n'))
          for (const source of [agentBody, ...traitTexts]) {
            for (const [line, count] of countLines(unchangedLines(source))) {
              expect(produced.get(line) ?? 0, `line ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(count)
            }
          }

          // The output parses into the agent's blocks with each trait's blocks (as parsed alone) at the end of ## Group.
          const agentTree = parse(agentBody)
          const splitAt = agentTree.children.findIndex((n) => n.type === 'heading' && n.depth === 1)
          const expected = [
            ...blockTypes({ type: 'root', children: agentTree.children.slice(0, splitAt) }),
            ...traitTexts.flatMap((t) => blockTypes(parse(t))),
            ...blockTypes({ type: 'root', children: agentTree.children.slice(splitAt) }),
          ]
          expect(blockTypes(parse(output))).toEqual(expected)
        },
      ),
      { seed: 424242, numRuns: 150 },
    )
  })
})
