// A build: load → compose → render → validate → write (or compare, for check) → report.
import { composeAgent, composeOptionsOf, type ComposedAgent } from './compose/agent.js'
import { composeHooks } from './compose/hooks.js'
import type { ProjectConfig } from './config/load.js'
import type { TargetSpec } from './config/schema.js'
import type { Agent } from './parse/agent.js'
import { TraitConfigError } from './errors.js'
import type { DependencyGraph } from './graph.js'
import { createMessage, hasErrors, sortMessages, uniqueMessages, type Message } from './model/messages.js'
import { placeOfKey } from './parse/frontmatter.js'
import type { ContentStore } from './store.js'
import type { TargetDefinition, TargetFile } from './targets/types.js'
import type { SourceMap } from './render/emitter.js'
import { outputPlugins, processOutput, type OutputPlugins } from './plugins/output-stages.js'
import { pluginError } from './plugins/stages.js'
import { libraryContext, libraryFingerprint, type AgentTraits } from './library.js'
import { OutputCommitter, type OutputRecord } from './output/commit.js'
import { cacheKey, readBuildCache, writeBuildCache, type AgentRecord, type LibraryRecords } from './output/cache.js'
import type { TraitgenPlugin } from './plugins/types.js'
import { hashText } from './model/source.js'
import { readExisting } from './output/write.js'
import { ParseCache } from './output/parse-cache.js'
import { workerCount } from './parse/parse-pool.js'
import { withOutputLock, type LockOptions } from './output/lock.js'
import { version } from './version.js'
import { lstatSync } from 'node:fs'
import path from 'node:path'

/** Options of one build. */
export interface BuildOptions {
  /** Build only these agents (ids or names; an empty list builds none); default: all. */
  agents?: readonly string[] | undefined
  /** Skip re-reading the content folders (the caller just did). Default false. */
  skipRefresh?: boolean | undefined
  /** Build only these targets; default: every configured target. */
  targets?: readonly string[] | undefined
  /** Overwrite files traitgen did not write. Default false. */
  force?: boolean | undefined
  /** Delete every manifest file this build does not write, failed agents' included. Default false. */
  clean?: boolean | undefined
  /** Check the config's `performance` budgets (`--stats`): missed ones are warnings, errors when strict. Default false. */
  budgets?: boolean | undefined
  /** The cache hit rate counts against `minCacheHitRate` (watch rebuilds). Default false. */
  cacheBudget?: boolean | undefined
  /** Called after each agent with how many of the selected agents are done (progress display). */
  onProgress?: ((done: number, total: number) => void) | undefined
  /** False: build in memory and compare with disk (`check`). Default true. */
  write?: boolean | undefined
  /** The output lock a writing build holds: how long to wait for another build (default 10 s), and whom to tell. */
  lock?: LockOptions | undefined
}

/** Numbers about one build (`--stats`). */
export interface BuildStats {
  /** Milliseconds per phase. */
  phases: {
    /** Finding and reading files. */
    load: number
    /** Parsing Markdown and frontmatter. */
    parse: number
    /** Resolving refs and dependencies. */
    resolve: number
    /** Splicing, including and interpolating. */
    splice: number
    /** Validating expanded agents. */
    validate: number
    /** Writing outputs, the manifest and the cache. */
    write: number
  }
  /** The whole build, ms. */
  totalMs: number
  /** Agents selected for this build. */
  agents: {
    /** Selected. */
    total: number
    /** Built without errors (up to date ones included). */
    built: number
    /** Failed with errors. */
    failed: number
    /** Reused from the cache without rebuilding. */
    upToDate: number
  }
  /** Traits in the project. */
  traits: number
  /** p95 of per-trait read + parse time, ms. */
  traitLoadP95: number
  /** Files whose problems were known (parsed earlier in this process, or from the build cache) / files looked at. */
  cacheHitRate: number
  /** Content files parsed this build, and how many of those came from the persistent parse cache. */
  parsed: {
    /** Files parsed (or taken from the parse cache). */
    files: number
    /** Of those, taken from the parse cache instead of parsed. */
    fromCache: number
    /** Of those, parsed on worker threads. */
    inWorkers: number
    /** Worker threads that parsed (0: the main thread parsed alone). */
    workers: number
  }
  /** Content files, and how many of them were read (the others were as an earlier build recorded them). */
  read: {
    /** Content files found. */
    files: number
    /** Of those, read from disk this build. */
    read: number
  }
  /** Resident memory at the end of the build, MB. */
  peakRssMb: number
  /** Slowest single agent's resolution, ms. */
  maxResolveMs: number
  /** Slowest single agent's splicing and rendering (every section and target of it), ms. */
  maxRenderMs: number
  /** The config's `performance` budgets against these numbers (with `budgets`). */
  budgets: Array<{
    /** The budget's key under `performance`. */
    name: string
    /** Its configured limit. */
    limit: number
    /** This build's number. */
    value: number
    /** Whether the number is within the limit. */
    met: boolean
  }>
}

