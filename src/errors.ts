// Error classes thrown by the library API (content problems are Messages; these wrap them for callers).
import type { Message } from './model/messages.js'

/** Base class of every error the library throws about content; carries a code and context. */
export class TraitProcessingError extends Error {
  /** Machine-readable code, e.g. `TRAIT_NOT_FOUND`. */
  readonly code: string
  /** Facts about the failure: file, line, column and code-specific details. */
  readonly context: Record<string, unknown>
  /** ISO time at which the error was created. */
  readonly timestamp: string

  constructor(code: string, message: string, context: Record<string, unknown> = {}) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.context = context
    this.timestamp = new Date().toISOString()
  }

  /** A plain object for logs and `--json`. */
  toJSON(): {
    /** The class name. */
    name: string
    /** The error code. */
    code: string
    /** The message. */
    message: string
    /** Facts about the error. */
    context: Record<string, unknown>
    /** When it was made, ISO 8601. */
    timestamp: string
  } {
    return { name: this.name, code: this.code, message: this.message, context: this.context, timestamp: this.timestamp }
  }
}

/** A ref named no trait (`TRAIT_NOT_FOUND`, `TRAIT_AMBIGUOUS`, `SECTION_NOT_FOUND`, `AGENT_NOT_FOUND`). */
export class TraitNotFoundError extends TraitProcessingError {}
/** Dependencies could not be ordered (`DEPENDENCY_CYCLE`, `TRAIT_CONFLICT`, `VERSION_MISMATCH`). */
export class TraitDependencyError extends TraitProcessingError {}
/** A file or its expansion is invalid (frontmatter, limits, encoding, …). */
export class TraitValidationError extends TraitProcessingError {}
/** The configuration or an API argument is unusable (CLI exit 2). */
export class TraitConfigError extends TraitProcessingError {}

const dependencyCodes = new Set(['DEPENDENCY_CYCLE', 'TRAIT_CONFLICT', 'VERSION_MISMATCH'])
const notFoundCodes = new Set(['TRAIT_NOT_FOUND', 'TRAIT_AMBIGUOUS', 'SECTION_NOT_FOUND', 'AGENT_NOT_FOUND'])

/** Turn the first error message of a failed operation into the matching error class. */
export function errorFromMessages(messages: readonly Message[], fallback: string): TraitProcessingError {
  const first = messages.find((m) => m.severity === 'error')
  if (!first) return new TraitProcessingError('UNKNOWN', fallback)
  const context = { file: first.file, line: first.line, column: first.column, messages: [...messages], ...first.context }
  const text = `${first.file}:${first.line}:${first.column}: ${first.message}`
  if (dependencyCodes.has(first.code)) return new TraitDependencyError(first.code, text, context)
  if (notFoundCodes.has(first.code)) return new TraitNotFoundError(first.code, text, context)
  return new TraitValidationError(first.code, text, context)
}
