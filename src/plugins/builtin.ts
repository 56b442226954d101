// The built-in plugins: the composition steps, targets and checks from the plugins folder, run before the user's.
import { importsPlugin } from '../../plugins/imports.js'
import { includesPlugin } from '../../plugins/includes.js'
import { interpolatePlugin } from '../../plugins/interpolate.js'
import { limitsPlugin } from '../../plugins/limits.js'
import { splicePlugin } from '../../plugins/splice.js'
import type { ResolvedConfig } from '../config/schema.js'
import { builtinTargets } from '../targets/builtin.js'
import type { TraitgenPlugin } from './types.js'

/** The plugins every project has (a function: the plugins import the public API, which imports this). */
export function builtinPlugins(config: ResolvedConfig): TraitgenPlugin[] {
  return [
    importsPlugin(),
    includesPlugin(),
    splicePlugin(),
    interpolatePlugin(),
    { name: 'traitgen:targets', targets: builtinTargets() },
    limitsPlugin(config.limits),
  ]
}
