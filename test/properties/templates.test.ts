// Templates (spec §14) only rearrange: a template with a slot per group gives the same lines as the agent
// without a template (its groups appended as sections), in another order.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createTraitgen } from '../../src/index.js'
import { makeProject, removeProject } from '../support/project.js'

const roots: string[] = []
afterAll(() => roots.forEach(removeProject))

const word = fc.constantFrom('alpha', 'beta', '*emph*', '`code`', '**strong**', 'a_b', '[link](https://example.com)')
const sentence = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '))
const block = fc.oneof(
  sentence,
  fc.array(sentence, { minLength: 1, maxLength: 3 }).map((items) => items.map((i) => `- ${i}`).join('\n')),
  sentence.map((s) => `\`\`\`\n${s}\n\`\`\``),
  sentence.map((s) => `> ${s}`),
  fc.tuple(fc.constantFrom('#', '##', '###'), fc.constantFrom('Rules', 'Steps', 'Notes')).map(([h, t]) => `${h} ${t}`),
)
const traitBody = fc.array(block, { minLength: 1, maxLength: 4 }).map((blocks) => `${blocks.join('\n\n')}\n`)
const agentBody = fc.array(fc.oneof(sentence, sentence.map((s) => `- ${s}`)), { minLength: 1, maxLength: 3 }).map((blocks) => `${blocks.join('\n\n')}\n`)

const layout = fc
  .tuple(fc.array(fc.array(traitBody, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), agentBody)
  .chain(([groups, body]) => fc.tuple(fc.constant(groups), fc.constant(body), fc.shuffledSubarray(groups.map((_, i) => i), { minLength: groups.length })))

/** Lines that carry content: blank lines and the `<!---->` separators traitgen may add between pieces are left out. */
function contentLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && line !== '<!---->')
    .sort()
}

describe('templates', () => {
  it('a template with a slot per group gives the same lines as no template, reordered', async () => {
    await fc.assert(
      fc.asyncProperty(layout, async ([groups, body, order]) => {
        const files: Record<string, string> = {}
        const imports: string[] = []
        groups.forEach((traits, g) => {
          imports.push(`  g${g}: [${traits.map((_, t) => `g${g}/t${t}`).join(', ')}]`)
          traits.forEach((text, t) => {
            files[`content/traits/g${g}/t${t}.md`] = text
          })
        })
        const front = `description: A property agent.\nimports:\n${imports.join('\n')}`
        files['content/agents/plain.md'] = `---\n${front}\n---\n\n${body}`
        files['content/agents/laid-out.md'] = `---\n${front}\ntemplate: layout\n---\n\n${body}`
        files['content/templates/layout.md'] = `${['<!-- @body -->', ...order.flatMap((g) => [`## G${g}`, `<!-- @slot g${g} -->`])].join('\n\n')}\n`
        const root = makeProject(files)
        roots.push(root)
        const tg = createTraitgen({ root })
        const plain = await tg.renderAgent('plain')
        const laidOut = await tg.renderAgent('laid-out')
        await tg.close()
        const withoutName = (text: string) => text.replace(/^name: .*$/m, '')
        expect(contentLines(withoutName(laidOut))).toEqual(contentLines(withoutName(plain)))
        // The template decides the order of the sections.
        const headings = laidOut.split('\n').filter((l) => /^## G\d$/.test(l))
        expect(headings).toEqual(order.map((g) => `## G${g}`))
      }),
      { numRuns: 25 },
    )
  })
})
