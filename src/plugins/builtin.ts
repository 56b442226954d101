// The built-in plugins: first-party targets and checks from the plugins folder, run before the user's.
import { limitsPlugin } from '../../plugins/limits.js'
import type { ResolvedConfig } from '../config/schema.js'
import { builtinTargets } from '../targets/builtin.js'
import type { TraitgenPlugin } from './types.js'

/** The plugins every project has (a function: the plugins import the public API, which imports this). */
export function builtinPlugins(config: ResolvedConfig): TraitgenPlugin[] {
  return [{ name: 'traitgen:targets', targets: builtinTargets() }, limitsPlugin(config.limits)]
}
