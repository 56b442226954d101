// toMermaid (public API) on graphs whose agents name traits the graph has no node for.
import { describe, expect, it } from 'vitest'
import { toMermaid } from '../../src/index.js'

describe('toMermaid', () => {
  it('an agent trait without a node, and an edge to one, draw no arrow; the agent still points at the traits it has', () => {
    const text = toMermaid({
      nodes: [{ id: 't/x', version: '1.0.0', category: 't' }],
      edges: [{ from: 't/x', to: 't/gone', kind: 'dependency' }],
      agents: { a: ['t/gone', 't/x'] },
      templates: {},
    })
    expect(text).toBe(['graph LR', '  t0["t/x@1.0.0"]', '  a0(["a"])', '  a0 --> t0', ''].join('\n'))
  })
})
