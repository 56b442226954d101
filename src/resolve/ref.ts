// Refs: `<id-or-name>[@<semver range>][#<section slug>]`, never a file path or URL.
import semver from 'semver'

/** A ref split into its parts. */
export interface ParsedRef {
  /** Trait id (has a `/`) or short name. */
  target: string
  range: string | undefined
  slug: string | undefined
}

const parsedRefs = new Map<string, { ref: ParsedRef } | { error: string }>()

/** Parse a ref, or return the reason it is invalid (`INVALID_REF`); results are memoised (refs repeat a lot). */
export function parseRef(raw: string): { ref: ParsedRef } | { error: string } {
  let result = parsedRefs.get(raw)
  if (!result) {
    result = parseRefUncached(raw)
    if (parsedRefs.size > 50_000) parsedRefs.clear()
    parsedRefs.set(raw, result)
  }
  return result
}

function parseRefUncached(raw: string): { ref: ParsedRef } | { error: string } {
  const value = raw.trim()
  if (value === '') return { error: 'a ref is empty' }
  if (/[\u0000-\u001f\u007f]/.test(value)) return { error: `ref "${escapeControl(value)}" contains a control character` }
  if (value.includes('\\')) return { error: `ref "${value}" contains a backslash; refs use trait ids like category/name` }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return { error: `ref "${value}" looks like a URL or drive path; refs are trait ids like category/name` }
  if (value.includes('%')) return { error: `ref "${value}" contains a percent-encoding; write the trait id plainly` }
  const hash = value.indexOf('#')
  const beforeHash = hash === -1 ? value : value.slice(0, hash)
  const slug = hash === -1 ? undefined : value.slice(hash + 1)
  const at = beforeHash.indexOf('@')
  const target = at === -1 ? beforeHash : beforeHash.slice(0, at)
  const range = at === -1 ? undefined : beforeHash.slice(at + 1)
  if (target.startsWith('/') || target.startsWith('~')) return { error: `ref "${value}" is an absolute path; refs are trait ids like category/name` }
  const segments = target.split('/')
  if (segments.some((s) => s === '..' || s === '.')) return { error: `ref "${value}" contains "${segments.find((s) => s === '..' || s === '.')}"; refs are trait ids, not file paths` }
  if (segments.some((s) => s === '')) return { error: `ref "${value}" has an empty path segment` }
  if (target.endsWith('.md')) return { error: `ref "${value}" ends in .md; write the trait id without the extension` }
  if (range !== undefined && (range === '' || semver.validRange(range) === null)) {
    return { error: `ref "${value}" has an invalid version range "${range}"; write a semver range like ^1.2.0` }
  }
  if (slug !== undefined && slug === '') return { error: `ref "${value}" has an empty #section` }
  return { ref: { target, range, slug } }
}

function escapeControl(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
