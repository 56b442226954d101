// The config's `plugins` entries (spec §9), checked in process: each shape a plugin may take, and every
// misuse thrown as INVALID_PLUGIN naming the entry's path and quoting the bad value.
import { describe, expect, it } from 'vitest'
import { TraitConfigError } from '../../src/index.js'
import { normalizePlugins, quote } from '../../src/plugins/normalize.js'

/** The error `normalizePlugins` throws for `entries`. */
function failure(entries: unknown[]): TraitConfigError {
  try {
    normalizePlugins(entries, 'traitgen.config.ts')
  } catch (error) {
    if (error instanceof TraitConfigError) return error
    throw error
  }
  throw new Error('expected normalizePlugins to throw')
}

describe('plugin entries that are accepted', () => {
  it('a bare unified plugin runs at the document stage under its function name, or its index when anonymous', () => {
    function remarkShout() {}
    /** A function without a name, as an inline arrow in an array gets none. */
    const unnamed = () => Object.defineProperty(() => () => {}, 'name', { value: '' })
    const [named, anonymous, pair, anonymousPair] = normalizePlugins([remarkShout, unnamed(), [remarkShout, { loud: true }], [unnamed(), {}]], 'config')
    expect(named).toEqual({ name: 'remarkShout', document: [remarkShout] })
    expect(anonymous?.name).toBe('plugins[1]')
    expect(pair).toEqual({ name: 'remarkShout', document: [[remarkShout, { loud: true }]] })
    expect(anonymousPair?.name).toBe('plugins[3]')
  })

  it('a traitgen plugin object is kept as it is, with its stages, hooks and targets', () => {
    const target = { name: 'plain', defaultDir: 'text', renderAgent: () => [], renderLibrary: () => [] }
    const plugin = { name: 'mine', enforce: 'post', trait: [() => () => {}], output: [[() => () => {}, { x: 1 }]], validate: () => [], targets: [target] }
    expect(normalizePlugins([plugin], 'config')).toEqual([plugin])
  })
})

describe('plugin entries that are misuse', () => {
  it.each<[string, unknown, string]>([
    ['a pair that does not start with a function', ['remark-toc', {}], 'traitgen.config.ts: plugins[0]: a [plugin, options] pair must start with a unified plugin function, not `["remark-toc",{}]`'],
    ['null', null, 'traitgen.config.ts: plugins[0]: expected a traitgen plugin (an object with a `name`) or a unified plugin, not `null`'],
    ['a boolean', true, 'traitgen.config.ts: plugins[0]: expected a traitgen plugin (an object with a `name`) or a unified plugin, not `true`'],
    ['an object without a name', { document: [] }, 'traitgen.config.ts: plugins[0]: a traitgen plugin needs a non-empty string `name`, not `{"document":[]}`'],
    ['an empty name', { name: '' }, 'traitgen.config.ts: plugins[0]: a traitgen plugin needs a non-empty string `name`, not `{"name":""}`'],
    ['a stage that is not a list', { name: 'x', output: () => {} }, 'traitgen.config.ts: plugins[0].output: expected a list of unified plugins (`plugin` or `[plugin, options]`), not `[function output]`'],
    ['a stage pair without a function', { name: 'x', agent: [['nope']] }, 'traitgen.config.ts: plugins[0].agent[0]: expected a unified plugin function or [plugin, options], not `["nope"]`'],
    ['targets that are not a list', { name: 'x', targets: { name: 't' } }, 'traitgen.config.ts: plugins[0].targets: expected a list of target definitions, not `{"name":"t"}`'],
    ['a target without renderAgent', { name: 'x', targets: [{ name: 't' }] }, 'traitgen.config.ts: plugins[0].targets[0]: a target needs a string `name` and a `renderAgent(context)` function, not `{"name":"t"}`'],
    ['a null target', { name: 'x', targets: [null] }, 'traitgen.config.ts: plugins[0].targets[0]: a target needs a string `name` and a `renderAgent(context)` function, not `null`'],
    [
      'a target with an unnamed renderLibrary that is not a function',
      { name: 'x', targets: [{ name: 't', renderAgent: () => [], renderLibrary: 'pages' }] },
      'traitgen.config.ts: plugins[0].targets[0].renderLibrary: expected a function, not `"pages"`',
    ],
    ['a target whose defaultDir is not a string', { name: 'x', targets: [{ name: 't', renderAgent: () => [], defaultDir: 3 }] }, 'traitgen.config.ts: plugins[0].targets[0].defaultDir: expected a folder name, not `3`'],
    ['a hook that is not a function', { name: 'x', buildEnd: 'done' }, 'traitgen.config.ts: plugins[0].buildEnd: expected a function, not `"done"`'],
  ])('%s is INVALID_PLUGIN at its path', (_what, entry, message) => {
    const error = failure([entry])
    expect(error.code).toBe('INVALID_PLUGIN')
    expect(error.message).toBe(message)
  })

  it('the path names the entry by its index in the list', () => {
    expect(failure([{ name: 'ok' }, { name: 'x', trait: [1] }]).message).toMatch(/^traitgen\.config\.ts: plugins\[1\]\.trait\[0\]: /)
  })
})

describe('quote: a bad value, short and printable', () => {
  it('names functions, quotes strings, prints other scalars as they are', () => {
    expect(quote(undefined)).toBe('undefined (is the import or export missing?)')
    expect(quote(function remarkToc() {})).toBe('[function remarkToc]')
    expect(quote(Object.defineProperty(() => {}, 'name', { value: '' }))).toBe('[function anonymous]')
    expect(quote('remark-toc')).toBe('"remark-toc"')
    expect(quote(42)).toBe('42')
    expect(quote(null)).toBe('null')
    expect(quote(Symbol('s'))).toBe('Symbol(s)')
  })

  it('shows functions inside objects by name, and cuts long values at 80 characters', () => {
    expect(quote({ name: 'x', run: function run() {}, anon: Object.defineProperty(() => {}, 'name', { value: '' }) })).toBe('{"name":"x","run":"[function run]","anon":"[function anonymous]"}')
    const long = quote({ text: 'a'.repeat(200) })
    expect(long).toHaveLength(80)
    expect(long).toBe(`{"text":"${'a'.repeat(68)}...`)
  })

  it('a value JSON cannot hold (a cycle, a bigint) is shown by its type', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(quote(cyclic)).toBe('[object Object]')
    expect(quote([1n])).toBe('[object Array]')
  })
})
