// A trait: its frontmatter read by the zod schema with defaults from its path, and the content it exports.
import path from 'node:path'
import semver from 'semver'
import * as z from 'zod'
import { createMessage, type Message } from '../model/messages.js'
import type { Point } from '../model/source.js'
import { placeOfKey, placeOfValue, scalarSource } from './frontmatter.js'
import { checkUnknownKeys, schemaMessages } from './keys.js'
import { slugOf, sectionRange, type ParsedDoc } from './document.js'
import { reservedNames } from './agent.js'

/** A ref as written in a file, with its place. */
export interface RefEntry {
  /** The ref as written (`id`, `name@^1`, `group/id#section`). */
  raw: string
  /** Where it is written. */
  place: Point
}

/** A variable value. */
export type VariableValue = string | number | boolean

/** A trait's metadata, defaults filled in. */
export interface TraitMeta {
  /** `name`; default: the file name without `.md`. */
  name: string
  /** `category`; default: the first folder under traits/, else `general`. */
  category: string
  /** `version`, normalised to semver; default `0.0.0`. */
  version: string
  /** `description`; default: the first paragraph of the body. */
  description: string
  /** `dependencies`: traits placed before this one. Default none. */
  dependencies: RefEntry[]
  /** `conflicts`: traits that may not share an agent with it. Default none. */
  conflicts: RefEntry[]
  /** `variables`: defaults of its placeholders. Default `{}`. */
  variables: Record<string, VariableValue>
  /** `export`: the heading whose section is spliced. Default: the whole body. */
  export: string | undefined
  /** `estimated_size`, in lines. Default undefined. */
  estimatedSize: number | undefined
  /** `performance_impact` (informational). Default `{}`. */
  performanceImpact: Record<string, number>
  /** `tags` (informational). Default none. */
  tags: string[]
  /** Keys traitgen does not know, for plugins. */
  extra: Record<string, unknown>
}

/** A loaded trait. */
export interface Trait {
  /** Trait id: its path under the traits folder, without `.md`. */
  id: string
  /** The parsed file. */
  doc: ParsedDoc
  /** Its frontmatter, validated, defaults filled in. */
  meta: TraitMeta
  /** Block range [from, to) of what a whole-trait ref splices (the export, or the whole body). */
  content: [number, number]
  /** Errors in the trait itself; a trait with errors fails every agent that uses it. */
  messages: Message[]
  /** False when it has errors. */
  ok: boolean
}

/** Keys traitgen reads in a trait's frontmatter. */
export const traitKeys = [
  'name',
  'category',
  'version',
  'description',
  'dependencies',
  'conflicts',
  'variables',
  'export',
  'estimated_size',
  'performance_impact',
  'tags',
] as const

const refList = z.union([z.string().min(1).transform((s) => [s]), z.array(z.string().min(1))])
const variableMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'variable names are letters, digits, _ and -'), z.union([z.string(), z.number(), z.boolean()]))

const traitSchema = z.looseObject({
  name: z.string().min(1).optional(),
  category: z.string().min(1).optional(),
  version: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
  dependencies: refList.optional(),
  conflicts: refList.optional(),
  variables: variableMap.optional(),
  export: z.string().min(1).optional(),
  estimated_size: z.number().int().nonnegative().optional(),
  performance_impact: z.record(z.string(), z.number()).optional(),
  tags: z.array(z.string()).optional(),
})

/** Read a loose version (`1.0`, `2`, `1.10`) as semver, or undefined if it is not one. */
export function readVersion(source: string): string | undefined {
  const trimmed = source.trim().replace(/^v/, '')
  if (semver.valid(trimmed)) return trimmed
  const loose = /^(\d+)(?:\.(\d+))?$/.exec(trimmed)
  if (loose) return `${Number(loose[1])}.${Number(loose[2] ?? 0)}.0`
  return undefined
}