/** The result of a build or check. */
export interface BuildResult {
  /** True when no message is an error. */
  ok: boolean
  /** Every problem, sorted by file, line and column. */
  messages: Message[]
  /** What happened to each output file. */
  outputs: OutputRecord[]
  /** Timings and counts. */
  stats: BuildStats
  /** Agents this build built, and those that failed. */
  agents: {
    /** Ids of the agents built. */
    built: string[]
    /** Ids of the agents that failed. */
    failed: string[]
  }
}

/** A project's state across builds: its store, graph and targets. */
export interface BuildContext {
  project: ProjectConfig
  store: ContentStore
  graph: DependencyGraph
  targets: Map<string, TargetDefinition>
  strict: boolean
  /** Worker threads that parse beside the main thread on big builds: a count, or `'auto'` (the default). */
  workers?: number | 'auto' | undefined
}

/** Run one build (or check) over the context's project; a build that writes holds the output lock, check needs none. */
export async function runBuild(context: BuildContext, options: BuildOptions = {}): Promise<BuildResult> {
  if (options.write === false) return buildUnlocked(context, options)
  return withOutputLock(context.project, options.lock, () => buildUnlocked(context, options))
}

async function buildUnlocked(context: BuildContext, options: BuildOptions): Promise<BuildResult> {
  const started = performance.now()
  const { project, store } = context
  const write = options.write ?? true
  const cache = readBuildCache(project.outputDir, cacheKey(project.config, context.strict, `${version}:${project.codeHash}`))
  if (options.clean) {
    // Nothing from earlier builds is trusted: every file is read and hashed, every agent rebuilt.
    cache.files = {}
    cache.agents = {}
    cache.library = {}
  }
  // Known before reading: a file whose stamp is as recorded is not read until its text is needed.
  store.known = new Map(Object.entries(cache.files))
  if (!options.skipRefresh) store.refresh()
  const parseCache = new ParseCache(project.outputDir, write, store.compact)
  store.parseStore = parseCache
  const threads = workerCount(context.workers ?? 'auto')
  await store.parseAhead(threads, parseCache)
  const messages: Message[] = [...store.fileMessages()]
  // Parsing is lazy: whatever it cost so far is the parse phase, not load.
  const loadMs = performance.now() - started - store.timings.parse
  const phases = { load: loadMs, parse: 0, resolve: 0, splice: 0, validate: 0, write: 0 }

  const allIds = store.agentIds()
  const selected = selectAgents(context, allIds, options.agents, messages)
  const blocked = duplicateAgents(context, allIds, messages)
  const targetSpecs = project.targets.filter((t) => !options.targets || options.targets.includes(t.name))
  for (const name of options.targets ?? []) {
    if (!project.targets.some((t) => t.name === name)) {
      throw new TraitConfigError('UNKNOWN_TARGET', `--target ${name}: no such target in the config; targets: ${project.targets.map((t) => t.name).join(', ')}`)
    }
  }

  const plugins = outputPlugins(project.plugins)
  const hookInfo = { root: project.root, agents: selected, write }
  await runHooks(context, 'buildStart', hookInfo, messages)

  const committer = new OutputCommitter({ project, force: options.force ?? false, write, messages })
  const agentTraits: AgentTraits = new Map()
  const failed = new Set<string>()
  const maxResolve = { value: 0 }
  const maxRender = { value: 0 }
  const upToDate: string[] = []
  const usedTraits = new Set<string>()
  const records: Record<string, AgentRecord> = { ...cache.agents }
  const builtTargets = targetSpecs.map((t) => t.name)
  let done = 0
  for (const id of selected) {
    options.onProgress?.(done++, selected.length)
    if (blocked.has(id)) {
      failed.add(id)
      continue
    }
    const record = cache.agents[id]
    if (record && isCurrent(context, record, builtTargets, committer)) {
      // Nothing this agent is made of changed, and its outputs are as written: no parse, no render, no write.
      upToDate.push(id)
      agentTraits.set(id, { traits: record.traits, ok: true })
      // Its warnings and notes are the same as when it was built: report them again.
      messages.push(...record.messages)
      for (const [file, output] of Object.entries(record.outputs)) {
        if (builtTargets.includes(output.target)) committer.keep(file, { agent: id, target: output.target }, output.hash)
      }
      context.graph.resetNode(id)
      for (const key of Object.keys(record.inputs)) {
        context.graph.addDependency(id, key)
        usedTraits.add(key)
      }
      continue
    }
    const agent = store.agent(id)
    if (!agent) {
      failed.add(id)
      delete records[id]
      continue
    }
    try {
      const built = await buildAgentFiles(context, id, targetSpecs, plugins, { phases, maxResolve, maxRender }, usedTraits, messages)
      agentTraits.set(id, { traits: built?.traits ?? [], ok: built !== undefined })
      if (built) {
        const t = performance.now()
        const outputs: AgentRecord['outputs'] = {}
        for (const file of built.files) {
          const hash = committer.commit(file, { agent: id, target: file.target })
          outputs[file.path] = { hash, target: file.target, ...statOf(path.resolve(project.root, file.path)) }
        }
        phases.write += performance.now() - t
        records[id] = { inputs: built.inputs, targets: builtTargets, outputs, traits: built.traits, messages: built.messages }
      } else {
        failed.add(id)
        delete records[id]
      }
    } catch (error) {
      // A bug must cost one agent, never the build (and never a stack trace on the user's terminal).
      failed.add(id)
      delete records[id]
      messages.push(
        createMessage('error', 'INTERNAL_ERROR', `traitgen failed on this agent (${error instanceof Error ? error.message : String(error)}); please report it`, agent.doc.file.path),
      )
    }
  }
  for (const outside of store.outsideTraits()) {
    if (!usedTraits.has(outside.id)) {
      messages.push(createMessage('warning', 'PATH_OUTSIDE_ROOT', `${outside.path} is a symbolic link that leads out of the content folders; it is skipped`, outside.path))
    }
  }

  options.onProgress?.(selected.length, selected.length)
  const t3 = performance.now()
  const library = renderLibraries(context, targetSpecs, agentTraits, cache.library, committer, messages)
  const outputs = committer.finish({
    failed,
    existingAgents: new Set(allIds),
    partial: options.agents !== undefined,
    builtTargets: new Set(targetSpecs.map((t) => t.name)),
    clean: options.clean ?? false,
  })
  if (write) {
    for (const id of Object.keys(records)) if (!allIds.includes(id)) delete records[id]
    writeBuildCache(project.outputDir, { ...cache, files: Object.fromEntries(store.knownFiles()), agents: records, library }, cache)
    parseCache.prune(store.contentHashes())
  }
  phases.write += performance.now() - t3
  if (!write) messages.push(...differenceMessages(outputs))

  phases.parse = store.timings.parse
  const traitLoads = [...store.timings.traitLoads].sort((a, b) => a - b)
  const looked = store.timings.parsed + store.timings.reused
  const stats: BuildStats = {
    phases: roundAll(phases),
    totalMs: round(performance.now() - started),
    agents: {
      total: selected.length,
      built: selected.length - failed.size,
      failed: failed.size,
      upToDate: upToDate.length,
    },
    traits: store.ids().length,
    traitLoadP95: round(traitLoads[Math.min(traitLoads.length - 1, Math.floor(traitLoads.length * 0.95))] ?? 0),
    cacheHitRate: looked === 0 ? 1 : round(store.timings.reused / looked),
    parsed: { files: store.timings.parsed, fromCache: parseCache.hits, inWorkers: store.timings.inWorkers, workers: store.timings.inWorkers > 0 ? threads : 0 },
    read: { files: store.fileCount(), read: store.timings.filesRead },
    peakRssMb: Math.round(process.memoryUsage.rss() / 1048576),
    maxResolveMs: round(maxResolve.value),
    maxRenderMs: round(maxRender.value),
    budgets: [],
  }
  if (options.budgets) checkBudgets(context, stats, options.cacheBudget ?? false, messages)
  await runHooks(context, 'buildEnd', { ...hookInfo, ok: !hasErrors(messages), messages: sortMessages(uniqueMessages(messages)), outputs: outputs.filter((o) => o.status === 'written' || o.status === 'unchanged').map((o) => o.path) }, messages)
  const finalMessages = sortMessages(uniqueMessages(messages))
  return {
    ok: !hasErrors(finalMessages),
    messages: finalMessages,
    outputs,
    stats,
    agents: { built: selected.filter((id) => !failed.has(id)), failed: [...failed].sort() },
  }
}

