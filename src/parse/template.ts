// A template (spec §14): a shared agent layout whose body holds `@body` and `@slot <group>` markers.
import * as z from 'zod'
import { createMessage, type Message } from '../model/messages.js'
import { pointAt } from '../model/source.js'
import type { ParsedDoc } from './document.js'
import { checkUnknownKeys, schemaMessages } from './keys.js'
import type { VariableValue } from './trait.js'

/** A template's frontmatter. */
export interface TemplateMeta {
  /** `description`; default empty. */
  description: string
  /** Placeholder defaults, lowest priority (below the agent's frontmatter scalars). */
  variables: Record<string, VariableValue>
}

/** A loaded template. */
export interface Template {
  /** Name: the path under the templates folder without `.md` (`team/house`). */
  name: string
  /** The parsed file. */
  doc: ParsedDoc
  /** Its frontmatter, validated. */
  meta: TemplateMeta
  /** Index (in `doc.blocks`) of the `@body` marker. */
  body: number
  /** Group → index of its `@slot` marker, in template order. */
  slots: Map<string, number>
  /** Problems in the template file. */
  messages: Message[]
  /** False when it has errors. */
  ok: boolean
}

/** Keys traitgen reads in a template's frontmatter. */
export const templateKeys = ['description', 'variables'] as const

const templateSchema = z.looseObject({
  description: z.string().optional(),
  variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'variable names are letters, digits, _ and -'), z.union([z.string(), z.number(), z.boolean()])).optional(),
})

/** A marker comment on its own: `<!-- @body -->`, `<!-- @slot tools -->`. */
const aloneMarker = /^<!--[ \t]*@(body|slot)(?:[ \t]+([^\s>]*))?[ \t]*-->$/
/** A marker anywhere in a block's text. */
const anyMarker = /<!--[ \t]*@(?:body|slot)\b/

/** Build a Template from a parsed document; problems are TEMPLATE_INVALID or frontmatter messages. */
export function buildTemplate(name: string, doc: ParsedDoc, options: { strict: boolean }): Template {
  const { file, frontmatter } = doc
  const messages: Message[] = checkUnknownKeys(file, frontmatter, templateKeys, options.strict)
  const parsed = templateSchema.safeParse(frontmatter?.data ?? {})
  if (!parsed.success) messages.push(...schemaMessages(file, frontmatter, parsed.error))
  const data = parsed.success ? parsed.data : {}
  let body = -1
  const slots = new Map<string, number>()
  const invalid = (text: string, offset: number | undefined) =>
    messages.push(createMessage('error', 'TEMPLATE_INVALID', text, file.path, offset === undefined ? undefined : pointAt(file, offset)))
  doc.blocks.forEach((block, index) => {
    if (block.type === 'code') return
    const start = block.position?.start.offset ?? 0
    const end = block.position?.end.offset ?? start
    const text = file.text.slice(start, end)
    if (!anyMarker.test(text)) return
    const alone = block.type === 'html' ? aloneMarker.exec(text.trim()) : null
    if (!alone) {
      const at = start + text.search(anyMarker)
      invalid('a template marker must be an HTML comment alone in a top-level block (blank lines around it): <!-- @body --> or <!-- @slot <group> -->', at)
      return
    }
    const [, kind, group] = alone
    if (kind === 'body') {
      if (group) invalid(`<!-- @body --> takes no argument ("${group}"); write <!-- @slot ${group} --> for a group`, start)
      else if (body >= 0) invalid('<!-- @body --> appears twice; a template has exactly one', start)
      else body = index
      return
    }
    if (!group) invalid('<!-- @slot --> needs a group name: <!-- @slot <group> -->', start)
    else if (slots.has(group)) invalid(`<!-- @slot ${group} --> appears twice; a group has at most one slot`, start)
    else slots.set(group, index)
  })
  if (body < 0) invalid("the template has no <!-- @body --> marker; add one where the agent's own body goes", undefined)
  const meta: TemplateMeta = { description: data.description ?? '', variables: { ...(data.variables ?? {}) } }
  return { name, doc, meta, body, slots, messages, ok: !messages.some((m) => m.severity === 'error') }
}
