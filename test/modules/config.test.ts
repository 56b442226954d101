// Config loading in-process (TypeScript configs: the .mjs reload hooks load only from dist/): missing roots and files, what a config module exports, validation texts, local imports, reload hooks.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadProjectConfig, localImports, validateConfig } from '../../src/config/load.js'
import { resolve } from '../../src/config/reload-hooks.js'
import { TraitConfigError } from '../../src/errors.js'
import { remarkTraitgen } from '../../src/remark/plugin.js'
import { temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

async function loadError(root: string, options: Parameters<typeof loadProjectConfig>[1] = {}): Promise<TraitConfigError> {
  const error = await loadProjectConfig(root, options).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(TraitConfigError)
  return error as TraitConfigError
}

describe('loadProjectConfig', () => {
  it('a root that does not exist, and a --config file that does not: exit-2 errors with their codes', async () => {
    const root = project({})
    const missingRoot = await loadError(path.join(root, 'nope'))
    expect([missingRoot.code, missingRoot.message]).toEqual(['INVALID_ROOT', `root folder ${path.join(root, 'nope')} does not exist`])
    const missingFile = await loadError(root, { configPath: 'configs/traitgen.mjs' })
    expect([missingFile.code, missingFile.message]).toEqual(['CONFIG_NOT_FOUND', 'config file configs/traitgen.mjs does not exist'])
  })

  it('a config that throws something other than an Error: CONFIG_LOAD_FAILED quoting it', async () => {
    const root = project({ 'traitgen.config.ts': "throw 'broken on purpose'\n" })
    const error = await loadError(root)
    expect([error.code, error.message]).toEqual(['CONFIG_LOAD_FAILED', 'could not load traitgen.config.ts: broken on purpose'])
  })

  it('a config without a default export is read as its named exports, and each unknown one is named', async () => {
    const root = project({ 'traitgen.config.ts': "export const output = 'out'\nexport const colour = 'red'\n" })
    const error = await loadError(root)
    expect([error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      'traitgen.config.ts: unknown key colour (colour); allowed: content, traits, agents, templates, output, targets, variables, template, groups, limits, performance, provenance, plugins',
    ])
  })

  it('follows the config’s relative imports (a .js specifier of a .ts file, a folder index), once each, and skips packages and missing files', async () => {
    const root = project({
      'traitgen.config.ts': "import { vars } from './config/vars.js'\nimport shared from './config/shared'\nimport z from 'zod'\nimport gone from './config/gone.js'\nexport default { variables: vars }\n",
      'config/vars.ts': "import './shared/index.js'\nexport const vars = { a: '1' }\n",
      'config/shared/index.ts': "export * from '../vars.js'\nexport default {}\n",
    })
    const files = localImports(path.join(root, 'traitgen.config.ts')).map((f) => path.relative(root, f))
    expect(files.sort()).toEqual(['config/shared/index.ts', 'config/vars.ts', 'traitgen.config.ts'])
  })
})

describe('validateConfig', () => {
  it('an unknown key names its full path and the keys allowed there; a missing config is the defaults', () => {
    expect(() => validateConfig({ limits: { line: { max: 10 } } }, 'traitgen.config.ts')).toThrow(
      'traitgen.config.ts: unknown key limits.line (line); allowed: lines, bytes, tokens, expandedBytes, traitChars, includeDepth',
    )
    expect(() => validateConfig({ targets: [{ name: 'claude', folder: 'x' }] }, 'config')).toThrow('config: unknown key targets.0.folder (folder); allowed: name, dir')
    expect(() => validateConfig({ targets: [5] }, 'config')).toThrow('config: targets.0: expected a target name or { name, dir }')
    expect(() => validateConfig({ groups: { tools: { title: 'Tools', level: 2 } } }, 'config')).toThrow('config: unknown key groups.tools.level (level); allowed: title')
    expect(() => validateConfig({ performance: { maxLoadTimeMs: -1 } }, 'config')).toThrow(/^config: performance\.maxLoadTimeMs: /)
    expect(validateConfig(undefined, 'config').targets).toEqual(['claude'])
  })
})

describe('reload hooks', () => {
  const next = (url: string) => async () => ({ url })

  it('pass the reload generation from a config to the local files it imports, not to packages or URLs that have one', async () => {
    const parentURL = `${pathToFileURL('/p/traitgen.config.mjs').href}?traitgen-reload=3`
    expect(await resolve('./a.mjs', { parentURL }, next('file:///p/a.mjs'))).toEqual({ url: 'file:///p/a.mjs?traitgen-reload=3' })
    expect(await resolve('./a.mjs', { parentURL }, next('file:///p/a.mjs?x=1'))).toEqual({ url: 'file:///p/a.mjs?x=1&traitgen-reload=3' })
    expect(await resolve('zod', { parentURL }, next('file:///p/node_modules/zod/index.js'))).toEqual({ url: 'file:///p/node_modules/zod/index.js' })
    expect(await resolve('node:fs', { parentURL }, next('node:fs'))).toEqual({ url: 'node:fs' })
    expect(await resolve('./b.mjs', { parentURL }, next('file:///p/b.mjs?traitgen-reload=2'))).toEqual({ url: 'file:///p/b.mjs?traitgen-reload=2' })
    expect(await resolve('./a.mjs', { parentURL: 'file:///p/other.mjs' }, next('file:///p/a.mjs'))).toEqual({ url: 'file:///p/a.mjs' })
    expect(await resolve('./a.mjs', {}, next('file:///p/a.mjs'))).toEqual({ url: 'file:///p/a.mjs' })
  })
})

describe('remarkTraitgen options', () => {
  it('misuse throws TraitConfigError quoting the bad value', () => {
    const root = project({})
    const message = (options: unknown) => {
      try {
        remarkTraitgen(options as never)
      } catch (error) {
        expect(error).toBeInstanceOf(TraitConfigError)
        return (error as Error).message
      }
      return 'no error'
    }
    expect(message('docs')).toBe('remarkTraitgen: expected options with a `root` folder, not `docs`')
    expect(message({ root, configPath: '' })).toBe('remarkTraitgen: expected `configPath` to be a file path, not ``')
    const missing = pathToFileURL(path.join(root, 'missing'))
    expect(message({ root: missing })).toBe(`remarkTraitgen: expected \`root\` to be a folder, not \`${missing.href}\` (${path.join(root, 'missing')} is not one)`)
    expect(message({ root, config: 5n })).toBe('remarkTraitgen: expected `config` to be a config object, not `5`')
  })
})
