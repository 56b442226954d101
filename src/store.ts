// The content store: discovers and reads every file (cheap), and parses a file only when something needs it,
// reusing parses of unchanged content across builds.
import path from 'node:path'
import { parseDocument as parseYaml } from 'yaml'
import type { ParseCache } from './output/parse-cache.js'
import { aheadThreshold, parseAhead, type AheadReply } from './parse/parse-pool.js'
import { shareEmpty } from './parse/sites.js'
import type { ProjectConfig } from './config/load.js'
import type { Message } from './model/messages.js'
import { createSourceFile, type SourceFile } from './model/source.js'
import { runStageSync, stagePlugins, type StagePlugin } from './plugins/stages.js'
import { buildAgent, type Agent } from './parse/agent.js'
import { parseDocument, type ParseStore } from './parse/document.js'
import { buildTrait, type Trait } from './parse/trait.js'
import { buildTemplate, type Template } from './parse/template.js'
import { discover, type DiscoveredFile, type Discovery } from './read/discover.js'
import { readSource } from './read/read-source.js'
import type { TraitCatalog } from './resolve/lookup.js'

/** The plugin hooks that see blocks of parsed content files. */
const compositionHooks = ['resolveImports', 'resolveDependencies', 'expandBlock', 'splice', 'checkPlacements', 'blockEdits'] as const

/** A file's problems and (for traits) name, known from an earlier build of the same content. */
export interface KnownFile {
  hash: string
  messages: Message[]
  name?: string | undefined
  /** The file's stamp when it was read (see `fileStamp`), if it was settled then: the same stamp now, the same content. */
  stamp?: string | undefined
}

/**
 * How long after its last change a file's stamp is trusted. Within it, a second write in the same tick of a
 * coarse file-system clock could leave the stamp as it was; such files are read again on the next build.
 */
const settleMs = 2000

interface Parsed<T> {
  hash: string
  value: T | undefined
  messages: Message[]
}

/**
 * A content file of this build. One whose stamp is what an earlier build recorded with its hash is not
 * read until something needs its text: a build with nothing changed reads no content file at all.
 */
class Entry {
  private result: ReturnType<typeof readSource> | undefined
  private readAt = 0
  /** sha256 of its bytes ('' when it could not be read). */
  hash: string

  constructor(
    readonly found: DiscoveredFile,
    trusted: string | undefined,
    private read: (found: DiscoveredFile) => ReturnType<typeof readSource>,
  ) {
    this.hash = trusted ?? ''
    if (trusted === undefined) this.load()
  }

  get path(): string {
    return this.found.path
  }

  /** The file as read, or undefined when it cannot be read (`readMessages` say why). */
  get file(): SourceFile | undefined {
    return this.load().file
  }

  /** Problems reading the file (encoding, size, links). */
  get readMessages(): Message[] {
    return this.load().messages
  }

  /** The stamp to record with its hash: undefined while the file changed too recently to trust it. */
  get settledStamp(): string | undefined {
    if (!this.result) return this.found.stamp
    const [, mtime, ctime] = this.found.stamp.split(':').map(Number)
    return this.readAt - Math.max(mtime as number, ctime as number) > settleMs ? this.found.stamp : undefined
  }

  private load(): ReturnType<typeof readSource> {
    if (!this.result) {
      this.readAt = Date.now()
      this.result = this.read(this.found)
      this.hash = this.result.file?.hash ?? ''
    }
    return this.result
  }
}

/** Time spent reading and parsing (ms) since the last refresh. */
export interface LoadTimings {
  read: number
  /** Content files read (the others were unchanged since an earlier build: see `KnownFile.stamp`). */
  filesRead: number
  parse: number
  /** Per-trait load times (read + parse), for p95. */
  traitLoads: number[]
  /** Files parsed (cache misses) and reused (hits: parsed earlier in this process, or known from the build cache). */
  parsed: number
  reused: number
  /** Of the files parsed, those parsed on worker threads. */
  inWorkers: number
}

