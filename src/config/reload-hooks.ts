// Module resolution hooks (registered once, off-thread): a config imported with `?traitgen-reload=N` passes
// the same query to the local files it imports, so that every reload evaluates them afresh.
interface ResolveContext {
  parentURL?: string | undefined
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>

const marker = /[?&]traitgen-reload=(\d+)/

/** Node's `resolve` hook. */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string }> {
  const result = await nextResolve(specifier, context)
  const generation = context.parentURL ? marker.exec(context.parentURL)?.[1] : undefined
  if (generation === undefined || !result.url.startsWith('file:') || result.url.includes('/node_modules/') || marker.test(result.url)) return result
  return { ...result, url: `${result.url}${result.url.includes('?') ? '&' : '?'}traitgen-reload=${generation}` }
}
