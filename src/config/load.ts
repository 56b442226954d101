// Finds, loads and validates traitgen.config.*; a broken config throws TraitConfigError (CLI exit 2).
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { register } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { TraitConfigError } from '../errors.js'
import { hashText } from '../model/source.js'
import { configSchema, type ResolvedConfig, type TargetSpec, type UserConfig } from './schema.js'
import { normalizePlugins } from '../plugins/normalize.js'
import type { TraitgenPlugin } from '../plugins/types.js'
import { builtinPlugins } from '../plugins/builtin.js'
import type { TargetDefinition } from '../targets/types.js'

/** Config file names looked for in the root, in this order. */
export const configFileNames = ['traitgen.config.ts', 'traitgen.config.mts', 'traitgen.config.js', 'traitgen.config.mjs']

/** A loaded config with the folders it names, made absolute. */
export interface ProjectConfig {
  /** Absolute project root. */
  root: string
  /** The validated config with defaults. */
  config: ResolvedConfig
  /** Absolute path of the config file, if one was loaded. */
  configFile: string | undefined
  /** The config file and the local files it imports; watch mode reloads on them. */
  configDependencies: string[]
  /** A hash of the text of those files and the plugins' names: code that shapes outputs (the build cache's key). */
  codeHash: string
  /** Absolute content folders. */
  traitsDir: string
  agentsDir: string
  templatesDir: string
  /** Absolute output folder (holds the manifest). */
  outputDir: string
  /** Targets with their output folders relative to the root. */
  targets: TargetSpec[]
  /** Every plugin in run order: the built-in ones, then the config's (normalised). */
  plugins: TraitgenPlugin[]
  /** Every available target by name (built-in and from plugins; a plugin's target replaces a built-in one of the same name). */
  targetDefinitions: Map<string, TargetDefinition>
}

/** Load the config of `root` (or `configPath`), or take `inline` when given; validate it. */
export async function loadProjectConfig(
  root: string,
  options: { configPath?: string | undefined; inline?: UserConfig | undefined } = {},
): Promise<ProjectConfig> {
  const absRoot = path.resolve(root)
  if (!existsSync(absRoot)) throw new TraitConfigError('INVALID_ROOT', `root folder ${absRoot} does not exist`)
  let raw: unknown = {}
  let configFile: string | undefined
  if (options.inline !== undefined) {
    raw = options.inline
  } else {
    configFile = findConfigFile(absRoot, options.configPath)
    if (configFile) raw = await importConfig(configFile)
  }
  const where = configFile ? path.relative(absRoot, configFile) : 'config'
  const config = validateConfig(raw, where)
  const plugins = orderPlugins(builtinPlugins(config), normalizePlugins(config.plugins, where))
  const targetDefinitions = new Map<string, TargetDefinition>()
  for (const plugin of plugins) for (const target of plugin.targets ?? []) targetDefinitions.set(target.name, target)
  const project = resolveFolders(absRoot, config, configFile, plugins, targetDefinitions)
  if (configFile) project.configDependencies = localImports(configFile)
  project.codeHash = hashText(
    JSON.stringify([project.configDependencies.map((file) => (existsSync(file) ? readFileSync(file, 'utf8') : '')), plugins.map((p) => fingerprint(p))]),
  )
  return project
}

/**
 * What a plugin is made of, as far as it can be seen from outside: the text of its functions, its plain
 * values (a `[plugin, options]` entry's options) and its `cacheKey`. A plugin from a package or an inline
 * config has no config-file text to stand for it, so this is what tells the build cache that it changed.
 */
export function fingerprint(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'function') return `fn:${value.toString()}`
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' || typeof value === 'symbol' ? String(value) : value
  if (seen.has(value) || depth > 6) return '[seen]'
  seen.add(value)
  if (Array.isArray(value)) return value.map((item) => fingerprint(item, seen, depth + 1))
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    try {
      out[key] = fingerprint((value as Record<string, unknown>)[key], seen, depth + 1)
    } catch {
      out[key] = '[unreadable]'
    }
  }
  return out
}

/** Run order: the config's `enforce: 'pre'` plugins, the built-ins, the config's others, then its `post` ones (each in config order). */
export function orderPlugins(builtins: readonly TraitgenPlugin[], configured: readonly TraitgenPlugin[]): TraitgenPlugin[] {
  const by = (enforce: TraitgenPlugin['enforce']) => configured.filter((p) => p.enforce === enforce)
  return [...by('pre'), ...builtins, ...by(undefined), ...by('post')]
}

