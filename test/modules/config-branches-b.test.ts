// Config loading, the less common shapes: a config object whose getter throws, a .mjs config of named exports,
// an error without a stack; in-process (TypeScript configs) and through the CLI (.mjs configs load from dist/).
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProjectConfig, validateConfig } from '../../src/config/load.js'
import { TraitConfigError } from '../../src/errors.js'
import { agentFile, listFiles, readProjectFile, runCli, temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

async function loadError(root: string): Promise<TraitConfigError> {
  const error = await loadProjectConfig(root).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(TraitConfigError)
  return error as TraitConfigError
}

describe('a config object whose getter throws', () => {
  it('is CONFIG_LOAD_FAILED naming the file and the reason (an Error or a thrown string), not an internal error', async () => {
    const withError = project({ 'traitgen.config.ts': "export default { get output(): string { throw new Error('no output today\\nsecond line') } }\n" })
    const error = await loadError(withError)
    expect([error.code, error.message]).toEqual(['CONFIG_LOAD_FAILED', 'could not load traitgen.config.ts: no output today'])
    const withString = project({ 'traitgen.config.ts': "export default { get content(): string { throw 'not telling' } }\n" })
    const thrown = await loadError(withString)
    expect([thrown.code, thrown.message]).toEqual(['CONFIG_LOAD_FAILED', 'could not load traitgen.config.ts: not telling'])
  })

  it('an inline config (library API) is named "config"', () => {
    const inline = Object.defineProperty({}, 'targets', {
      enumerable: true,
      get() {
        throw new TypeError('computed targets failed')
      },
    })
    let error: unknown
    try {
      validateConfig(inline, 'config')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TraitConfigError)
    expect([(error as TraitConfigError).code, (error as TraitConfigError).message]).toEqual(['CONFIG_LOAD_FAILED', 'could not load config: computed targets failed'])
  })

  it('the CLI exits 2 with the message on standard error (it used to exit 3, "internal error")', () => {
    const root = project({
      'traitgen.config.mjs': "export default { get content() { throw new Error('getter broke') } }\n",
      'content/agents/a.md': agentFile(''),
    })
    const run = runCli(['build'], root)
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', 'traitgen: could not load traitgen.config.mjs: getter broke\n'])
    const json = runCli(['build', '--json'], root)
    expect(json.status).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_LOAD_FAILED', message: 'could not load traitgen.config.mjs: getter broke' } })
    expect(listFiles(root)).toEqual(['content/agents/a.md', 'traitgen.config.mjs'])
  })
})

describe('what a config module exports', () => {
  it('a .mjs config without a default export is read as its named exports', () => {
    const root = project({ 'traitgen.config.mjs': "export const output = 'built'\n", 'content/agents/a.md': agentFile('') })
    const run = runCli(['build'], root)
    expect([run.status, run.stderr]).toEqual([0, ''])
    expect(readProjectFile(root, 'built/agents/a.md')).toBe('---\nname: a\ndescription: Test agent\n---\n\nBody.\n')
    expect(listFiles(root).filter((f) => f.startsWith('output/'))).toEqual([])
  })

  it('an Error without a stack: the message alone, no place (.mjs through the CLI, .ts in process)', async () => {
    const thrower = "const e = new Error('thrown without a stack')\ne.stack = undefined\nthrow e\n"
    const root = project({ 'traitgen.config.mjs': thrower, 'content/agents/a.md': agentFile('') })
    const run = runCli(['build'], root)
    expect([run.status, run.stderr]).toEqual([2, 'traitgen: could not load traitgen.config.mjs: thrown without a stack\n'])
    const tsRoot = project({ 'traitgen.config.ts': thrower })
    const error = await loadError(tsRoot)
    expect([error.code, error.message, error.context.file]).toEqual(['CONFIG_LOAD_FAILED', 'could not load traitgen.config.ts: thrown without a stack', path.join(tsRoot, 'traitgen.config.ts')])
  })

  it('an error that names the config file and a line without a column: the place is that line', async () => {
    const root = project({ 'traitgen.config.ts': "throw new Error(`bad value at ${__filename}:7`)\n" })
    const error = await loadError(root)
    expect(error.message).toBe(`could not load traitgen.config.ts:7: bad value at ${path.join(root, 'traitgen.config.ts')}:7`)
  })
})
