// The zod schema of traitgen.config.*: every key, its type and its default.
import * as z from 'zod'

/** A size range: both ends optional, inclusive. */
const limitRange = z.strictObject({
  /** The least allowed. Default: no lower bound. */
  min: z.number().nonnegative().optional(),
  /** The most allowed. Default: no upper bound. */
  max: z.number().nonnegative().optional(),
})

const targetEntry = z.union([
  z.string().min(1),
  z.strictObject({
    /** A built-in target's name, or a target plugin's. */
    name: z.string().min(1),
    /** Its folder, relative to the root. Default: `<output>/<target's default folder>`. */
    dir: z.string().min(1).optional(),
  }),
])

/** Schema of the user's config (what `defineConfig` accepts). */
export const configSchema = z.strictObject({
  /** Content folder (traits, agents and templates under it). Default `'content'`. */
  content: z.string().min(1).default('content'),
  /** Traits folder. Default: `<content>/traits`. */
  traits: z.string().min(1).optional(),
  /** Agents folder. Default: `<content>/agents`. */
  agents: z.string().min(1).optional(),
  /** Templates folder. Default: `<content>/templates`. */
  templates: z.string().min(1).optional(),
  /** Output folder (inside the root, not the root). Default `'output'`. */
  output: z.string().min(1).default('output'),
  /** Targets to build: built-in names, or `{ name, dir }` to set a folder. Default `['claude']`. */
  targets: z.array(targetEntry).min(1).default(['claude']),
  /** Values for `{{ name }}` placeholders, below an agent's own. Default `{}`. */
  variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Default template of agents that name none (spec §14). Default: none. */
  template: z.string().optional(),
  /** Per import group: the title of the section traitgen appends for it. Default `{}` (the group name in title case). */
  groups: z.record(z.string(), z.strictObject({
      /** Heading text of the section traitgen appends for the group. */
      title: z.string().min(1),
    })).default({}),
  /** Size limits of outputs and expansion (spec §12). */
  limits: z
    .strictObject({
      /** Output lines, `{ min, max }`. Default: no limit. */
      lines: limitRange.optional(),
      /** Output bytes, `{ min, max }`. Default: no limit. */
      bytes: limitRange.optional(),
      /** Output estimated tokens, `{ min, max }`. Default: no limit. */
      tokens: limitRange.optional(),
      /** Expansion stops past this many bytes per agent (`EXPANSION_LIMIT`). Default 5,000,000. */
      expandedBytes: z.number().int().positive().default(5_000_000),
      /** Largest trait file, in characters (`TRAIT_TOO_LARGE`). Default 1,000,000. */
      traitChars: z.number().int().positive().default(1_000_000),
      /** Deepest include nesting (`INCLUDE_DEPTH_EXCEEDED`). Default 32. */
      includeDepth: z.number().int().positive().default(32),
    })
    .prefault({}),
  /** Budgets that `--stats` checks (spec §13). */
  performance: z
    .strictObject({
      /** Trait load p95, ms. Default 500. */
      maxLoadTimeMs: z.number().positive().default(500),
      /** Slowest agent resolution, ms. Default 100. */
      maxResolveTimeMs: z.number().positive().default(100),
      /** Peak resident memory, MB. Default 1024. */
      maxMemoryMb: z.number().positive().default(1024),
      /** Parse cache hit rate in watch rebuilds, 0 to 1. Default 0.95. */
      minCacheHitRate: z.number().min(0).max(1).default(0.95),
    })
    .prefault({}),
  /** Precede each spliced trait with `<!-- trait: id@version -->`. Default false. */
  provenance: z.boolean().default(false),
  /** Plugins, bare unified plugins or `[plugin, options]` (spec §9). Default `[]`. */
  plugins: z.array(z.unknown()).default([]),
})

/** What a user writes in traitgen.config.ts; every key is optional. */
export type UserConfig = z.input<typeof configSchema>
/** The config with every default filled in. */
export type ResolvedConfig = z.output<typeof configSchema>

/** A target as named in the config: its name and the folder it writes to (relative to the root). */
export interface TargetSpec {
  name: string
  dir: string
}