/** Call every plugin's `buildStart` or `buildEnd`; one that throws is a PLUGIN_ERROR at the config file. */
async function runHooks<K extends 'buildStart' | 'buildEnd'>(
  context: BuildContext,
  hook: K,
  info: Parameters<NonNullable<TraitgenPlugin[K]>>[0],
  messages: Message[],
): Promise<void> {
  for (const plugin of context.project.plugins) {
    const fn = plugin[hook] as ((value: typeof info) => unknown) | undefined
    if (!fn) continue
    try {
      await fn.call(plugin, info)
    } catch (error) {
      messages.push(pluginError(plugin.name, configPath(context), error))
    }
  }
}

/**
 * Each selected target's library-wide pages, rendered when anything they are made of changed and kept
 * as they are otherwise. Returns what the cache should remember.
 */
function renderLibraries(
  context: BuildContext,
  targetSpecs: readonly TargetSpec[],
  agents: AgentTraits,
  cached: LibraryRecords,
  committer: OutputCommitter,
  messages: Message[],
): LibraryRecords {
  const next: LibraryRecords = {}
  for (const spec of targetSpecs) {
    const target = context.targets.get(spec.name)
    if (!target?.renderLibrary) continue
    const fingerprint = libraryFingerprint(context.store, agents, spec.dir)
    const previous = cached[spec.name]
    const owner = { agent: '', target: spec.name }
    if (previous && previous.fingerprint === fingerprint && Object.entries(previous.outputs).every(([file, hash]) => committer.isRecorded(file, hash) && hashOfFile(context, file) === hash)) {
      for (const [file, hash] of Object.entries(previous.outputs)) committer.keep(file, owner, hash)
      next[spec.name] = previous
      continue
    }
    try {
      const files = target.renderLibrary(libraryContext(context.store, agents, spec.dir, traitsFolderOf(context.project)))
      const outputs: Record<string, string> = {}
      for (const file of files) outputs[file.path] = committer.commit({ ...file, sourceMap: file.sourceMap ?? generatedMap(file.text) }, owner)
      next[spec.name] = { fingerprint, outputs }
    } catch (error) {
      messages.push(pluginError(`target ${spec.name}`, configPath(context), error))
    }
  }
  return next
}

