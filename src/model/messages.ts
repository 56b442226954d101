// Problems found in content: collected, never thrown, and reported together sorted by place.

/** How bad a message is. `error` fails the build, `warning` does not, `info` shows with --verbose. */
export type Severity = 'error' | 'warning' | 'info'

/** Every code traitgen can report. */
export type MessageCode =
  | 'INVALID_ENCODING'
  | 'PATH_OUTSIDE_ROOT'
  | 'TRAIT_TOO_LARGE'
  | 'MARKDOWN_TOO_DEEP'
  | 'YAML_SYNTAX'
  | 'YAML_LIMIT'
  | 'INVALID_FRONTMATTER'
  | 'EMPTY_TRAIT'
  | 'INVALID_REF'
  | 'TRAIT_NOT_FOUND'
  | 'TRAIT_AMBIGUOUS'
  | 'VERSION_MISMATCH'
  | 'SECTION_NOT_FOUND'
  | 'DEPENDENCY_CYCLE'
  | 'TRAIT_CONFLICT'
  | 'INVALID_INCLUDE'
  | 'INCLUDE_DEPTH_EXCEEDED'
  | 'EXPANSION_LIMIT'
  | 'UNDEFINED_VARIABLE'
  | 'SIZE_LIMIT'
  | 'DUPLICATE_AGENT'
  | 'AGENT_NOT_FOUND'
  | 'OUTPUT_CONFLICT'
  | 'WRITE_FAILED'
  | 'BUILD_LOCKED'
  | 'PLUGIN_ERROR'
  | 'PLUGIN_MESSAGE'
  | 'STALE_OUTPUT'
  | 'MISSING_OUTPUT'
  | 'EXTRA_OUTPUT'
  | 'UNREADABLE_FILE'
  | 'INTERNAL_ERROR'
  | 'PERFORMANCE_BUDGET'
  | 'TEMPLATE_NOT_FOUND'
  | 'TEMPLATE_INVALID'

/** One problem, at a place in a file (paths relative to the project root). */
export interface Message {
  /** How bad it is. */
  severity: Severity
  /** What kind of problem it is. */
  code: MessageCode
  /** What is wrong and how to fix it. */
  message: string
  /** File relative to the root, POSIX separators. */
  file: string
  /** Line, from 1. */
  line: number
  /** Column, from 1. */
  column: number
  /** Extra facts for tools (`--json`): suggestions, the cycle path, and so on. */
  context?: Record<string, unknown>
}

/** Create a message; a message about a whole file goes at 1:1. */
export function createMessage(
  severity: Severity,
  code: MessageCode,
  message: string,
  file: string,
  place: { line: number; column: number } = { line: 1, column: 1 },
  context?: Record<string, unknown>,
): Message {
  const result: Message = { severity, code, message, file, line: place.line, column: place.column }
  if (context !== undefined) result.context = context
  return result
}

/** Sort by file, line, column, then code: the order every report uses. */
export function sortMessages(messages: readonly Message[]): Message[] {
  return [...messages].sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.message, b.message),
  )
}

/** Drop exact duplicates (the same trait problem seen from several agents). */
export function uniqueMessages(messages: readonly Message[]): Message[] {
  const seen = new Set<string>()
  const out: Message[] = []
  for (const m of messages) {
    const key = `${m.file}\0${m.line}\0${m.column}\0${m.code}\0${m.severity}\0${m.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(m)
  }
  return out
}

/** Byte-wise string order, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** True when any message is an error. */
export function hasErrors(messages: readonly Message[]): boolean {
  return messages.some((m) => m.severity === 'error')
}
