// The dependency map: which inputs (trait ids, short names, files) each agent used, for incremental rebuilds.

/** Agent → inputs, with the reverse index. Inputs are trait ids, `name:<short name>` lookups and file paths. */
export class DependencyGraph {
  private forward = new Map<string, Set<string>>()
  private reverse = new Map<string, Set<string>>()

  /** Record that `agent` used `input`. */
  addDependency(agent: string, input: string): void {
    let inputs = this.forward.get(agent)
    if (!inputs) {
      inputs = new Set()
      this.forward.set(agent, inputs)
    }
    inputs.add(input)
    let agents = this.reverse.get(input)
    if (!agents) {
      agents = new Set()
      this.reverse.set(input, agents)
    }
    agents.add(agent)
  }

  /** Forget an agent's inputs before recording them again. */
  resetNode(agent: string): void {
    for (const input of this.forward.get(agent) ?? []) this.reverse.get(input)?.delete(agent)
    this.forward.delete(agent)
  }

  /** Agents that used `input`, sorted. */
  dependantsOf(input: string): string[] {
    return [...(this.reverse.get(input) ?? [])].sort()
  }

  /** Inputs of `agent`, sorted. */
  inputsOf(agent: string): string[] {
    return [...(this.forward.get(agent) ?? [])].sort()
  }
}