/** Build a Trait from a parsed document. */
export function buildTrait(id: string, doc: ParsedDoc, options: { strict: boolean }): Trait {
  const { file, frontmatter } = doc
  const messages: Message[] = checkUnknownKeys(file, frontmatter, traitKeys, options.strict)
  const parsed = traitSchema.safeParse(frontmatter?.data ?? {})
  const data = parsed.success ? parsed.data : {}
  if (!parsed.success) messages.push(...schemaMessages(file, frontmatter, parsed.error))
  messages.push(...reservedNames(doc, ['variables']))

  let version = '0.0.0'
  if (data.version !== undefined) {
    const source = scalarSource(frontmatter, 'version') ?? String(data.version)
    const read = readVersion(source)
    if (read) version = read
    else {
      messages.push(
        createMessage('error', 'INVALID_FRONTMATTER', `version "${source}" is not a semantic version; write it like 1.2.0`, file.path, placeOfKey(file, frontmatter, 'version')),
      )
    }
  }
  const refs = (key: 'dependencies' | 'conflicts'): RefEntry[] =>
    (data[key] ?? []).map((raw, index) => ({
      raw,
      place: typeof frontmatter?.data[key] === 'string' ? placeOfValue(file, frontmatter, key) : placeOfValue(file, frontmatter, key, [index]),
    }))

  let content: [number, number] = [0, doc.blocks.length]
  if (data.export !== undefined) {
    const wanted = data.export
    const heading = doc.headings.find((h) => h.text === wanted || h.slug === wanted || h.slug === slugOf(wanted))
    if (!heading) {
      messages.push(
        createMessage(
          'error',
          'SECTION_NOT_FOUND',
          `export "${wanted}" names no heading of this trait; headings: ${doc.headings.map((h) => h.slug).join(', ') || '(none)'}`,
          file.path,
          placeOfValue(file, frontmatter, 'export'),
          { slugs: doc.headings.map((h) => h.slug) },
        ),
      )
    } else {
      const [from, to] = sectionRange(doc, heading)
      content = [from + 1, to]
    }
  }
  if (!hasContent(doc, content)) {
    messages.push(
      createMessage(
        'error',
        'EMPTY_TRAIT',
        data.export !== undefined ? `the exported section "${data.export}" is empty; write its content` : 'trait has no content; write its body below the frontmatter',
        file.path,
        data.export !== undefined ? placeOfKey(file, frontmatter, 'export') : { line: 1, column: 1 },
      ),
    )
  }
  const extra: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(frontmatter?.data ?? {})) {
    if (!(traitKeys as readonly string[]).includes(key)) Object.defineProperty(extra, key, { value, enumerable: true, writable: true, configurable: true })
  }
  const folder = id.includes('/') ? (id.split('/')[0] as string) : 'general'
  const meta: TraitMeta = {
    name: data.name ?? path.posix.basename(id),
    category: data.category ?? folder,
    version,
    description: data.description ?? firstParagraph(doc, content),
    dependencies: refs('dependencies'),
    conflicts: refs('conflicts'),
    variables: { ...(data.variables ?? {}) },
    export: data.export,
    estimatedSize: data.estimated_size,
    performanceImpact: { ...(data.performance_impact ?? {}) },
    tags: data.tags ?? [],
    extra,
  }
  return { id, doc, meta, content, messages, ok: !messages.some((m) => m.severity === 'error') }
}

function hasContent(doc: ParsedDoc, [from, to]: [number, number]): boolean {
  for (let i = from; i < to; i++) {
    const block = doc.blocks[i]
    if (block && !(block.type === 'html' && /^<!--[\s\S]*-->$/.test(block.value.trim()) && !doc.sites[i]?.includes.length)) return true
  }
  return false
}

function firstParagraph(doc: ParsedDoc, [from, to]: [number, number]): string {
  for (let i = from; i < to; i++) {
    const block = doc.blocks[i]
    if (block?.type === 'paragraph') {
      const start = block.position?.start.offset ?? 0
      const end = block.position?.end.offset ?? 0
      return doc.file.text.slice(start, end).replace(/\s*\n\s*/g, ' ')
    }
  }
  return ''
}
