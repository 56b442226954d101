// Config loading, the less common shapes: a config object whose getter throws, a .mjs config of named exports,
// an error without a stack; in-process (TypeScript configs) and through the CLI (.mjs configs load from dist/).
import { describe, expect, it } from 'vitest'
import { loadProjectConfig, validateConfig } from '../../src/config/load.js'
import { TraitConfigError } from '../../src/errors.js'
import { agentFile, listFiles, runCli, temporaryProjects } from '../support/project.js'

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
    expect(() => validateConfig(inline, 'config')).toThrow(new TraitConfigError('CONFIG_LOAD_FAILED', 'could not load config: computed targets failed'))
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
