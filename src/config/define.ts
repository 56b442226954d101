// defineConfig: the identity function that gives editors the config's types.
import type { UserConfig } from './schema.js'

/** Type-checks a traitgen config and returns it unchanged. */
export function defineConfig(config: UserConfig): UserConfig {
  return config
}
