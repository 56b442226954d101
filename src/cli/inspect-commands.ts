// The authoring commands: list, explain, graph, blame and init (human text, or --json).
import type { Command } from 'commander'
import type { Traitgen } from '../traitgen.js'
import type { ListedItem } from '../traitgen.js'

interface Globals {
  json?: boolean
}

type Open = () => Promise<Traitgen>
type SetExit = (code: number) => void

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
const json = (value: unknown): void => {
  out(JSON.stringify(value))
}

/** A left-aligned text table: a header row, then rows of the same number of cells. */
function table(header: string[], body: string[][]): string {
  const rows = [header, ...body]
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)))
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number))).join('  ').trimEnd()).join('\n')
}

/** Register list, explain, graph, blame and init on the program. */
export function registerInspectCommands(program: Command, open: Open, setExit: SetExit): void {
  const globals = () => program.opts<Globals>()

  program
    .command('list')
    .description('agents and traits with their sizes; traits no agent uses are flagged')
    .option('--sort <key>', 'name or size', 'name')
    .addHelpText('after', '\nExample:\n  $ traitgen list --sort size\n')
    .action(async (options: { sort: string }) => {
      if (options.sort !== 'name' && options.sort !== 'size') throw usage(`--sort takes name or size, not "${options.sort}"`)
      const listing = await (await open()).list()
      // The items come in id order and sort() is stable: equal sizes stay in id order.
      const order = (items: ListedItem[]) => (options.sort === 'size' ? [...items].sort((a, b) => b.bytes - a.bytes) : items)
      if (globals().json) {
        json(listing)
        return
      }
      const rows = (items: ListedItem[], kind: string) =>
        table(
          [kind, 'lines', 'bytes', '~tokens', ''],
          order(items).map((i) => [i.id, String(i.lines), String(i.bytes), String(i.tokens), i.unused ? 'unused' : i.failed ? 'has errors' : kind === 'agent' ? `${i.related.length} traits` : `used by ${i.related.length}`]),
        )
      out(`${rows(listing.agents, 'agent')}\n\n${rows(listing.traits, 'trait')}`)
      const unused = listing.traits.filter((t) => t.unused).length
      out(`${listing.agents.length} agents, ${listing.traits.length} traits${unused ? `, ${unused} unused` : ''}`)
    })

  program
    .command('explain')
    .description("an agent's traits in placement order, why each is there, and their sizes against the limits")
    .argument('<agent>', 'agent id or name')
    .addHelpText('after', '\nExample:\n  $ traitgen explain code-reviewer\n')
    .action(async (agent: string) => {
      const explanation = await (await open()).explain(agent)
      if (globals().json) {
        json(explanation)
        return
      }
      const rows = table(
        ['#', 'trait', 'version', 'why', 'lines', 'est.', 'bytes', '~tokens'],
        explanation.placements.map((p, i) => [
          String(i + 1),
          p.section ? `${p.id}#${p.section}` : p.id,
          p.version,
          p.why,
          String(p.lines),
          p.estimatedLines === undefined ? '-' : String(p.estimatedLines),
          String(p.bytes),
          String(p.tokens),
        ]),
      )
      const limit = (key: 'lines' | 'bytes' | 'tokens') => {
        const l = explanation.limits[key]
        return l?.max !== undefined ? ` of max ${l.max}` : l?.min !== undefined ? ` (min ${l.min})` : ''
      }
      const t = explanation.total
      const layout = explanation.template === undefined ? '' : `, laid out by template ${explanation.template}`
      out(`${rows}\n\n${explanation.agent}${layout}: ${t.lines} lines${limit('lines')}, ${t.bytes} bytes${limit('bytes')}, ~${t.tokens} tokens${limit('tokens')} (tokens counted with the o200k_base tokenizer)`)
    })

  program
    .command('graph')
    .description('the trait dependency graph (and, with --agent, one agent’s part of it)')
    .option('--format <format>', 'mermaid, dot or json', 'mermaid')
    .option('--agent <id>', "only this agent's traits")
    .addHelpText('after', '\nExamples:\n  $ traitgen graph > graph.mmd\n  $ traitgen graph --format dot --agent code-reviewer | dot -Tsvg > reviewer.svg\n')
    .action(async (options: { format: string; agent?: string }) => {
      if (!['mermaid', 'dot', 'json'].includes(options.format)) throw usage(`--format takes mermaid, dot or json, not "${options.format}"`)
      const { agentSubgraph, toDot, toMermaid } = await import('../inspect/graph-format.js')
      let graph = await (await open()).graph()
      if (options.agent !== undefined) {
        const id = Object.keys(graph.agents).find((a) => a === options.agent)
        if (!id) {
          process.stderr.write(`traitgen: no agent "${options.agent}" (or it has errors); agents: ${Object.keys(graph.agents).join(', ')}\n`)
          return setExit(1)
        }
        graph = agentSubgraph(graph, id)
      }
      if (globals().json || options.format === 'json') {
        json(graph)
        return
      }
      out(options.format === 'dot' ? toDot(graph) : toMermaid(graph))
    })

  program
    .command('blame')
    .description('the source file and line an output line came from')
    .argument('<location>', '<output file>:<line>')
    .addHelpText('after', '\nExample:\n  $ traitgen blame output/agents/code-reviewer.md:120\n')
    .action(async (location: string) => {
      const { blame } = await import('../inspect/blame.js')
      const result = blame(await (await open()).project(), location, process.cwd())
      if (globals().json) json(result)
      else if (result.kind === 'source') out(`${result.file}:${result.sourceLine}: ${result.text}`)
      else if (result.kind === 'generated') out(`${result.output}:${result.line}: generated by traitgen (a group heading, separator or provenance line): ${result.text}`)
      else process.stderr.write(`traitgen: ${result.reason}\n`)
      if (result.kind === 'unknown') setExit(1)
    })

  program
    .command('init')
    .description('a new project (config, two traits, one agent) that builds at once; never overwrites files')
    .argument('[dir]', 'folder to create it in', '.')
    .addHelpText('after', '\nExample:\n  $ traitgen init my-agents && cd my-agents && npx traitgen build\n')
    .action(async (dir: string) => {
      const { initProject } = await import('../inspect/init.js')
      const result = initProject(dir)
      if (globals().json) json(result)
      else if (result.ok) out(`created ${result.created.join(', ')}\nnext: cd ${dir} && npx traitgen build`)
      else process.stderr.write(`traitgen: ${result.reason}\n`)
      setExit(result.ok ? 0 : 2)
    })
}

/** A usage error (exit 2). */
function usage(message: string): Error {
  return Object.assign(new Error(message), { traitgenUsage: true })
}