/**
 * The config file and the local files it imports, found by reading their import specifiers (relative
 * ones only; packages are not watched). Watch mode reloads when any of them changes.
 */
export function localImports(entry: string): string[] {
  const seen = new Set<string>()
  const queue = [entry]
  const extensions = ['', '.ts', '.mts', '.js', '.mjs', '.cts', '.cjs', '/index.ts', '/index.js']
  while (queue.length > 0 && seen.size < 200) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = path.resolve(path.dirname(file), match[1] as string)
      const candidates = extensions.map((ext) => base + ext).concat(base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'))
      const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
      if (found) queue.push(found)
    }
  }
  return [...seen]
}

function findConfigFile(root: string, configPath: string | undefined): string | undefined {
  if (configPath !== undefined) {
    const abs = path.resolve(root, configPath)
    if (!existsSync(abs)) throw new TraitConfigError('CONFIG_NOT_FOUND', `config file ${configPath} does not exist`)
    return abs
  }
  for (const name of configFileNames) {
    const abs = path.join(root, name)
    if (existsSync(abs)) return abs
  }
  return undefined
}

let hooksRegistered = false
let generation = 0

async function importConfig(file: string): Promise<unknown> {
  let mod: unknown
  try {
    const ext = path.extname(file)
    if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
      // TypeScript without a build step; no module cache, so a reload sees edited imports too.
      const { createJiti } = await import('jiti')
      // `import { defineConfig } from 'traitgen'` works even where traitgen is not installed in the project (npx, global).
      const self = fileURLToPath(new URL('../index.js', import.meta.url))
      const jiti = createJiti(import.meta.url, { moduleCache: false, alias: { traitgen: self } })
      mod = await jiti.import(file)
    } else {
      // Native ESM caches modules for good: a generation query, passed on to local imports by the hooks,
      // makes every reload evaluate the config and the files it imports afresh.
      if (!hooksRegistered) {
        register(new URL('./reload-hooks.js', import.meta.url))
        hooksRegistered = true
      }
      mod = await import(`${pathToFileURL(file).href}?traitgen-reload=${++generation}`)
    }
  } catch (error) {
    const place = (await syntaxErrorPlace(error, file)) ?? ''
    throw new TraitConfigError('CONFIG_LOAD_FAILED', `could not load ${path.basename(file)}${place}: ${describeLoadError(error)}`, {
      file,
    })
  }
  const value = (mod as { default?: unknown }).default ?? mod
  return value
}

/**
 * `:line:column` of a syntax error in the config file. jiti names it in its message; Node's own ESM
 * loader does not, so a .js/.mjs config that fails to parse is parsed once more by jiti to find it.
 */
async function syntaxErrorPlace(error: unknown, file: string): Promise<string | undefined> {
  const found = placeIn(error, file)
  if (found || !(error instanceof SyntaxError)) return found
  try {
    const { createJiti } = await import('jiti')
    await createJiti(import.meta.url, { moduleCache: false }).import(file)
  } catch (again) {
    return placeIn(again, file)
  }
  return undefined
}

function placeIn(error: unknown, file: string): string | undefined {
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(text)
  return match ? `:${match[1]}${match[2] ? `:${match[2]}` : ''}` : undefined
}

function describeLoadError(error: unknown): string {
  if (error instanceof Error) {
    const firstLine = (error.message.split('\n')[0] ?? '').trim()
    return firstLine
  }
  return String(error)
}

/** Validate a raw config object; throws TraitConfigError naming the key path and what is allowed. */
export function validateConfig(raw: unknown, where: string): ResolvedConfig {
  let result: ReturnType<typeof configSchema.safeParse>
  try {
    result = configSchema.safeParse(raw ?? {})
  } catch (error) {
    // A getter of the config object threw while it was read: the config cannot be used (exit 2), it is no bug of traitgen's.
    throw new TraitConfigError('CONFIG_LOAD_FAILED', `could not load ${where}: ${describeLoadError(error)}`)
  }
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => {
    const keyPath = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'
    let text = issue.message
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.join(', ')
      const parent = issue.path.length > 0 ? `${keyPath}.` : ''
      return `${where}: unknown key ${issue.keys.map((k) => parent + k).join(', ')} (${keys}); allowed: ${allowedKeysAt(issue.path)}`
    }
    if (issue.code === 'invalid_union') text = 'expected a target name or { name, dir }'
    return `${where}: ${keyPath}: ${text}`
  })
  throw new TraitConfigError('INVALID_CONFIG', issues.join('\n'), { issues: result.error.issues })
}