/** The traits folder, root-relative with POSIX separators. */
export function traitsFolderOf(project: ProjectConfig): string {
  return path.relative(project.root, project.traitsDir).split(path.sep).join('/')
}

/** A source map for a page made wholly by a target: every line generated. */
function generatedMap(text: string): SourceMap {
  const lines = text.split('\n').length - 1
  return { sources: [], runs: lines > 0 ? [[1, -1, 0, lines]] : [] }
}

function hashOfFile(context: BuildContext, file: string): string | undefined {
  const text = readExisting(path.resolve(context.project.root, file))
  return text === undefined ? undefined : hashText(text)
}

function configPath(context: BuildContext): string {
  const file = context.project.configFile
  return file ? path.relative(context.project.root, file).split(path.sep).join('/') : 'traitgen.config'
}

/** The config's performance budgets against a build's numbers; missed ones become messages. */
function checkBudgets(context: BuildContext, stats: BuildStats, cacheBudget: boolean, messages: Message[]): void {
  const p = context.project.config.performance
  const budgets = [
    { name: 'maxLoadTimeMs', limit: p.maxLoadTimeMs, value: stats.traitLoadP95, met: stats.traitLoadP95 <= p.maxLoadTimeMs },
    { name: 'maxResolveTimeMs', limit: p.maxResolveTimeMs, value: stats.maxResolveMs, met: stats.maxResolveMs <= p.maxResolveTimeMs },
    { name: 'maxMemoryMb', limit: p.maxMemoryMb, value: stats.peakRssMb, met: stats.peakRssMb <= p.maxMemoryMb },
  ]
  if (cacheBudget) budgets.push({ name: 'minCacheHitRate', limit: p.minCacheHitRate, value: stats.cacheHitRate, met: stats.cacheHitRate >= p.minCacheHitRate })
  stats.budgets = budgets
  for (const b of budgets) {
    if (b.met) continue
    messages.push(
      createMessage(context.strict ? 'error' : 'warning', 'PERFORMANCE_BUDGET', `performance.${b.name} missed: ${b.value} against a budget of ${b.limit}; see --stats, or adjust the budget in the config`, configPath(context)),
    )
  }
}

