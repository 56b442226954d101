// The library API: createTraitgen({ root, config? }) over the build pipeline.
import { composeAgent, composeOptionsOf, type ComposedAgent } from './compose/agent.js'
import { loadProjectConfig, type ProjectConfig } from './config/load.js'
import type { UserConfig } from './config/schema.js'
import { runBuild, traitsFolderOf, type BuildContext, type BuildOptions, type BuildResult } from './build.js'
import { errorFromMessages, TraitNotFoundError } from './errors.js'
import { createMessage } from './model/messages.js'
import { createSourceFile } from './model/source.js'
import { parseDocument } from './parse/document.js'
import { nearestIds } from './resolve/lookup.js'
import { outputPlugins, processOutput } from './plugins/output-stages.js'
import path from 'node:path'
import { DependencyGraph } from './graph.js'
import { hasErrors, sortMessages, uniqueMessages, type Message } from './model/messages.js'
import type { Trait } from './parse/trait.js'
import { createComposeContext, type ComposeState } from './compose/context.js'
import { composeHooks } from './compose/hooks.js'
import type { Placement } from './compose/placement.js'
import { lookupRef } from './resolve/lookup.js'
import { ContentStore, type TraitOperation } from './store.js'
import type { TargetDefinition } from './targets/types.js'
import { sizeOf, traitContent, type Size } from './inspect/sizes.js'
import { startWatchSession, type WatchHandle, type WatchOptions } from './watch/session.js'

/** Options of createTraitgen. */
export interface TraitgenOptions {
  /** Project root. Default: the working directory. */
  root?: string
  /** Config object to use instead of the root's traitgen.config.* file. */
  config?: UserConfig
  /** Path of the config file (relative to root). Default: the first traitgen.config.{ts,mts,js,mjs} found. */
  configPath?: string
  /** Every unknown trait frontmatter key is an error. Default false. */
  strict?: boolean
  /** Receives one event per trait operation (read, parse) for structured logs. Default: none. */
  onTraitOperation?: (event: TraitOperation) => void
  /**
   * Worker threads that parse beside the main thread when a build has much to parse (a cold build): a count
   * (0: none), or `'auto'`, one per core beyond the first, at most 3. Default `'auto'`.
   */
  workers?: number | 'auto'
}

/** A placement as reported by processTraitImports. */
export interface PlacementInfo {
  /** Trait id. */
  id: string
  /** The `#section` slug placed, or undefined for the whole trait. */
  section: string | undefined
  /** The trait's version. */
  version: string
  /** The import group it landed in. */
  group: string
  /** Why it is there: imported, a dependency, or included. */
  reason: Placement['reason']
}

/** A trait dependency graph. */
export interface TraitGraph {
  /** Every trait with its version. */
  nodes: Array<{
    /** Trait id. */
    id: string
    /** Its version. */
    version: string
    /** Its category. */
    category: string
  }>
  /** `from` depends on `to` (dependencies) or includes it. */
  edges: Array<{
    /** The dependant trait id. */
    from: string
    /** The trait id it needs. */
    to: string
    /** A `dependencies` entry or an include. */
    kind: 'dependency' | 'include'
  }>
  /** Agent id → the trait ids it places, in order. */
  agents: Record<string, string[]>
  /** Agent id → the template it is laid out by (agents without one are absent). */
  templates: Record<string, string>
}

/** One row of `traitgen list`. */
export interface ListedItem extends Size {
  kind: 'agent' | 'trait'
  id: string
  /** Traits: the agents that place it; agents: the traits it places. */
  related: string[]
  /** Traits no agent uses. */
  unused: boolean
  /** Agents whose composition failed (sizes are 0). */
  failed: boolean
}

/** The listing. */
export interface LibraryListing {
  agents: ListedItem[]
  traits: ListedItem[]
}

/** One trait in an agent, for explain. */
export interface ExplainedPlacement extends Size {
  id: string
  section: string | undefined
  version: string
  /** `imported in group tools`, `dependency of tools/x`, `included by content/agents/a.md`. */
  why: string
  /** The trait's `estimated_size`, when it declares one. */
  estimatedLines: number | undefined
}

/** explain's answer. */
export interface AgentExplanation {
  agent: string
  placements: ExplainedPlacement[]
  /** The expanded output (claude target). */
  total: Size
  /** The template the agent is laid out by (its `template` key, else the config's default), if any. */
  template: string | undefined
  /** The configured limits, for comparison. */
  limits: { lines?: { min?: number; max?: number }; bytes?: { min?: number; max?: number }; tokens?: { min?: number; max?: number } }
}

