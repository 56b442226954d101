// Human output of the CLI: one line per message, `file:line:column: severity CODE text`, and a summary.
import type { BuildResult } from '../build.js'
import type { Message } from '../model/messages.js'
import type { WatchEvent } from '../watch/session.js'

/** How to print. */
export interface ReportOptions {
  color: boolean
  quiet: boolean
  verbose: boolean
}

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[39m` : text)

/** Format one message. */
export function formatMessage(message: Message, color: boolean): string {
  const severity = message.severity === 'error' ? paint(color, 31, 'error') : message.severity === 'warning' ? paint(color, 33, 'warning') : paint(color, 36, 'info')
  return `${message.file}:${message.line}:${message.column}: ${severity} ${message.code} ${message.message}`
}

/** The messages a report shows under the options. */
export function visibleMessages(messages: readonly Message[], options: ReportOptions): Message[] {
  return messages.filter((m) => (m.severity === 'info' ? options.verbose : m.severity === 'warning' ? !options.quiet : true))
}

/** The one-line summary of a build. */
export function buildSummary(result: BuildResult): string {
  const { agents } = result.stats
  const written = result.outputs.filter((o) => o.status === 'written').length
  const deleted = result.outputs.filter((o) => o.status === 'deleted').length
  const errors = result.messages.filter((m) => m.severity === 'error').length
  const warnings = result.messages.filter((m) => m.severity === 'warning').length
  if (agents.built > 0 && agents.upToDate === agents.built && agents.failed === 0 && written === 0 && deleted === 0 && errors + warnings === 0) {
    return `${agents.upToDate} agent${agents.upToDate === 1 ? '' : 's'} up to date, in ${Math.round(result.stats.totalMs)} ms`
  }
  const parts = [`built ${agents.built} agent${agents.built === 1 ? '' : 's'}`]
  if (agents.failed > 0) parts.push(`${agents.failed} failed`)
  const files = [`${written} written`]
  if (deleted > 0) files.push(`${deleted} deleted`)
  files.push(`${result.outputs.filter((o) => o.status === 'unchanged').length} unchanged`)
  if (agents.upToDate > 0) files.push(`${agents.upToDate} agent${agents.upToDate === 1 ? '' : 's'} up to date`)
  const tail = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean)
  return `${parts.join(', ')} (${files.join(', ')})${tail.length ? `, ${tail.join(', ')}` : ''}, in ${Math.round(result.stats.totalMs)} ms`
}

/** The one-line summary of a check. */
export function checkSummary(result: BuildResult): string {
  const count = (status: string) => result.outputs.filter((o) => o.status === status).length
  const stale = count('stale')
  const missing = count('missing')
  const extra = count('extra')
  const errors = result.messages.filter((m) => m.severity === 'error' && !/^(STALE|MISSING|EXTRA)_OUTPUT$/.test(m.code)).length
  if (stale + missing + extra === 0 && errors === 0) {
    return `check: output is current (${result.stats.agents.built} agents, ${count('unchanged')} files) in ${Math.round(result.stats.totalMs)} ms`
  }
  const parts = [`${stale} stale`, `${missing} missing`, `${extra} extra`]
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'} in content`)
  return `check: ${parts.join(', ')}; run traitgen build`
}

/** A small table of --stats numbers. */
export function statsLines(result: BuildResult): string[] {
  const s = result.stats
  const p = s.phases
  return [
    `phases: load ${p.load} ms, parse ${p.parse} ms, resolve ${p.resolve} ms, splice ${p.splice} ms, validate ${p.validate} ms, write ${p.write} ms`,
    `traits: ${s.traits}, trait load p95 ${s.traitLoadP95} ms, slowest resolution ${s.maxResolveMs} ms, slowest render ${s.maxRenderMs} ms, cache hit rate ${(s.cacheHitRate * 100).toFixed(1)}%, peak memory ${s.peakRssMb} MB`,
    `read: ${s.read.read} of ${s.read.files} content files (the others are as the last build recorded them)`,
    `parsed: ${s.parsed.files} files, ${s.parsed.fromCache} of them from the parse cache${s.parsed.workers > 0 ? `, ${s.parsed.inWorkers} on ${s.parsed.workers} worker thread${s.parsed.workers === 1 ? '' : 's'}` : ''}`,
    ...(s.budgets.length > 0 ? [`budgets: ${s.budgets.map((b) => `${b.name} ${b.limit} ${b.met ? 'met' : 'MISSED'} (${b.value})`).join(', ')}`] : []),
  ]
}

/** The one line a watch rebuild prints: what changed, how many agents were rebuilt, how long it took. */
export function rebuildLine(event: WatchEvent): string {
  const what = event.changed.length === 0 ? 'change' : event.changed.length === 1 ? (event.changed[0] as string) : `${event.changed[0]} and ${event.changed.length - 1} more`
  const failed = event.result?.agents.failed.length ?? 0
  const parts = [`${what} changed: rebuilt ${event.rebuilt.length - failed} of ${event.total} agents`]
  if (failed > 0) parts.push(`${failed} failed`)
  if (event.recovered.length > 0) parts.push(`${event.recovered.length} recovered (${event.recovered.join(', ')})`)
  return `${parts.join(', ')} in ${Math.round(event.ms)} ms`
}
