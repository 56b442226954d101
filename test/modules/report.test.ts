// The CLI's report lines, the error classes made from messages, size limits and message order, in-process.
import { describe, expect, it } from 'vitest'
import type { BuildResult, BuildStats } from '../../src/build.js'
import { buildSummary, checkSummary, formatMessage, rebuildLine, statsLines, visibleMessages } from '../../src/cli/report.js'
import { errorFromMessages, TraitDependencyError, TraitNotFoundError, TraitProcessingError, TraitValidationError } from '../../src/errors.js'
import { createMessage, sortMessages, uniqueMessages, type Message } from '../../src/model/messages.js'
import { createSourceFile, pointAt } from '../../src/model/source.js'
import type { OutputRecord } from '../../src/output/commit.js'
import { checkSizeLimits } from '../../src/validate.js'
import type { WatchEvent } from '../../src/watch/session.js'

function stats(agents: Partial<BuildStats['agents']> = {}, budgets: BuildStats['budgets'] = []): BuildStats {
  return {
    phases: { load: 1, parse: 2, resolve: 3, splice: 4, validate: 5, write: 6 },
    totalMs: 12.4,
    agents: { total: 0, built: 0, failed: 0, upToDate: 0, ...agents },
    traits: 7,
    traitLoadP95: 0.5,
    cacheHitRate: 0.875,
    read: { files: 12, read: 4 },
    parsed: { files: 12, fromCache: 9, inWorkers: 0, workers: 0 },
    peakRssMb: 90,
    maxResolveMs: 1.5,
    maxRenderMs: 7.25,
    budgets,
  }
}

function result(fields: { messages?: Message[]; outputs?: Array<OutputRecord['status']>; agents?: Partial<BuildStats['agents']>; failed?: string[]; budgets?: BuildStats['budgets'] }): BuildResult {
  const messages = fields.messages ?? []
  return {
    ok: !messages.some((m) => m.severity === 'error'),
    messages,
    outputs: (fields.outputs ?? []).map((status, i) => ({ path: `output/agents/a${i}.md`, agent: `a${i}`, target: 'claude', status })),
    stats: stats(fields.agents, fields.budgets),
    agents: { built: [], failed: fields.failed ?? [] },
  }
}

const error = createMessage('error', 'TRAIT_NOT_FOUND', 'no trait "x"', 'content/agents/a.md', { line: 4, column: 7 })
const warning = createMessage('warning', 'PATH_OUTSIDE_ROOT', 'a link', 'content/traits/l.md')
const info = createMessage('info', 'PERFORMANCE_BUDGET', 'slow', 'content/agents/a.md', { line: 1, column: 1 })

describe('report', () => {
  it('formats a message as file:line:column: severity CODE text, coloured only when asked', () => {
    expect(formatMessage(error, false)).toBe('content/agents/a.md:4:7: error TRAIT_NOT_FOUND no trait "x"')
    expect([error, warning, info].map((m) => formatMessage(m, true).split(' ')[1])).toEqual(['\u001b[31merror\u001b[39m', '\u001b[33mwarning\u001b[39m', '\u001b[36minfo\u001b[39m'])
  })

  it('shows infos with --verbose only, and hides warnings with --quiet', () => {
    const all = [error, warning, info]
    expect(visibleMessages(all, { color: false, quiet: false, verbose: false })).toEqual([error, warning])
    expect(visibleMessages(all, { color: false, quiet: true, verbose: true })).toEqual([error, info])
  })

  it('summarises a build: up to date, or counts of files, failures and messages in the singular and plural', () => {
    expect(buildSummary(result({ agents: { built: 1, upToDate: 1 }, outputs: ['unchanged'] }))).toBe('1 agent up to date, in 12 ms')
    expect(buildSummary(result({ agents: { built: 3, upToDate: 3 } }))).toBe('3 agents up to date, in 12 ms')
    expect(buildSummary(result({ agents: { built: 2, failed: 1, upToDate: 1 }, outputs: ['written', 'deleted', 'unchanged'], messages: [error, warning] }))).toBe(
      'built 2 agents, 1 failed (1 written, 1 deleted, 1 unchanged, 1 agent up to date), 1 error, 1 warning, in 12 ms',
    )
    expect(buildSummary(result({ agents: { built: 1, upToDate: 2 }, messages: [error, error, warning, warning] }))).toBe('built 1 agent (0 written, 0 unchanged, 2 agents up to date), 2 errors, 2 warnings, in 12 ms')
  })

  it('summarises a check: current, or what is stale, missing and extra, and the content errors apart from those', () => {
    expect(checkSummary(result({ agents: { built: 2 }, outputs: ['unchanged', 'unchanged'] }))).toBe('check: output is current (2 agents, 2 files) in 12 ms')
    const stale = createMessage('error', 'STALE_OUTPUT', 'stale', 'output/agents/a0.md')
    expect(checkSummary(result({ outputs: ['stale', 'missing', 'extra', 'extra'], messages: [stale] }))).toBe('check: 1 stale, 1 missing, 2 extra; run traitgen build')
    expect(checkSummary(result({ messages: [error] }))).toBe('check: 0 stale, 0 missing, 0 extra, 1 error in content; run traitgen build')
    expect(checkSummary(result({ messages: [error, { ...error, line: 5 }] }))).toBe('check: 0 stale, 0 missing, 0 extra, 2 errors in content; run traitgen build')
  })

  it('prints --stats with the budgets line only when budgets were checked', () => {
    expect(statsLines(result({}))).toEqual([
      'phases: load 1 ms, parse 2 ms, resolve 3 ms, splice 4 ms, validate 5 ms, write 6 ms',
      'traits: 7, trait load p95 0.5 ms, slowest resolution 1.5 ms, slowest render 7.25 ms, cache hit rate 87.5%, peak memory 90 MB',
      'read: 4 of 12 content files (the others are as the last build recorded them)',
      'parsed: 12 files, 9 of them from the parse cache',
    ])
    const budgets = [
      { name: 'maxLoadTimeMs', limit: 500, value: 0.5, met: true },
      { name: 'minCacheHitRate', limit: 0.95, value: 0.875, met: false },
    ]
    expect(statsLines(result({ budgets }))[4]).toBe('budgets: maxLoadTimeMs 500 met (0.5), minCacheHitRate 0.95 MISSED (0.875)')
  })

  it('says in one line what a watch rebuild did: what changed, rebuilt of total, failed, recovered', () => {
    const event = (fields: Partial<WatchEvent>): WatchEvent => ({ event: 'rebuild', changed: [], rebuilt: [], total: 5, recovered: [], result: undefined, error: undefined, ms: 41.6, ...fields })
    expect(rebuildLine(event({}))).toBe('change changed: rebuilt 0 of 5 agents in 42 ms')
    expect(rebuildLine(event({ changed: ['content/traits/t.md'], rebuilt: ['a', 'b'], result: result({ failed: ['b'] }) }))).toBe(
      'content/traits/t.md changed: rebuilt 1 of 5 agents, 1 failed in 42 ms',
    )
    expect(rebuildLine(event({ changed: ['x.md', 'y.md', 'z.md'], rebuilt: ['a', 'c'], recovered: ['a', 'c'], result: result({}) }))).toBe(
      'x.md and 2 more changed: rebuilt 2 of 5 agents, 2 recovered (a, c) in 42 ms',
    )
  })
})