type Kind = 'trait' | 'agent' | 'template'

/** One operation on a trait, for structured logs. */
export interface TraitOperation {
  /** Reading the file, or parsing it. */
  operation: 'read' | 'parse'
  /** Trait id. */
  trait: string
  /** How long it took, ms. */
  durationMs: number
  /** False when it failed (the trait then has a message). */
  success: boolean
}

/** Loaded content: the current traits and agents. */
export class ContentStore implements TraitCatalog {
  private entries: Record<Kind, Map<string, Entry>> = { trait: new Map(), agent: new Map(), template: new Map() }
  private parses: { trait: Map<string, Parsed<Trait>>; agent: Map<string, Parsed<Agent>>; template: Map<string, Parsed<Template>> } = {
    trait: new Map(),
    agent: new Map(),
    template: new Map(),
  }
  private names: Map<string, string[]> | undefined
  private readTimes = new Map<string, number>()
  /** Receives one event per trait operation (read, parse), for structured logs. */
  onTraitOperation: ((event: TraitOperation) => void) | undefined
  /** Problems and names of files as an earlier build saw them (the persistent cache). */
  known = new Map<string, KnownFile>()
  /** Where parses are kept between processes; undefined: nowhere. */
  parseStore: ParseStore | undefined
  discovery: Discovery = { traits: new Map(), agents: new Map(), templates: new Map(), outsideTraitFolders: new Map(), messages: [] }
  timings: LoadTimings = { read: 0, filesRead: 0, parse: 0, traitLoads: [], parsed: 0, reused: 0, inWorkers: 0 }

  constructor(
    private project: ProjectConfig,
    private options: { strict: boolean },
  ) {}

  /** Re-discover the content folders and read every file whose stamp is not as recorded (the rest when needed); nothing is parsed yet. */
  refresh(): void {
    this.timings = { read: 0, filesRead: 0, parse: 0, traitLoads: [], parsed: 0, reused: 0, inWorkers: 0 }
    const start = performance.now()
    this.discovery = discover(this.project.root, {
      traits: this.project.traitsDir,
      agents: this.project.agentsDir,
      templates: this.project.templatesDir,
    })
    this.entries = {
      trait: this.readAll(this.discovery.traits, true),
      agent: this.readAll(this.discovery.agents, false),
      template: this.readAll(this.discovery.templates, false),
    }
    this.names = undefined
    this.timings.read = performance.now() - start
  }

  private readAll(files: Map<string, DiscoveredFile>, isTrait: boolean): Map<string, Entry> {
    const out = new Map<string, Entry>()
    const read = (found: DiscoveredFile) => {
      const t0 = performance.now()
      const result = readSource(found, this.project.config.limits.traitChars)
      const ms = performance.now() - t0
      this.timings.read += ms
      this.timings.filesRead++
      if (isTrait) {
        this.readTimes.set(found.id, ms)
        this.onTraitOperation?.({ operation: 'read', trait: found.id, durationMs: ms, success: result.file !== undefined })
      }
      return result
    }
    for (const [id, discovered] of files) {
      if (discovered.outside && isTrait) continue
      const known = this.known.get(discovered.path)
      out.set(id, new Entry(discovered, known?.stamp !== undefined && known.stamp === discovered.stamp ? known.hash : undefined, read))
    }
    return out
  }