/** A checked template, as compileTemplate returns it. */
export interface CompiledTemplate {
  /** The template's name: its path under the templates folder, without `.md`. */
  name: string
  /** Root-relative path of the template file. */
  file: string
  /** Its frontmatter `description` (empty when it has none). */
  description: string
  /** Groups with a `@slot`, in template order. */
  slots: string[]
  /** Placeholder defaults from its frontmatter. */
  variables: Record<string, string | number | boolean>
}

/** The object createTraitgen returns. */
export interface Traitgen {
  /** Build everything (or `options.agents`) and write the outputs. */
  build(options?: BuildOptions): Promise<BuildResult>
  /** Build in memory and compare with the output folders; writes nothing. */
  check(options?: Omit<BuildOptions, 'write' | 'force' | 'clean'>): Promise<BuildResult>
  /** Load one trait by id or short name; throws TraitNotFoundError or TraitValidationError. */
  loadTrait(ref: string): Promise<Trait>
  /** Trait ids in an order where every dependency comes before its dependants; throws on cycles. */
  resolveDependencies(refs: readonly string[]): Promise<string[]>
  /** Problems of a set of traits used together: missing, cyclic, conflicting, invalid. */
  validateTraitSet(refs: readonly string[]): Promise<Message[]>
  /** The traits an agent places, in order, with why each is there. */
  processTraitImports(agentId: string): Promise<PlacementInfo[]>
  /** The `claude` output text of one agent (exactly what `build` writes); throws when it has errors. */
  renderAgent(agentId: string, options?: { stream?: false }): Promise<string>
  /** The same text as chunks, produced as the agent is rendered; their concatenation is what `build` writes. */
  renderAgent(agentId: string, options: { stream: true }): AsyncIterable<string>
  /** One section of the agent's `claude` output: the heading whose slug is `slug`, down to the next heading of its level or above. */
  renderSection(agentId: string, slug: string): Promise<string>
  /** Parse and check a template; its slots and description, or throws TraitValidationError with its problems. */
  compileTemplate(name: string): Promise<CompiledTemplate>
  /** A template's problems (empty when it is fine); TEMPLATE_NOT_FOUND when there is no such template. */
  validateTemplate(name: string): Promise<Message[]>
  /** The trait dependency graph. */
  graph(): Promise<TraitGraph>
  /** Every agent (expanded size) and trait (size, users), for `traitgen list`. */
  list(): Promise<LibraryListing>
  /** An agent's traits in order, why each is there, their sizes, and the total against the limits. */
  explain(agentId: string): Promise<AgentExplanation>
  /** The project's resolved config and folders (CLI commands such as blame read it). */
  project(): Promise<ProjectConfig>
  /** Build, then rebuild what each burst of changes touches until the handle is closed. */
  watch(options: WatchOptions): Promise<WatchHandle>
  /** Release caches and watchers. */
  close(): Promise<void>
}

