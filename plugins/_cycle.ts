// DEPENDENCY_CYCLE, shared by import resolution and includes: a cycle may run through both.
import { createMessage, type ComposeContext, type Point } from '../src/index.js'

/** Report the loop at the end of `path` (`a → b → c → a`) at `place` in `file`. */
export function reportCycle(context: ComposeContext, path: readonly string[], file: string, place: Point): void {
  const start = path.indexOf(path[path.length - 1] as string)
  const loop = path.slice(start)
  context.report(
    createMessage('error', 'DEPENDENCY_CYCLE', `dependency cycle: ${loop.join(' → ')}; remove one of these dependencies or includes`, file, place, { cycle: loop }),
  )
}