  /**
   * Parse a file and run the `trait` or `agent` stage plugins on its tree; when they change it, the
   * document is what they made of it (parsed again from the edited text, at the same path).
   */
  private parseWithPlugins(kind: Kind, id: string, file: SourceFile): { doc: ReturnType<typeof parseDocument>; stageMessages: Message[]; stageFailed: boolean } {
    this.stages ??= { trait: stagePlugins(this.project.plugins, 'trait'), agent: stagePlugins(this.project.plugins, 'agent'), template: [] }
    const plugins = this.stages[kind]
    // A stage plugin changes the tree: only untouched parses are kept between processes.
    const compact = { compact: this.compact }
    const ahead = this.ahead.get(file.path)
    if (ahead) {
      this.ahead.delete(file.path)
      if (ahead.hash === file.hash) {
        const stored = ahead.stored
        const doc = stored ? parseDocument(file, { get: () => stored, put: () => {} }) : { doc: undefined, messages: ahead.messages }
        return { doc, stageMessages: [], stageFailed: false }
      }
    }
    if (plugins.length === 0) return { doc: parseDocument(file, this.parseStore, compact), stageMessages: [], stageFailed: false }
    const doc = parseDocument(file)
    if (!doc.doc) return { doc, stageMessages: [], stageFailed: false }
    const result = runStageSync(plugins, doc.doc.tree, file.text, file.path, { stage: kind === 'template' ? 'agent' : kind, id })
    if (result.failed || !result.edited) return { doc, stageMessages: result.messages, stageFailed: result.failed }
    return { doc: parseDocument(createSourceFile(file.path, file.abs, result.edited.text, file.hash), undefined, compact), stageMessages: result.messages, stageFailed: false }
  }

  private stages: Record<Kind, StagePlugin[]> | undefined

  /**
   * Whether parses keep only top-level blocks: yes unless a plugin of the config (not a built-in) has
   * composition hooks, which may look inside blocks.
   */
  get compact(): boolean {
    this.compactTrees ??= !this.project.plugins.some((p) => !p.name.startsWith('traitgen:') && compositionHooks.some((hook) => p[hook] !== undefined))
    return this.compactTrees
  }

  private compactTrees: boolean | undefined

  /** The parse of a file, made now if its content changed since the last one. */
  private parsed<T extends Trait | Agent | Template>(kind: Kind, id: string): Parsed<T> | undefined {
    const entry = this.entries[kind].get(id)
    if (!entry) return undefined
    const cache = this.parses[kind] as Map<string, Parsed<T>>
    const cached = cache.get(id)
    if (cached && cached.hash === entry.hash) return cached
    if (!entry.file) {
      const failed: Parsed<T> = { hash: entry.hash, value: undefined, messages: entry.readMessages }
      cache.set(id, failed)
      return failed
    }
    const t0 = performance.now()
    const { doc, stageMessages, stageFailed } = this.parseWithPlugins(kind, id, entry.file)
    let value: T | undefined
    if (doc.doc && !stageFailed && !doc.messages.some((m) => m.severity === 'error')) {
      value = (kind === 'trait' ? buildTrait(id, doc.doc, this.options) : kind === 'agent' ? buildAgent(id, doc.doc) : buildTemplate(id, doc.doc, this.options)) as T
    }
    const ms = performance.now() - t0
    this.timings.parse += ms
    this.timings.parsed++
    if (kind === 'trait') {
      this.timings.traitLoads.push(ms + (this.readTimes.get(id) ?? 0))
      this.onTraitOperation?.({ operation: 'parse', trait: id, durationMs: ms, success: value !== undefined && !doc.messages.some((m) => m.severity === 'error') && (value as Trait).ok })
    }
    const result: Parsed<T> = { hash: entry.hash, value, messages: [...doc.messages, ...stageMessages, ...(value?.messages ?? [])] }
    cache.set(id, result)
    return result
  }

  /** Parses made by worker threads for this build, by path; each is taken (and dropped) when its file is parsed. */
  private ahead = new Map<string, AheadReply>()