/** Create a traitgen instance for a project. */
export function createTraitgen(options: TraitgenOptions = {}): Traitgen {
  const root = options.root ?? process.cwd()
  let contextPromise: Promise<BuildContext> | undefined
  const createContext = async (): Promise<BuildContext> => {
    const project: ProjectConfig = await loadProjectConfig(root, { configPath: options.configPath, inline: options.config })
    const targets = project.targetDefinitions
    const store = new ContentStore(project, { strict: options.strict ?? false })
    store.onTraitOperation = options.onTraitOperation
    return { project, store, graph: new DependencyGraph(), targets, strict: options.strict ?? false, workers: options.workers }
  }
  const context = () => {
    contextPromise ??= createContext()
    return contextPromise
  }
  const watchers: WatchHandle[] = []
  const loaded = async () => {
    const ctx = await context()
    ctx.store.refresh()
    return ctx
  }
  const findTrait = (ctx: BuildContext, ref: string, messages: Message[]) => {
    const result = lookupRef(ctx.store, { raw: ref, place: { line: 1, column: 1 } }, '(api)', undefined)
    // A ref to a trait that failed to load resolves to nothing, with no message of its own: the trait's problems say why.
    messages.push(...(result.resolution || result.messages.length > 0 ? result.messages : brokenTraitMessages(ctx, result.touched)))
    return result.resolution
  }
  const composed = async (agentId: string): Promise<ComposedAgent> => {
    const ctx = await loaded()
    const id = ctx.store.agentIds().find((a) => a === agentId || ctx.store.agent(a)?.meta.name === agentId)
    const agent = id === undefined ? undefined : ctx.store.agent(id)
    if (!agent) {
      if (id !== undefined) {
        const file = ctx.store.discovery.agents.get(id)?.path
        throw errorFromMessages(
          ctx.store.fileMessages().filter((m) => m.file === file),
          `agent ${agentId} has errors`,
        )
      }
      throw new TraitNotFoundError('AGENT_NOT_FOUND', `no agent "${agentId}"`, { agent: agentId })
    }
    return composeAgent(agent, ctx.store, composeOptionsOf(ctx.project.config), composeHooks(ctx.project.plugins))
  }

  return {
    async build(buildOptions = {}) {
      return runBuild(await context(), buildOptions)
    },
    async check(checkOptions = {}) {
      return runBuild(await context(), { ...checkOptions, write: false })
    },
    async loadTrait(ref) {
      const ctx = await loaded()
      const messages: Message[] = []
      const resolution = findTrait(ctx, ref, messages)
      if (!resolution) throw errorFromMessages(messages, `trait ${ref} could not be loaded`)
      if (!resolution.trait.ok) throw errorFromMessages(resolution.trait.messages, `trait ${ref} has errors`)
      return resolution.trait
    },
    async resolveDependencies(refs) {
      const { state, placements } = placeAll(await loaded(), refs)
      if (hasErrors(state.messages)) throw errorFromMessages(state.messages, 'dependencies could not be resolved')
      return placements.map((p) => p.resolution.key)
    },
    async validateTraitSet(refs) {
      const { state, placements } = placeAll(await loaded(), refs)
      composeHooks((await context()).project.plugins).checkPlacements(placements, state.context)
      const own = placements.flatMap((p) => p.resolution.trait.messages)
      return sortMessages(uniqueMessages([...state.messages, ...own]))
    },
    async processTraitImports(agentId) {
      const result = await composed(agentId)
      if (!result.ok) throw errorFromMessages([...result.messages, ...result.agent.messages, ...brokenTraitMessages(await context(), result.touched)], `agent ${agentId} has errors`)
      return result.placements.map((p) => ({
        id: p.resolution.trait.id,
        section: p.resolution.section?.slug,
        version: p.resolution.trait.meta.version,
        group: p.group,
        reason: p.reason,
      }))
    },
    renderAgent: ((agentId: string, renderOptions?: { stream?: boolean }) => {
      const whole = async () => {
        const ctx = await context()
        const result = await composed(agentId)
        const messages: Message[] = [...result.messages]
        const text = result.ok ? await renderClaudeFile(ctx, result, messages) : ''
        if (!result.ok || hasErrors(messages)) throw errorFromMessages([...messages, ...brokenTraitMessages(ctx, result.touched)], `agent ${agentId} has errors`)
        return text
      }
      if (!renderOptions?.stream) return whole()
      return streamChunks(whole)
    }) as Traitgen['renderAgent'],
    async renderSection(agentId, slug) {
      const text = await this.renderAgent(agentId)
      const section = sectionOf(text, slug)
      if (section === undefined) {
        const slugs = headingSlugs(text)
        throw new TraitNotFoundError('SECTION_NOT_FOUND', `agent ${agentId} has no section "${slug}"; sections: ${slugs.join(', ') || '(none)'}`, { agent: agentId, section: slug, suggestions: slugs })
      }
      return section
    },
    async compileTemplate(name) {
      const ctx = await loaded()
      const template = ctx.store.template(name)
      if (!template?.ok) throw errorFromMessages(templateProblems(ctx, name), `template ${name} could not be compiled`)
      return {
        name,
        file: template.doc.file.path,
        description: template.meta.description,
        slots: [...template.slots.keys()],
        variables: { ...template.meta.variables },
      }
    },
    async validateTemplate(name) {
      return templateProblems(await loaded(), name)
    },
    async graph() {
      const ctx = await loaded()
      const nodes: TraitGraph['nodes'] = []
      const edges: TraitGraph['edges'] = []
      for (const id of ctx.store.ids()) {
        const trait = ctx.store.get(id)
        if (!trait) continue
        nodes.push({ id, version: trait.meta.version, category: trait.meta.category })
        for (const dep of trait.meta.dependencies) {
          const target = findTraitFrom(ctx, dep.raw, id)
          if (target) edges.push({ from: id, to: target, kind: 'dependency' })
        }
        for (let i = trait.content[0]; i < trait.content[1]; i++) {
          const include = trait.doc.sites[i]?.includes[0]
          if (!include?.valid) continue
          const target = findTraitFrom(ctx, include.ref, id)
          if (target) edges.push({ from: id, to: target, kind: 'include' })
        }
      }
      const agents: Record<string, string[]> = {}
      const templates: Record<string, string> = {}
      for (const id of ctx.store.agentIds()) {
        const agent = ctx.store.agent(id)
        if (!agent) continue
        const result = composeAgent(agent, ctx.store, { ...composeOptionsOf(ctx.project.config), provenance: false }, composeHooks(ctx.project.plugins))
        agents[id] = [...new Set(result.placements.map((p) => p.resolution.trait.id))]
        const template = agent.meta.template ?? ctx.project.config.template
        if (template !== undefined) templates[id] = template
      }
      return { nodes, edges, agents, templates }
    },
    async list() {
      const ctx = await loaded()
      const users = new Map<string, string[]>()
      const agents: ListedItem[] = []
      for (const id of ctx.store.agentIds()) {
        const agent = ctx.store.agent(id)
        const composedAgent = agent ? composeAgent(agent, ctx.store, composeOptionsOf(ctx.project.config), composeHooks(ctx.project.plugins)) : undefined
        const traits = [...new Set(composedAgent?.placements.map((p) => p.resolution.trait.id) ?? [])]
        for (const t of traits) users.set(t, [...(users.get(t) ?? []), id])
        const text = composedAgent?.ok ? renderClaude(ctx, composedAgent, []) : ''
        agents.push({ kind: 'agent', id, ...sizeOf(text), related: traits, unused: false, failed: !composedAgent?.ok })
      }
      const traits: ListedItem[] = ctx.store.ids().map((id) => {
        const trait = ctx.store.get(id)
        const related = users.get(id) ?? []
        return { kind: 'trait', id, ...sizeOf(trait ? traitContent(trait) : ''), related, unused: related.length === 0, failed: !trait?.ok }
      })
      return { agents, traits }
    },
    async explain(agentId) {
      const ctx = await context()
      const result = await composed(agentId)
      const messages: Message[] = []
      const text = result.ok ? renderClaude(ctx, result, messages) : ''
      if (!result.ok || hasErrors(messages)) throw errorFromMessages([...result.messages, ...messages, ...brokenTraitMessages(ctx, result.touched)], `agent ${agentId} has errors`)
      const placements = result.placements.map((p): ExplainedPlacement => {
        const reason = p.reason
        const why = reason.kind === 'import' ? `imported in group ${reason.group}` : reason.kind === 'dependency' ? `dependency of ${reason.of}` : `included by ${reason.by}`
        return {
          id: p.resolution.trait.id,
          section: p.resolution.section?.slug,
          version: p.resolution.trait.meta.version,
          why,
          estimatedLines: p.resolution.trait.meta.estimatedSize,
          ...sizeOf(traitContent(p.resolution.trait, p.resolution.section)),
        }
      })
      const { lines, bytes, tokens } = ctx.project.config.limits
      const template = result.agent.meta.template ?? ctx.project.config.template
      return { agent: result.agent.id, template, placements, total: sizeOf(text), limits: JSON.parse(JSON.stringify({ lines, bytes, tokens })) as AgentExplanation['limits'] }
    },
    async project() {
      return (await context()).project
    },
    async watch(watchOptions) {
      const handle = await startWatchSession(
        {
          context,
          reload: async () => {
            const next = await createContext()
            contextPromise = Promise.resolve(next)
            return next
          },
        },
        watchOptions,
      )
      watchers.push(handle)
      return handle
    },
    async close() {
      await Promise.all(watchers.splice(0).map((w) => w.close()))
      contextPromise = undefined
    },
  }
}

