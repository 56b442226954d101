// Resolving one ref to a trait (and section): ids, group- or folder-prefixed short names, names, versions.
import { distance } from 'fastest-levenshtein'
import path from 'node:path'
import semver from 'semver'
import { createMessage, type Message } from '../model/messages.js'
import type { SectionHeading } from '../parse/document.js'
import type { RefEntry, Trait } from '../parse/trait.js'
import type { Template } from '../parse/template.js'
import { parseRef } from './ref.js'

/** What the resolver needs to know about the project's traits. */
export interface TraitCatalog {
  /** Every trait id found on disk (loaded or not). */
  ids(): readonly string[]
  /** The trait with this id, or undefined when it does not exist or failed to load. */
  get(id: string): Trait | undefined
  /** True when a file with this id exists (even if it failed to load). */
  has(id: string): boolean
  /** Ids whose `name` or file name equals `name`. */
  byName(name: string): readonly string[]
  /** A message explaining why an existing id cannot be used (a link out of the content folders), if any. */
  unusable(id: string): string | undefined
  /** Template names found on disk (loaded or not). Default: none. */
  templateNames?(): string[]
  /** The template with this name, or undefined when it does not exist or failed to load. */
  template?(name: string): Template | undefined
}

/** A resolved ref. */
export interface Resolution {
  /** The trait the ref names. */
  trait: Trait
  /** The selected section heading, when the ref had `#slug`. */
  section: SectionHeading | undefined
  /** `id` or `id#slug`: what "placed once" is keyed by. */
  key: string
}

/** The outcome of resolving a ref: a resolution, or messages (none when the trait exists but is broken). */
export interface LookupResult {
  resolution: Resolution | undefined
  messages: Message[]
  /** Ids and names the lookup depended on (for incremental rebuilds). */
  touched: string[]
}

/** Resolve `entry` (written in `file`); `prefix` is the group (imports) or the trait's own folder. */
export function lookupRef(catalog: TraitCatalog, entry: RefEntry, file: string, prefix: string | undefined): LookupResult {
  const touched: string[] = []
  const error = (code: Parameters<typeof createMessage>[1], text: string, context?: Record<string, unknown>): LookupResult => ({
    resolution: undefined,
    messages: [createMessage('error', code, text, file, entry.place, context)],
    touched,
  })
  const parsed = parseRef(entry.raw)
  if ('error' in parsed) return error('INVALID_REF', parsed.error)
  const { target, range, slug } = parsed.ref
  let id: string | undefined
  if (target.includes('/')) {
    touched.push(target)
    if (catalog.has(target)) id = target
  } else {
    const prefixed = prefix ? `${prefix}/${target}` : undefined
    if (prefixed) touched.push(prefixed)
    touched.push(`name:${target}`)
    if (prefixed && catalog.has(prefixed)) id = prefixed
    else {
      const candidates = catalog.byName(target)
      if (candidates.length > 1) {
        return error(
          'TRAIT_AMBIGUOUS',
          `ref "${entry.raw}" matches ${candidates.length} traits: ${candidates.join(', ')}; write the full id`,
          { candidates: [...candidates] },
        )
      }
      id = candidates[0]
    }
  }
  if (id === undefined) {
    // An id under a folder link out of the content folders: say so, not "no trait".
    const blocked = target.includes('/') ? catalog.unusable(target) : undefined
    if (blocked) return error('PATH_OUTSIDE_ROOT', blocked)
    const suggestions = nearestIds(catalog.ids(), target)
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '; check the trait id'
    return error('TRAIT_NOT_FOUND', `no trait "${target}"${hint}`, { ref: entry.raw, suggestions })
  }
  const unusable = catalog.unusable(id)
  if (unusable) return error('PATH_OUTSIDE_ROOT', unusable)
  const trait = catalog.get(id)
  if (!trait) return { resolution: undefined, messages: [], touched }
  if (range !== undefined && !semver.satisfies(trait.meta.version, range)) {
    return error(
      'VERSION_MISMATCH',
      `trait "${id}" is version ${trait.meta.version}, which does not satisfy "${range}"; update the range or the trait`,
      { version: trait.meta.version, range },
    )
  }
  let section: SectionHeading | undefined
  if (slug !== undefined) {
    section = trait.doc.headings.find((h) => h.slug === slug)
    if (!section) {
      const slugs = trait.doc.headings.map((h) => h.slug)
      return error('SECTION_NOT_FOUND', `trait "${id}" has no section "#${slug}"; sections: ${slugs.join(', ') || '(none)'}`, { slugs })
    }
  }
  return { resolution: { trait, section, key: section ? `${id}#${section.slug}` : id }, messages: [], touched }
}

/** Up to three ids (or id tails) closest to `target`. */
export function nearestIds(ids: readonly string[], target: string): string[] {
  const scored = ids
    .map((id) => ({ id, d: Math.min(distance(id, target), distance(path.posix.basename(id), target)) }))
    .filter(({ id, d }) => d <= Math.max(2, Math.floor(Math.min(id.length, target.length) / 3)))
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
  return scored.slice(0, 3).map((s) => s.id)
}

/** The folder a trait's own short refs are tried in first. */
export function ownFolder(id: string): string | undefined {
  const dir = path.posix.dirname(id)
  return dir === '.' ? undefined : dir
}
