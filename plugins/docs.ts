// Target `docs`: a folder of CommonMark pages for a docs site: one per agent and per trait, and an index with the graph.
import path from 'node:path'
import { stringify } from 'yaml'
import {
  renderAgentMarkdown,
  toMermaid,
  type ComposedAgent,
  type LibraryAgent,
  type LibraryContext,
  type LibraryTrait,
  type SourceMap,
  type TargetDefinition,
  type TargetFile,
  type TraitGraph,
} from '../src/index.js'

/** The docs-site target: `<dir>/index.md`, `<dir>/agents/<agent id>.md`, `<dir>/traits/<trait id>.md`. */
export const docsTarget: TargetDefinition = {
  name: 'docs',
  defaultDir: 'docs',
  renderAgent({ dir, composed, messages, traitsFolder }) {
    const pagePath = agentPage(dir, composed.agent.id)
    // The body is rendered for this page's path, so its relative links are rewritten to work from here;
    // a link to another trait's file goes to that trait's page.
    const mapLink = (target: string) => {
      if (!target.startsWith(`${traitsFolder}/`) || !target.endsWith('.md')) return undefined
      return traitPage(dir, target.slice(traitsFolder.length + 1, -'.md'.length))
    }
    const body = renderAgentMarkdown(composed, pagePath, messages, { frontmatter: false, mapLink })
    const header = [
      frontmatter(composed.agent.meta.name, composed.agent.meta.description),
      '',
      '## Traits',
      '',
      ...agentTraitList(dir, pagePath, composed),
    ]
    return [prepend(pagePath, header, body)]
  },
  renderLibrary(context) {
    const library = new Library(context)
    return [library.index(), ...library.traits.map((trait) => library.traitPage(trait))]
  },
}

/** Frontmatter every page carries. `mdx.format: md` makes Docusaurus 3 read the page as CommonMark, not MDX. */
function frontmatter(title: string, description: string): string {
  return `---\n${stringify({ title, description, mdx: { format: 'md' } }, { lineWidth: 0 })}---`
}

const agentPage = (dir: string, id: string) => `${dir}/agents/${id}.md`
const traitPage = (dir: string, id: string) => `${dir}/traits/${id}.md`

/** A link destination from one page to another, relative, with the characters CommonMark destinations refuse encoded. */
function href(fromPage: string, toPage: string): string {
  const relative = path.posix.relative(path.posix.dirname(fromPage), toPage)
  return encodeURI(relative).replace(/\(/g, '%28').replace(/\)/g, '%29')
}

