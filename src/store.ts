// The content store: discovers, reads and parses traits and agents, reusing parses of unchanged content.
import path from 'node:path'
import type { ProjectConfig } from './config/load.js'
import type { Message } from './model/messages.js'
import { buildAgent, type Agent } from './parse/agent.js'
import { parseDocument } from './parse/document.js'
import { buildTrait, type Trait } from './parse/trait.js'
import { discover, type DiscoveredFile, type Discovery } from './read/discover.js'
import { readSource } from './read/read-source.js'
import type { TraitCatalog } from './resolve/lookup.js'

interface CacheEntry<T> {
  hash: string
  value: T | undefined
  messages: Message[]
}

/** Time spent reading and parsing in the last refresh (ms), per file. */
export interface LoadTimings {
  read: number
  parse: number
  /** Per-trait load times (read + parse), for p95. */
  traitLoads: number[]
  /** Files parsed (cache misses) and reused (hits). */
  parsed: number
  reused: number
}

/** Loaded content: the current traits and agents. */
export class ContentStore implements TraitCatalog {
  private traitCache = new Map<string, CacheEntry<Trait>>()
  private agentCache = new Map<string, CacheEntry<Agent>>()
  private names = new Map<string, string[]>()
  discovery: Discovery = { traits: new Map(), agents: new Map(), templates: new Map(), messages: [] }
  timings: LoadTimings = { read: 0, parse: 0, traitLoads: [], parsed: 0, reused: 0 }

  constructor(
    private project: ProjectConfig,
    private options: { strict: boolean },
  ) {}

  /** Re-discover the content folders and load every trait and agent (unchanged files reuse their parse). */
  refresh(): void {
    this.timings = { read: 0, parse: 0, traitLoads: [], parsed: 0, reused: 0 }
    const start = performance.now()
    this.discovery = discover(this.project.root, {
      traits: this.project.traitsDir,
      agents: this.project.agentsDir,
      templates: this.project.templatesDir,
    })
    this.timings.read += performance.now() - start
    this.traitCache = this.loadAll(this.discovery.traits, this.traitCache, (id, doc) => buildTrait(id, doc, this.options), true)
    this.agentCache = this.loadAll(this.discovery.agents, this.agentCache, (id, doc) => buildAgent(id, doc), false)
    this.names = new Map()
    for (const [id, entry] of this.traitCache) {
      const keys = new Set([path.posix.basename(id)])
      if (entry.value) keys.add(entry.value.meta.name)
      for (const key of keys) {
        const list = this.names.get(key) ?? []
        list.push(id)
        this.names.set(key, list)
      }
    }
  }

  private loadAll<T>(
    files: Map<string, DiscoveredFile>,
    cache: Map<string, CacheEntry<T>>,
    build: (id: string, doc: NonNullable<ReturnType<typeof parseDocument>['doc']>) => T & { messages: Message[] },
    isTrait: boolean,
  ): Map<string, CacheEntry<T>> {
    const next = new Map<string, CacheEntry<T>>()
    for (const [id, entry] of files) {
      if (entry.outside && isTrait) continue
      const t0 = performance.now()
      const read = readSource(entry, this.project.config.limits.traitChars)
      const t1 = performance.now()
      this.timings.read += t1 - t0
      if (!read.file) {
        next.set(id, { hash: '', value: undefined, messages: read.messages })
        continue
      }
      const cached = cache.get(id)
      if (cached && cached.hash === read.file.hash) {
        next.set(id, cached)
        this.timings.reused++
        if (isTrait) this.timings.traitLoads.push(t1 - t0)
        continue
      }
      const parsed = parseDocument(read.file)
      let value: (T & { messages: Message[] }) | undefined
      if (parsed.doc && !parsed.messages.some((m) => m.severity === 'error')) value = build(id, parsed.doc)
      const t2 = performance.now()
      this.timings.parse += t2 - t1
      this.timings.parsed++
      if (isTrait) this.timings.traitLoads.push(t2 - t0)
      next.set(id, { hash: read.file.hash, value, messages: [...parsed.messages, ...(value?.messages ?? [])] })
    }
    return next
  }

  /** Messages of every trait and agent file (their own problems, not their composition). */
  fileMessages(): Message[] {
    const out: Message[] = [...this.discovery.messages]
    for (const entry of this.traitCache.values()) out.push(...entry.messages)
    for (const entry of this.agentCache.values()) out.push(...entry.messages)
    return out
  }

  /** Messages of one trait file (empty when it is fine or unknown). */
  traitMessages(id: string): Message[] {
    return this.traitCache.get(id)?.messages ?? []
  }

  /** Agent ids, sorted. */
  agentIds(): string[] {
    return [...this.discovery.agents.keys()]
  }

  /** The agent, or undefined if it does not exist or failed to load. */
  agent(id: string): Agent | undefined {
    return this.agentCache.get(id)?.value
  }

  /** Content hash of an input file (agent or trait), for the manifest. */
  hashOf(kind: 'trait' | 'agent', id: string): string | undefined {
    return (kind === 'trait' ? this.traitCache : this.agentCache).get(id)?.hash
  }

  ids(): readonly string[] {
    return [...this.discovery.traits.keys()]
  }

  get(id: string): Trait | undefined {
    return this.traitCache.get(id)?.value
  }

  has(id: string): boolean {
    return this.discovery.traits.has(id)
  }

  byName(name: string): readonly string[] {
    return this.names.get(name) ?? []
  }

  unusable(id: string): string | undefined {
    const entry = this.discovery.traits.get(id)
    if (entry?.outside) return `trait "${id}" (${entry.path}) is a symbolic link that leads out of the content folders; copy the file in instead`
    return undefined
  }

  /** Trait ids that are links out of the content folders. */
  outsideTraits(): DiscoveredFile[] {
    return [...this.discovery.traits.values()].filter((t) => t.outside)
  }
}