/** Compose, render and validate one agent; its files, or undefined when it failed. */
async function buildAgentFiles(
  context: BuildContext,
  id: string,
  targetSpecs: readonly TargetSpec[],
  plugins: OutputPlugins,
  timing: { phases: BuildStats['phases']; maxResolve: { value: number }; maxRender: { value: number } },
  usedTraits: Set<string>,
  messages: Message[],
): Promise<{ files: Array<TargetFile & { target: string }>; inputs: Record<string, string>; traits: string[]; messages: Message[] } | undefined> {
  const { project, store } = context
  const { phases, maxResolve, maxRender } = timing
  const agent = store.agent(id) as Agent
  const t0 = performance.now()
  const parseBefore = store.timings.parse
  const composed: ComposedAgent = composeAgent(agent, store, composeOptionsOf(project.config), composeHooks(project.plugins))
  const t1 = performance.now()
  const resolveMs = t1 - t0 - (store.timings.parse - parseBefore)
  phases.resolve += resolveMs
  if (resolveMs > maxResolve.value) maxResolve.value = resolveMs
  context.graph.resetNode(id)
  context.graph.addDependency(id, agent.doc.file.path)
  for (const input of composed.touched) {
    context.graph.addDependency(id, input)
    usedTraits.add(input)
  }
  const agentMessages: Message[] = [...composed.messages]
  const agentFiles: Array<TargetFile & { target: string }> = []
  for (const name of agent.meta.targets ?? []) {
    if (!project.targets.some((t) => t.name === name)) {
      agentMessages.push(
        createMessage('error', 'INVALID_FRONTMATTER', `targets: "${name}" is not a configured target; configured: ${project.targets.map((t) => t.name).join(', ')}`, agent.doc.file.path, placeOfKey(agent.doc.file, agent.doc.frontmatter, 'targets')),
      )
    }
  }
  let pluginFailed = false
  const rendered: Array<TargetFile & { target: string }> = []
  if (composed.ok) {
    for (const spec of targetSpecs) {
      if (agent.meta.targets && !agent.meta.targets.includes(spec.name)) continue
      // Every configured target has a definition: the config loader refuses others (UNKNOWN_TARGET).
      const target = context.targets.get(spec.name) as TargetDefinition
      try {
        for (const file of target.renderAgent({ dir: spec.dir, composed, messages: agentMessages, traitsFolder: traitsFolderOf(project) })) rendered.push({ ...file, target: spec.name })
      } catch (error) {
        agentMessages.push(pluginError(`target ${spec.name}`, agent.doc.file.path, error))
        pluginFailed = true
      }
    }
  }
  const t2 = performance.now()
  phases.splice += t2 - t1
  if (t2 - t1 > maxRender.value) maxRender.value = t2 - t1
  const owner = { agent: id, agentFile: agent.doc.file.path, frontmatter: agent.doc.frontmatter?.data ?? {} }
  for (const file of rendered) {
    const result = await processOutput(plugins, file, { ...owner, target: file.target }, agentMessages)
    if (result.failed) pluginFailed = true
    agentFiles.push({ ...result.file, target: file.target })
  }
  phases.validate += performance.now() - t2
  messages.push(...agentMessages)
  if (!composed.ok || pluginFailed || hasErrors(agentMessages)) return undefined
  const inputs: Record<string, string> = { [`agent:${id}`]: store.hashOf('agent', id) ?? 'absent' }
  for (const key of composed.touched) inputs[key] = inputValue(context, key)
  return { files: agentFiles, inputs, traits: [...new Set(composed.placements.map((p) => p.resolution.trait.id))], messages: agentMessages }
}

/** The current value of a cache input key: a file hash, the ids a short name answers, or `absent`. */
function inputValue(context: BuildContext, key: string): string {
  const { store } = context
  if (key.startsWith('agent:')) return store.hashOf('agent', key.slice('agent:'.length)) ?? 'absent'
  if (key.startsWith('name:')) return store.byName(key.slice('name:'.length)).join(',') || 'absent'
  if (key.startsWith('template:')) return store.hashOf('template', key.slice('template:'.length)) ?? 'absent'
  return store.hashOf('trait', key) ?? 'absent'
}

