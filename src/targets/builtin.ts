// The built-in targets, loaded from the first-party plugins folder.
import { claudeTarget } from '../../plugins/claude.js'
import { docsTarget } from '../../plugins/docs.js'
import type { TargetDefinition } from './types.js'

/** Targets available without any plugin (a function: the plugins import the public API, which imports this). */
export function builtinTargets(): TargetDefinition[] {
  return [claudeTarget, docsTarget]
}