/** A text in chunks of about 64 KiB that end at line ends (the text is rendered first; see the README). */
async function* streamChunks(render: () => Promise<string>): AsyncGenerator<string> {
  const text = await render()
  const size = 65_536
  let from = 0
  while (from < text.length) {
    let to = Math.min(text.length, from + size)
    if (to < text.length) {
      const newline = text.indexOf('\n', to)
      to = newline === -1 ? text.length : newline + 1
    }
    yield text.slice(from, to)
    from = to
  }
}

/** Slugs of the top-level headings of a Markdown text, as sections are addressed. */
function headingSlugs(text: string): string[] {
  return parseDocument(createSourceFile('(output)', '(output)', text)).doc?.headings.map((h) => h.slug) ?? []
}

/** The section of `text` under the heading with this slug, down to the next heading of its level or above. */
function sectionOf(text: string, slug: string): string | undefined {
  const doc = parseDocument(createSourceFile('(output)', '(output)', text)).doc
  const heading = doc?.headings.find((h) => h.slug === slug)
  if (!doc || !heading) return undefined
  const next = doc.headings.find((h) => h.index > heading.index && h.depth <= heading.depth)
  const start = doc.blocks[heading.index]?.position?.start.offset ?? 0
  const end = next ? (doc.blocks[next.index]?.position?.start.offset ?? text.length) : text.length
  return `${text.slice(start, end).replace(/\n+$/, '')}\n`
}