/** Size and mtime of a regular file (links are not followed), or undefined. */
function statOf(abs: string): { size: number; mtimeMs: number } | undefined {
  try {
    const stat = lstatSync(abs)
    return stat.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined
  } catch {
    return undefined
  }
}

/** An agent is current when every input has the value it was built from and its outputs on disk are what was written. */
function isCurrent(context: BuildContext, record: AgentRecord, targets: readonly string[], committer: OutputCommitter): boolean {
  if (!targets.every((t) => record.targets.includes(t))) return false
  for (const [key, value] of Object.entries(record.inputs)) if (inputValue(context, key) !== value) return false
  for (const [file, output] of Object.entries(record.outputs)) {
    if (!targets.includes(output.target)) continue
    if (!committer.isRecorded(file, output.hash)) return false
    const abs = path.resolve(context.project.root, file)
    // Same size and mtime as when written: trust it without reading it; otherwise compare content.
    const stat = statOf(abs)
    if (stat && output.size !== undefined && stat.size === output.size && stat.mtimeMs === output.mtimeMs) continue
    const text = readExisting(abs)
    if (text === undefined || hashText(text) !== output.hash) return false
  }
  return true
}

function selectAgents(context: BuildContext, allIds: string[], wanted: readonly string[] | undefined, messages: Message[]): string[] {
  if (!wanted) return allIds
  const out = new Set<string>()
  const agentsFolder = path.relative(context.project.root, context.project.agentsDir).split(path.sep).join('/')
  for (const name of wanted) {
    const id = allIds.find((candidate) => candidate === name || candidate === name.replace(/\.md$/, '')) ?? allIds.find((candidate) => context.store.agent(candidate)?.meta.name === name)
    if (id) out.add(id)
    else {
      messages.push(
        createMessage('error', 'AGENT_NOT_FOUND', `no agent "${name}" in ${agentsFolder}; agents: ${allIds.join(', ') || '(none)'}`, agentsFolder, undefined, { agent: name }),
      )
    }
  }
  return [...out].sort()
}

/** Agents whose name repeats another's, or whose output path differs only in case: the later ones fail. */
function duplicateAgents(context: BuildContext, allIds: string[], messages: Message[]): Set<string> {
  const blocked = new Set<string>()
  const byName = new Map<string, string>()
  const byPath = new Map<string, string>()
  for (const id of allIds) {
    const name = context.store.agentName(id)
    const sameName = byName.get(name)
    const samePath = byPath.get(id.toLowerCase())
    if (sameName !== undefined || samePath !== undefined) {
      blocked.add(id)
      const agent = context.store.agent(id)
      const file = agent?.doc.file.path ?? context.store.discovery.agents.get(id)?.path ?? id
      if (sameName !== undefined) {
        const place = agent ? placeOfKey(agent.doc.file, agent.doc.frontmatter, 'name') : undefined
        messages.push(createMessage('error', 'DUPLICATE_AGENT', `agent name "${name}" is already used by ${sameName}; give this agent another name`, file, place))
      } else {
        messages.push(createMessage('error', 'DUPLICATE_AGENT', `agent "${id}" differs from "${samePath}" only in letter case; their outputs would collide on case-insensitive disks: rename one of the files`, file))
      }
    }
    if (sameName === undefined) byName.set(name, id)
    if (samePath === undefined) byPath.set(id.toLowerCase(), id)
  }
  return blocked
}

const differenceText = {
  stale: ['STALE_OUTPUT', 'is out of date'],
  missing: ['MISSING_OUTPUT', 'is missing'],
  extra: ['EXTRA_OUTPUT', 'is no longer produced (its agent or target is gone)'],
} as const

/** check: one message per output that differs from what a build would write. */
function differenceMessages(outputs: readonly OutputRecord[]): Message[] {
  const out: Message[] = []
  for (const record of outputs) {
    if (record.status !== 'stale' && record.status !== 'missing' && record.status !== 'extra') continue
    const [code, text] = differenceText[record.status]
    out.push(createMessage('error', code, `${record.path} ${text}; run traitgen build`, record.path))
  }
  return out
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

function roundAll<T extends Record<string, number>>(values: T): T {
  const out = { ...values }
  for (const key of Object.keys(out) as Array<keyof T>) out[key] = round(out[key] as number) as T[keyof T]
  return out
}

