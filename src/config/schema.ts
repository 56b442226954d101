// The zod schema of traitgen.config.*: every key, its type and its default.
import * as z from 'zod'

const limitRange = z.strictObject({ min: z.number().nonnegative().optional(), max: z.number().nonnegative().optional() })

const targetEntry = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), dir: z.string().min(1).optional() }),
])

/** Schema of the user's config (what `defineConfig` accepts). */
export const configSchema = z.strictObject({
  content: z.string().min(1).default('content'),
  traits: z.string().min(1).optional(),
  agents: z.string().min(1).optional(),
  templates: z.string().min(1).optional(),
  output: z.string().min(1).default('output'),
  targets: z.array(targetEntry).min(1).default(['claude']),
  variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  template: z.string().optional(),
  groups: z.record(z.string(), z.strictObject({ title: z.string().min(1) })).default({}),
  limits: z
    .strictObject({
      lines: limitRange.optional(),
      bytes: limitRange.optional(),
      tokens: limitRange.optional(),
      expandedBytes: z.number().int().positive().default(5_000_000),
      traitChars: z.number().int().positive().default(1_000_000),
      includeDepth: z.number().int().positive().default(32),
    })
    .prefault({}),
  performance: z
    .strictObject({
      maxLoadTimeMs: z.number().positive().default(500),
      maxResolveTimeMs: z.number().positive().default(100),
      maxMemoryMb: z.number().positive().default(1024),
      minCacheHitRate: z.number().min(0).max(1).default(0.95),
    })
    .prefault({}),
  provenance: z.boolean().default(false),
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