describe('errorFromMessages', () => {
  it('picks the class from the first error, with its place and every message in the context', () => {
    const cycle = createMessage('error', 'DEPENDENCY_CYCLE', 'a → b → a', 'content/traits/a.md', { line: 2, column: 15 }, { path: ['a', 'b', 'a'] })
    const made = errorFromMessages([info, cycle, error], 'fallback')
    expect(made).toBeInstanceOf(TraitDependencyError)
    expect([made.code, made.message, made.context.line, made.context.path, made.context.messages]).toEqual(['DEPENDENCY_CYCLE', 'content/traits/a.md:2:15: a → b → a', 2, ['a', 'b', 'a'], [info, cycle, error]])
    expect(errorFromMessages([error], 'fallback')).toBeInstanceOf(TraitNotFoundError)
    const yaml = errorFromMessages([createMessage('error', 'YAML_SYNTAX', 'bad', 'content/traits/y.md', { line: 3, column: 1 })], 'fallback')
    expect([yaml instanceof TraitValidationError, yaml.name, yaml.toJSON().code]).toEqual([true, 'TraitValidationError', 'YAML_SYNTAX'])
  })

  it('without an error among the messages: UNKNOWN, with the fallback text', () => {
    const made = errorFromMessages([warning], 'could not render agent "a"')
    expect(made.constructor).toBe(TraitProcessingError)
    expect(made.toJSON()).toEqual({ name: 'TraitProcessingError', code: 'UNKNOWN', message: 'could not render agent "a"', context: {}, timestamp: made.timestamp })
  })
})

describe('checkSizeLimits', () => {
  it('reports each measure past its max or below its min, and counts tokens only under a token limit', () => {
    const text = 'one\ntwo\nthree\n'
    expect(checkSizeLimits(text, 'output/agents/a.md', {})).toEqual([])
    expect(checkSizeLimits(text, 'output/agents/a.md', { lines: { min: 1, max: 2 }, bytes: { min: 100 } }).map((m) => [m.code, m.context])).toEqual([
      ['SIZE_LIMIT', { measure: 'lines', value: 3, limit: 2 }],
      ['SIZE_LIMIT', { measure: 'bytes', value: 14, limit: 100 }],
    ])
    const tokens = checkSizeLimits(text, 'output/agents/a.md', { tokens: { max: 1 } })
    expect(tokens.map((m) => m.context?.measure)).toEqual(['tokens'])
    expect(tokens[0]?.message).toMatch(/^output\/agents\/a\.md has \d+ tokens, more than limits\.tokens\.max \(1\); import fewer traits or raise the limit$/)
  })
})

describe('messages and places', () => {
  it('sorts by file, line, column, code, then text, and drops exact duplicates only', () => {
    const at = (code: Message['code'], text: string) => createMessage('error', code, text, 'f.md', { line: 1, column: 1 })
    const sorted = sortMessages([at('YAML_SYNTAX', 'b'), at('YAML_SYNTAX', 'a'), at('EMPTY_TRAIT', 'z'), error])
    expect(sorted.map((m) => `${m.file} ${m.code} ${m.message}`)).toEqual(['content/agents/a.md TRAIT_NOT_FOUND no trait "x"', 'f.md EMPTY_TRAIT z', 'f.md YAML_SYNTAX a', 'f.md YAML_SYNTAX b'])
    expect(uniqueMessages([error, { ...error }, { ...error, severity: 'warning' }])).toEqual([error, { ...error, severity: 'warning' }])
  })

  it('a byte-order mark is dropped and CRLF becomes LF before offsets are counted', () => {
    const file = createSourceFile('a.md', '/a.md', '\ufeffone\r\ntwo\rthree')
    expect(file.text).toBe('one\ntwo\nthree')
    expect([pointAt(file, 0), pointAt(file, 4), pointAt(file, 9)]).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 1 },
      { line: 3, column: 2 },
    ])
  })
})