  /**
   * Parse now, on this thread and `workers` worker threads at once, the files this build is about to parse:
   * those without a current parse, not known from the build cache and not in `cache`. Does nothing when that
   * is too little work to be worth starting threads. Returns how many files the workers parsed.
   */
  async parseAhead(workers: number, cache: ParseCache | undefined): Promise<number> {
    if (workers <= 0) return 0
    this.stages ??= { trait: stagePlugins(this.project.plugins, 'trait'), agent: stagePlugins(this.project.plugins, 'agent'), template: [] }
    const todo: Array<{ kind: Kind; id: string; file: SourceFile }> = []
    let bytes = 0
    for (const kind of ['trait', 'agent', 'template'] as const) {
      // A stage plugin runs on the main thread, on the whole tree.
      if (this.stages[kind].length > 0) continue
      for (const [id, entry] of this.entries[kind]) {
        if (this.parses[kind].get(id)?.hash === entry.hash || this.known.get(entry.path)?.hash === entry.hash) continue
        const file = entry.file
        if (!file || cache?.has(file)) continue
        todo.push({ kind, id, file })
        bytes += file.text.length
      }
    }
    if (todo.length < aheadThreshold.files || bytes < aheadThreshold.bytes) return 0
    const start = performance.now()
    const parsedHere = this.timings.parse
    const owners = new Map(todo.map((t) => [t.file.path, t]))
    const setup = { compact: this.compact, cache: cache?.location() }
    const results = await parseAhead(
      todo.map((t) => t.file),
      workers,
      setup,
      (file) => {
        const owner = owners.get(file.path) as { kind: Kind; id: string }
        this.parsed(owner.kind, owner.id)
      },
    )
    for (const [path, reply] of results) {
      // Copied between threads: share the empty block sites again.
      if (reply.stored) reply.stored.sites = reply.stored.sites.map(shareEmpty)
      this.ahead.set(path, reply)
    }
    // The wall time of the parallel part is parse time; what this thread parsed in it is already counted.
    this.timings.parse += performance.now() - start - (this.timings.parse - parsedHere)
    this.timings.inWorkers += results.size
    return results.size
  }

  /** How many content files there are (unreadable ones included). */
  fileCount(): number {
    return this.entries.trait.size + this.entries.agent.size + this.entries.template.size
  }

  /** Path and content hash of every readable content file, as it is now. */
  *contentHashes(): Generator<{ path: string; hash: string }> {
    for (const kind of ['trait', 'agent', 'template'] as const) for (const entry of this.entries[kind].values()) if (entry.hash) yield { path: entry.path, hash: entry.hash }
  }

  /** Problems of every trait and agent file: from the last parse of the same content, else parsed now. */
  fileMessages(): Message[] {
    const out: Message[] = [...this.discovery.messages]
    for (const kind of ['trait', 'agent', 'template'] as const) {
      for (const [id, entry] of this.entries[kind]) {
        const known = this.known.get(entry.path)
        const live = this.parses[kind].get(id)
        if (live?.hash === entry.hash) {
          // Parsed earlier in this process (watch mode parses everything once it is idle): a hit too.
          this.timings.reused++
          out.push(...live.messages)
        } else if (known && known.hash === entry.hash) {
          this.timings.reused++
          out.push(...known.messages)
        } else out.push(...(this.parsed(kind, id)?.messages ?? []))
      }
    }
    return out
  }

  /** Problems and names of the files whose content is known now, for the persistent cache. */
  knownFiles(): Map<string, KnownFile> {
    const out = new Map<string, KnownFile>()
    for (const kind of ['trait', 'agent', 'template'] as const) {
      for (const [id, entry] of this.entries[kind]) {
        if (!entry.hash) continue
        const live = this.parses[kind].get(id)
        const known = this.known.get(entry.path)
        const stamp = entry.settledStamp
        if (live?.hash === entry.hash) out.set(entry.path, { hash: entry.hash, messages: live.messages, name: live.value && 'name' in live.value.meta ? live.value.meta.name : undefined, stamp })
        else if (known?.hash === entry.hash) out.set(entry.path, known.stamp === stamp ? known : { ...known, stamp })
      }
    }
    return out
  }

  /** Template names, sorted. */
  templateNames(): string[] {
    return [...this.discovery.templates.keys()]
  }

  /** The template, or undefined if it does not exist or failed to load (its messages say why). */
  template(name: string): Template | undefined {
    return this.parsed<Template>('template', name)?.value
  }

  /** Problems of a template file (reading and parsing). */
  templateMessages(name: string): Message[] {
    return this.parsed<Template>('template', name)?.messages ?? []
  }

