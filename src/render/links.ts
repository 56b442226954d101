// Link rewriting (spec §5): a relative link in a source file still reaches the same file from the output's folder.
import path from 'node:path'

const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/

/** The destination `raw`, written in `fromFile`, as seen from `toFile` (both root-relative); unchanged if not relative. */
export function rewriteLink(raw: string, fromFile: string, toFile: string): string {
  if (raw === '' || raw.startsWith('#') || raw.startsWith('?') || raw.startsWith('/') || scheme.test(raw)) return raw
  const cut = raw.search(/[?#]/)
  const target = cut === -1 ? raw : raw.slice(0, cut)
  const suffix = cut === -1 ? '' : raw.slice(cut)
  if (target === '') return raw
  const fromDir = path.posix.dirname(fromFile)
  const toDir = path.posix.dirname(toFile)
  if (fromDir === toDir) return raw
  const absolute = path.posix.join(fromDir, target)
  let relative = path.posix.relative(toDir, absolute) || '.'
  if (target.endsWith('/') && !relative.endsWith('/')) relative += '/'
  return relative + suffix
}
