// remarkTraitgen in a unified pipeline, as a docs site runs it, and its messages in a comparable form.
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { remarkTraitgen, type RemarkTraitgenOptions } from '../../src/index.js'

/** Parse, remarkTraitgen with `options`, stringify. */
export const pipeline = (options: RemarkTraitgenOptions) => unified().use(remarkParse).use(remarkTraitgen, options).use(remarkStringify)

/** A page's messages as [line, column, rule, reason]. */
export const messagesOf = (file: VFile) => file.messages.map((m) => [m.line, m.column, m.ruleId, m.reason])