function allowedKeysAt(keyPath: readonly PropertyKey[]): string {
  // Walk the zod shape along the path (list items included) to list the keys the user could have meant.
  let schema: unknown = configSchema
  for (const part of keyPath) {
    // A list item is its array's element; a record entry (a group under `groups`) its record's value type.
    schema = typeof part === 'number' ? unwrapped(schema)?.def?.element : (shapeOf(schema)?.[String(part)] ?? unwrapped(schema)?.def?.valueType)
    if (schema === undefined) return '(see README)'
  }
  const shape = shapeOf(schema)
  return shape ? Object.keys(shape).join(', ') : '(see README)'
}

type ZodLike = { shape?: Record<string, unknown>; def?: { innerType?: unknown; element?: unknown; valueType?: unknown; options?: unknown[] } }

/** The schema inside defaults and optionals (`def.innerType`). */
function unwrapped(schema: unknown): ZodLike | undefined {
  let current = schema as ZodLike | undefined
  for (let i = 0; i < 5 && current?.def?.innerType !== undefined; i++) current = current.def.innerType as ZodLike
  return current
}

/** The keys of an object schema, or of the object among a union's options (a target is a name or `{ name, dir }`). */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const current = unwrapped(schema)
  if (current?.shape) return current.shape
  for (const option of current?.def?.options ?? []) {
    const shape = unwrapped(option)?.shape
    if (shape) return shape
  }
  return undefined
}

function resolveFolders(
  root: string,
  config: ResolvedConfig,
  configFile: string | undefined,
  plugins: TraitgenPlugin[],
  targetDefinitions: Map<string, TargetDefinition>,
): ProjectConfig {
  const content = path.resolve(root, config.content)
  const outputDir = checkOutputFolder(root, config.output, 'output')
  const targets: TargetSpec[] = config.targets.map((entry) => {
    const name = typeof entry === 'string' ? entry : entry.name
    const definition = targetDefinitions.get(name)
    if (!definition) {
      throw new TraitConfigError('UNKNOWN_TARGET', `targets: unknown target "${name}"; available: ${[...targetDefinitions.keys()].join(', ')} (a plugin's \`targets\` adds more)`)
    }
    const dir = typeof entry === 'string' || entry.dir === undefined ? path.join(config.output, definition.defaultDir ?? name) : entry.dir
    checkOutputFolder(root, dir, `targets (${name}).dir`)
    return { name, dir: toPosix(path.relative(root, path.resolve(root, dir))) }
  })
  return {
    root,
    config,
    configFile,
    configDependencies: configFile ? [configFile] : [],
    codeHash: '',
    traitsDir: path.resolve(root, config.traits ?? path.join(content, 'traits')),
    agentsDir: path.resolve(root, config.agents ?? path.join(content, 'agents')),
    templatesDir: path.resolve(root, config.templates ?? path.join(content, 'templates')),
    outputDir,
    targets,
    plugins,
    targetDefinitions,
  }
}

/** An output folder must lie inside the root, must not be the root, and may not reach out through a link. */
function checkOutputFolder(root: string, dir: string, key: string): string {
  const abs = path.resolve(root, dir)
  const rel = path.relative(root, abs)
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new TraitConfigError(
      'INVALID_OUTPUT_DIR',
      `${key}: output folder "${dir}" must be a folder inside the project root, not the root itself or outside it`,
    )
  }
  const real = realpathOfNearest(abs)
  const realRoot = realpathSync(root)
  const realRel = path.relative(realRoot, real)
  if (realRel.startsWith('..') || path.isAbsolute(realRel)) {
    throw new TraitConfigError('INVALID_OUTPUT_DIR', `${key}: output folder "${dir}" leads outside the root through a symbolic link`)
  }
  if (existsSync(path.join(abs, '.git'))) {
    throw new TraitConfigError('INVALID_OUTPUT_DIR', `${key}: output folder "${dir}" holds a .git folder; choose a folder traitgen owns`)
  }
  return abs
}

function realpathOfNearest(abs: string): string {
  let current = abs
  const rest: string[] = []
  // Ends at the root folder at the latest (it exists: loadProjectConfig checked), or at the file system's root.
  while (!existsSync(current)) {
    rest.unshift(path.basename(current))
    current = path.dirname(current)
  }
  return path.join(realpathSync(current), ...rest)
}

/** Convert an OS path to POSIX separators. */
export function toPosix(value: string): string {
  return value.split(path.sep).join('/')
}
