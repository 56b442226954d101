// The trait dependency graph as Mermaid, Graphviz DOT or JSON, whole or one agent's part of it.
import type { TraitGraph } from '../traitgen.js'

/** The part of the graph one agent uses: its traits, the edges among them, and the agent itself. */
export function agentSubgraph(graph: TraitGraph, agent: string): TraitGraph {
  const ids = new Set(graph.agents[agent] ?? [])
  return {
    nodes: graph.nodes.filter((n) => ids.has(n.id)),
    edges: graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to)),
    agents: { [agent]: [...ids] },
    templates: graph.templates[agent] === undefined ? {} : { [agent]: graph.templates[agent] },
  }
}

const quote = (text: string) => text.replace(/"/g, '#quot;')

/** Mermaid flowchart: `dependant --> dependency`, includes dotted, agents as rounded nodes. */
export function toMermaid(graph: TraitGraph): string {
  const key = new Map<string, string>()
  const lines = ['graph LR']
  graph.nodes.forEach((node, index) => {
    key.set(node.id, `t${index}`)
    lines.push(`  t${index}["${quote(node.id)}@${node.version}"]`)
  })
  for (const [index, agent] of Object.keys(graph.agents).entries()) lines.push(`  a${index}(["${quote(agent)}"])`)
  for (const edge of graph.edges) {
    const from = key.get(edge.from)
    const to = key.get(edge.to)
    if (from && to) lines.push(edge.kind === 'include' ? `  ${from} -. include .-> ${to}` : `  ${from} --> ${to}`)
  }
  Object.entries(graph.agents).forEach(([, traits], index) => {
    const placed = new Set(traits)
    // An agent points at the traits nothing else in it depends on (the ones it imports), to keep the picture readable.
    const roots = traits.filter((t) => !graph.edges.some((e) => e.to === t && placed.has(e.from)))
    for (const trait of roots) {
      const to = key.get(trait)
      if (to) lines.push(`  a${index} --> ${to}`)
    }
  })
  return `${lines.join('\n')}\n`
}

/** Graphviz DOT digraph with the same shape. */
export function toDot(graph: TraitGraph): string {
  const id = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  const lines = ['digraph traits {', '  rankdir=LR;', '  node [shape=box];']
  for (const node of graph.nodes) lines.push(`  ${id(node.id)} [label=${id(`${node.id}@${node.version}`)}];`)
  for (const agent of Object.keys(graph.agents)) lines.push(`  ${id(`agent:${agent}`)} [label=${id(agent)}, shape=ellipse];`)
  for (const edge of graph.edges) lines.push(`  ${id(edge.from)} -> ${id(edge.to)}${edge.kind === 'include' ? ' [style=dashed, label="include"]' : ''};`)
  for (const [agent, traits] of Object.entries(graph.agents)) {
    const placed = new Set(traits)
    for (const trait of traits.filter((t) => !graph.edges.some((e) => e.to === t && placed.has(e.from)))) lines.push(`  ${id(`agent:${agent}`)} -> ${id(trait)};`)
  }
  lines.push('}')
  return `${lines.join('\n')}\n`
}
