// An example user plugin: a team's policy for every agent — required frontmatter keys and a token budget.
// It uses only the public API, as a plugin in your own repository would (`from 'traitgen'`).
import { estimateTokens, type PluginMessage, type TraitgenPlugin } from '../src/index.js'

/** Options of agentPolicy. */
export interface AgentPolicyOptions {
  /** Frontmatter keys every agent must set (for example `tools`, so no agent silently gets every tool). Default: none. */
  requiredKeys?: readonly string[]
  /** Most tokens an agent's output may have (o200k estimate); over it is an error. Default: no budget. */
  maxTokens?: number
  /** Share of `maxTokens` above which a warning says the agent is close to its budget. Default 0.9. */
  warnAt?: number
}

/** A validator plugin: `plugins: [agentPolicy({ requiredKeys: ['tools'], maxTokens: 20_000 })]`. */
export function agentPolicy(options: AgentPolicyOptions = {}): TraitgenPlugin {
  const required = options.requiredKeys ?? []
  const warnAt = options.warnAt ?? 0.9
  if (options.maxTokens !== undefined && !(options.maxTokens > 0)) throw new TypeError(`agentPolicy: maxTokens must be a positive number, not \`${String(options.maxTokens)}\``)
  return {
    name: 'agent-policy',
    // The options live in this closure: the build cache must see them.
    cacheKey: options,
    validate(document) {
      const messages: PluginMessage[] = []
      // Every target's output reports the same missing key; traitgen shows identical messages once.
      for (const key of required) {
        if (document.frontmatter[key] === undefined) {
          messages.push({ ruleId: 'required-key', message: `agent ${document.agent} has no \`${key}\` key; add \`${key}:\` to its frontmatter` })
        }
      }
      if (options.maxTokens !== undefined) {
        const tokens = estimateTokens(document.text)
        if (tokens > options.maxTokens) {
          messages.push({ ruleId: 'token-budget', message: `${document.path} has ${tokens} tokens, over the budget of ${options.maxTokens}; import fewer traits or export a smaller section` })
        } else if (tokens > options.maxTokens * warnAt) {
          messages.push({ severity: 'warning', ruleId: 'token-budget', message: `${document.path} has ${tokens} tokens, ${Math.round((tokens / options.maxTokens) * 100)}% of the budget of ${options.maxTokens}` })
        }
      }
      return messages
    },
  }
}
