// An agent: frontmatter read by the zod schema (description required), imports by group, pass-through keys.
import path from 'node:path'
import * as z from 'zod'
import { createMessage, type Message } from '../model/messages.js'
import { placeOfValue, type FrontmatterEntry } from './frontmatter.js'
import { checkUnknownKeys, schemaMessages } from './keys.js'
import type { ParsedDoc } from './document.js'
import type { RefEntry, VariableValue } from './trait.js'

/** One import group: its name and refs in file order. */
export interface ImportGroup {
  /** The group's name (a key of `imports`). */
  group: string
  /** Its refs, in file order. */
  refs: RefEntry[]
}

/** An agent's metadata. */
export interface AgentMeta {
  /** `name`; default: the file name without `.md`. */
  name: string
  /** True when `name` came from the file name. */
  nameDefaulted: boolean
  /** `description` (required). */
  description: string
  /** `imports`: group → refs, in file order. Default none. */
  imports: ImportGroup[]
  /** `variables`: values for placeholders, over the config's. Default `{}`. */
  variables: Record<string, VariableValue>
  /** `targets`: emit only for these. Default: every target. */
  targets: string[] | undefined
  /** `template`: the layout it fills. Default: the config's, else none. */
  template: string | undefined
  /** Frontmatter entries passed through to the output (all but imports, variables, targets, template). */
  passThrough: FrontmatterEntry[]
}

/** A loaded agent. */
export interface Agent {
  /** Agent id: its path under the agents folder, without `.md`. */
  id: string
  /** The parsed file. */
  doc: ParsedDoc
  /** Its frontmatter, validated, defaults filled in. */
  meta: AgentMeta
  /** Errors in the agent file itself. */
  messages: Message[]
  /** False when it has errors. */
  ok: boolean
}

/** Keys traitgen reads in an agent's frontmatter (others pass through). */
export const agentKeys = ['name', 'description', 'imports', 'variables', 'targets', 'template'] as const
const consumedKeys = new Set(['imports', 'variables', 'targets', 'template'])

const refList = z.union([z.string().min(1).transform((s) => [s]), z.array(z.string().min(1))])

const agentSchema = z.looseObject({
  name: z.string().min(1).optional(),
  description: z.string().trim().min(1, 'description must not be empty'),
  imports: z.record(z.string().min(1), z.union([refList, z.null().transform(() => [] as string[])])).optional(),
  variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  targets: z.array(z.string().min(1)).optional(),
  template: z.string().min(1).optional(),
})

/** Build an Agent from a parsed document. */
export function buildAgent(id: string, doc: ParsedDoc): Agent {
  const { file, frontmatter } = doc
  const messages: Message[] = checkUnknownKeys(file, frontmatter, agentKeys, false)
  const parsed = agentSchema.safeParse(frontmatter?.data ?? {})
  if (!parsed.success) messages.push(...schemaMessages(file, frontmatter, parsed.error))
  const data = parsed.success ? parsed.data : { description: '' }
  messages.push(...reservedNames(doc, ['variables', 'imports']))
  const imports: ImportGroup[] = Object.entries(data.imports ?? {}).map(([group, refs]) => ({
    group,
    refs: refs.map((raw, index) => ({
      raw,
      place: Array.isArray(frontmatter?.data.imports && (frontmatter.data.imports as Record<string, unknown>)[group])
        ? placeOfValue(file, frontmatter, 'imports', [group, index])
        : placeOfValue(file, frontmatter, 'imports', [group]),
    })),
  }))
  const meta: AgentMeta = {
    name: data.name ?? path.posix.basename(id),
    nameDefaulted: data.name === undefined,
    description: data.description,
    imports,
    variables: { ...(data.variables ?? {}) },
    targets: data.targets,
    template: data.template,
    passThrough: (frontmatter?.entries ?? []).filter((e) => !consumedKeys.has(e.key)),
  }
  return { id, doc, meta, messages, ok: !messages.some((m) => m.severity === 'error') }
}

/**
 * `__proto__` as a variable or group name: zod's records drop that key, so it would vanish silently;
 * it is reported instead (and never reaches any object's prototype).
 */
export function reservedNames(doc: ParsedDoc, keys: readonly string[]): Message[] {
  const out: Message[] = []
  const data = doc.frontmatter?.data ?? {}
  for (const key of keys) {
    const value = data[key]
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, '__proto__')) continue
    const what = key === 'imports' ? 'an import group' : 'a variable'
    out.push(
      createMessage('error', 'INVALID_FRONTMATTER', `${key}: "__proto__" cannot name ${what}; rename it`, doc.file.path, placeOfValue(doc.file, doc.frontmatter, key, ['__proto__'])),
    )
  }
  return out
}