/** The problems of a template, or TEMPLATE_NOT_FOUND with the nearest names. */
function templateProblems(ctx: BuildContext, name: string): Message[] {
  const names = ctx.store.templateNames()
  if (!names.includes(name)) {
    const suggestions = nearestIds(names, name)
    const folder = path.relative(ctx.project.root, ctx.project.templatesDir).split(path.sep).join('/')
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : ''
    return [createMessage('error', 'TEMPLATE_NOT_FOUND', `no template "${name}" in ${folder}${hint}`, folder, undefined, { template: name, suggestions })]
  }
  ctx.store.template(name)
  return ctx.store.templateMessages(name)
}

/** The `claude` file of a composed agent as `build` writes it: rendered, then through the document and output plugins and validators. */
async function renderClaudeFile(ctx: BuildContext, composed: ComposedAgent, messages: Message[]): Promise<string> {
  const spec = ctx.project.targets.find((t) => t.name === 'claude') ?? { name: 'claude', dir: 'output/agents' }
  const target = ctx.targets.get('claude') as TargetDefinition
  const file = target.renderAgent({ dir: spec.dir, composed, messages, traitsFolder: traitsFolderOf(ctx.project) })[0]
  if (!file) return ''
  const agent = composed.agent
  const processed = await processOutput(outputPlugins(ctx.project.plugins), file, { agent: agent.id, agentFile: agent.doc.file.path, frontmatter: agent.doc.frontmatter?.data ?? {}, target: 'claude' }, messages)
  return processed.file.text
}

/** The `claude` target's text for a composed agent (what `build` writes there). */
function renderClaude(ctx: BuildContext, composed: ComposedAgent, messages: Message[]): string {
  const spec = ctx.project.targets.find((t) => t.name === 'claude') ?? { name: 'claude', dir: 'output/agents' }
  const target = ctx.targets.get('claude') as TargetDefinition
  return target.renderAgent({ dir: spec.dir, composed, messages, traitsFolder: traitsFolderOf(ctx.project) })[0]?.text ?? ''
}

/**
 * The problems of the traits a lookup touched that failed to load (why an agent or a ref failed when it has no
 * message of its own). `touched` holds trait ids and `name:<short name>` keys; a short name stands for every
 * trait it names.
 */
function brokenTraitMessages(ctx: BuildContext, touched: Iterable<string>): Message[] {
  const ids = new Set<string>()
  for (const key of touched) for (const id of key.startsWith('name:') ? ctx.store.byName(key.slice('name:'.length)) : [key]) ids.add(id)
  return [...ids].flatMap((id) => ctx.store.traitMessages(id))
}

/** Place refs (API calls, no group) with their dependencies, as an agent's imports would, through the plugins' `resolveImports`. */
function placeAll(ctx: BuildContext, refs: readonly string[]): { state: ComposeState; placements: readonly Placement[] } {
  const hooks = composeHooks(ctx.project.plugins)
  const state = createComposeContext(ctx.store, hooks, composeOptionsOf(ctx.project.config), undefined, [ctx.project.config.variables])
  const imports = [{ group: '', refs: refs.map((raw) => ({ raw, place: { line: 1, column: 1 } })) }]
  return { state, placements: hooks.resolveImports(undefined, imports, state.context) }
}

function findTraitFrom(ctx: BuildContext, raw: string, from: string): string | undefined {
  const folder = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : undefined
  return lookupRef(ctx.store, { raw, place: { line: 1, column: 1 } }, '(api)', folder).resolution?.trait.id
}