  /** Agent ids, sorted. */
  agentIds(): string[] {
    return [...this.discovery.agents.keys()]
  }

  /** The agent, or undefined if it does not exist or failed to load. */
  agent(id: string): Agent | undefined {
    return this.parsed<Agent>('agent', id)?.value
  }

  /** An agent's `name` without parsing its body when an earlier build already knew it. */
  agentName(id: string): string {
    const entry = this.entries.agent.get(id)
    const live = this.parses.agent.get(id)
    if (entry && live?.hash === entry.hash && live.value) return live.value.meta.name
    const known = entry ? this.known.get(entry.path) : undefined
    if (entry && known?.hash === entry.hash && known.name) return known.name
    return (entry?.file ? quickName(entry.file.text) : undefined) ?? path.posix.basename(id)
  }

  /** Messages of one trait file (empty when it is fine or unknown). */
  traitMessages(id: string): Message[] {
    return this.parsed<Trait>('trait', id)?.messages ?? []
  }

  /** Content hash of an input file (agent or trait); undefined when it does not exist. */
  hashOf(kind: Kind, id: string): string | undefined {
    return this.entries[kind].get(id)?.hash
  }

  ids(): readonly string[] {
    return [...this.discovery.traits.keys()]
  }

  get(id: string): Trait | undefined {
    return this.parsed<Trait>('trait', id)?.value
  }

  has(id: string): boolean {
    return this.discovery.traits.has(id)
  }

  byName(name: string): readonly string[] {
    this.names ??= this.nameIndex()
    return this.names.get(name) ?? []
  }

  /** Short name → ids, from each trait's file name and `name` (read without parsing the Markdown when possible). */
  private nameIndex(): Map<string, string[]> {
    const index = new Map<string, string[]>()
    const add = (key: string, id: string) => {
      const list = index.get(key) ?? []
      if (!list.includes(id)) list.push(id)
      index.set(key, list)
    }
    for (const [id, entry] of this.entries.trait) {
      add(path.posix.basename(id), id)
      const name = this.traitName(id, entry)
      if (name) add(name, id)
    }
    return index
  }

  /** The short names a trait answers to: its file name and its `name` (without parsing its body when possible). */
  shortNames(id: string): string[] {
    const entry = this.entries.trait.get(id)
    const name = entry ? this.traitName(id, entry) : undefined
    const base = path.posix.basename(id)
    return name && name !== base ? [base, name] : [base]
  }

  private traitName(id: string, entry: Entry): string | undefined {
    const live = this.parses.trait.get(id)
    if (live?.hash === entry.hash) return live.value?.meta.name
    const known = this.known.get(entry.path)
    if (known?.hash === entry.hash) return known.name
    return entry.file ? quickName(entry.file.text) : undefined
  }

  unusable(id: string): string | undefined {
    const entry = this.discovery.traits.get(id)
    if (entry?.outside) return `trait "${id}" (${entry.path}) is a symbolic link that leads out of the content folders; copy the file in instead`
    for (const [prefix, link] of this.discovery.outsideTraitFolders) {
      if (id.startsWith(`${prefix}/`)) return `trait "${id}" is under ${link}, a symbolic link that leads out of the content folders; copy the files in instead`
    }
    return undefined
  }

  /** Trait ids that are links out of the content folders. */
  outsideTraits(): DiscoveredFile[] {
    return [...this.discovery.traits.values()].filter((t) => t.outside)
  }
}

/** A trait's `name` from its frontmatter's `name:` line alone (no Markdown parse); undefined if absent or unreadable. */
function quickName(text: string): string | undefined {
  const match = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text)
  const line = match ? /^name[ \t]*:.*$/m.exec(match[1] as string) : null
  if (!line) return undefined
  try {
    // One line of YAML: no aliases or nesting can hide in it.
    const value = parseYaml(line[0]).toJS() as Record<string, unknown> | null
    return typeof value?.name === 'string' ? value.name : undefined
  } catch {
    return undefined
  }
}