/** Text safe to put inline (link text, list items, table cells): one line, Markdown punctuation escaped. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|#]/g, '\\$&')
}

/** A description as inline Markdown: one line, `|` escaped (table cells). */
function prose(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The agent page's trait list: each trait once, in the order the agent places them. */
function agentTraitList(dir: string, pagePath: string, composed: ComposedAgent): string[] {
  const seen = new Set<string>()
  const lines: string[] = []
  for (const { resolution } of composed.placements) {
    const { trait } = resolution
    if (seen.has(trait.id)) continue
    seen.add(trait.id)
    const description = trait.meta.description ? ` — ${prose(trait.meta.description)}` : ''
    lines.push(`- [${inline(trait.id)}](${href(pagePath, traitPage(dir, trait.id))}) (${inline(trait.meta.version)})${description}`)
  }
  return lines.length > 0 ? lines : ['This agent uses no traits.']
}

/** Put generated lines (and a blank line) before a rendered body, shifting its source map to match. */
function prepend(pagePath: string, header: string[], body: { text: string; sourceMap: SourceMap }): TargetFile {
  const empty = body.text.trim() === ''
  // One entry per line: a header entry may hold several (the frontmatter).
  const generated = (empty ? header : [...header, '']).join('\n').split('\n')
  const shift = generated.length
  const runs: SourceMap['runs'] = [[1, -1, 0, shift]]
  if (!empty) for (const [out, index, line, count] of body.sourceMap.runs) runs.push([out + shift, index, line, count])
  return {
    path: pagePath,
    text: `${generated.join('\n')}\n${empty ? '' : body.text}`,
    sourceMap: { sources: empty ? [] : body.sourceMap.sources, runs },
  }
}

/** The library-wide pages, with lookups shared between them. */
class Library {
  readonly dir: string
  readonly agents: LibraryAgent[]
  readonly traits: LibraryTrait[]
  private readonly agentById: Map<string, LibraryAgent>
  private readonly traitIds: Set<string>

  constructor(context: LibraryContext) {
    this.dir = context.dir
    this.agents = [...context.agents].sort((a, b) => byString(a.id, b.id))
    this.traits = [...context.traits].sort((a, b) => byString(a.id, b.id))
    this.agentById = new Map(this.agents.map((a) => [a.id, a]))
    this.traitIds = new Set(this.traits.map((t) => t.id))
  }

  /** `<dir>/index.md`: agents, traits by category, and the dependency graph. */
  index(): TargetFile {
    const pagePath = `${this.dir}/index.md`
    const lines = [
      frontmatter('Agent library', `${count(this.agents.length, 'agent')} and ${count(this.traits.length, 'trait')}, composed by traitgen.`),
      '',
      '## Agents',
      '',
    ]
    if (this.agents.length === 0) lines.push('No agents.')
    else {
      lines.push('| Agent | Description | Traits |', '| --- | --- | --- |')
      for (const agent of this.agents) {
        // A failed agent has no page from this build, so it gets no link.
        const name = agent.ok ? `[${inline(agent.name)}](${href(pagePath, agentPage(this.dir, agent.id))})` : `${inline(agent.name)} (failed to build)`
        lines.push(`| ${name} | ${prose(agent.description)} | ${agent.ok ? agent.traits.length : '—'} |`)
      }
    }
    lines.push('', '## Traits', '')
    if (this.traits.length === 0) lines.push('No traits.')
    const categories = [...new Set(this.traits.map((t) => t.category))].sort(byString)
    for (const category of categories) {
      lines.push(`### ${inline(category)}`, '', '| Trait | Version | Description | Used by |', '| --- | --- | --- | --- |')
      for (const trait of this.traits.filter((t) => t.category === category)) {
        const link = `[${inline(trait.id)}](${href(pagePath, traitPage(this.dir, trait.id))})`
        lines.push(`| ${link} | ${inline(trait.version)} | ${prose(trait.description)} | ${trait.users.length} |`)
      }
      lines.push('')
    }
    if (this.traits.length > 0 || this.agents.length > 0) {
      lines.push(
        ...(categories.length > 0 ? [] : ['']),
        '## Dependency graph',
        '',
        'Solid arrows: dependencies; dotted: includes; rounded nodes are agents, pointing at the traits they import.',
        '',
        '```mermaid',
        toMermaid(this.graph()).trimEnd(),
        '```',
      )
    }
    return page(pagePath, lines)
  }

  /** `<dir>/traits/<id>.md`: what the trait is, who uses it, what it needs, then its text as written. */
  traitPage(trait: LibraryTrait): TargetFile {
    const pagePath = traitPage(this.dir, trait.id)
    const lines = [frontmatter(trait.name ?? trait.id.slice(trait.id.lastIndexOf('/') + 1), trait.description || `Trait ${trait.id}.`), '']
    if (!trait.ok) lines.push('> **Warning:** this trait has errors; agents that use it do not build.', '')
    lines.push(
      `- **Id:** \`${trait.id}\``,
      `- **Version:** ${inline(trait.version)}`,
      `- **Category:** ${inline(trait.category)}`,
      `- **Source:** \`${trait.file}\``,
      '',
      '## Used by',
      '',
    )
    const users = [...new Set(trait.users)].sort(byString)
    if (users.length === 0) lines.push('No agent uses this trait.')
    for (const id of users) {
      const agent = this.agentById.get(id)
      lines.push(agent?.ok ? `- [${inline(agent.name)}](${href(pagePath, agentPage(this.dir, id))})` : `- ${inline(agent?.name ?? id)}`)
    }
    lines.push('', '## Depends on', '', ...this.traitLinks(pagePath, trait.dependencies, 'No dependencies.'))
    if (trait.includes.length > 0) lines.push('', '## Includes', '', ...this.traitLinks(pagePath, trait.includes, ''))
    lines.push('', '## Text', '', normalise(trait.body))
    return page(pagePath, lines)
  }

  private traitLinks(pagePath: string, ids: readonly string[], none: string): string[] {
    const unique = [...new Set(ids)]
    if (unique.length === 0) return [none]
    return unique.map((id) => (this.traitIds.has(id) ? `- [${inline(id)}](${href(pagePath, traitPage(this.dir, id))})` : `- ${inline(id)} (not found)`))
  }

  /** The library as the graph command sees it, so the index draws the same picture as `traitgen graph --format mermaid`. */
  private graph(): TraitGraph {
    return {
      templates: {},
      nodes: this.traits.map((t) => ({ id: t.id, version: t.version, category: t.category })),
      edges: this.traits.flatMap((t) => [
        ...[...new Set(t.dependencies)].map((to) => ({ from: t.id, to, kind: 'dependency' as const })),
        ...[...new Set(t.includes)].map((to) => ({ from: t.id, to, kind: 'include' as const })),
      ]),
      agents: Object.fromEntries(this.agents.map((a) => [a.id, a.ok ? a.traits : []])),
    }
  }
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`

/** LF line endings, no BOM, no trailing blank lines. */
function normalise(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/^\n+/, '').trimEnd()
}

/** A generated page: the lines joined, one final newline, no source map. */
function page(pagePath: string, lines: string[]): TargetFile {
  return { path: pagePath, text: `${normalise(lines.join('\n'))}\n`, sourceMap: undefined }
}
