// Built-in check: every output within the config's `limits.lines`, `limits.bytes` and `limits.tokens` (SIZE_LIMIT).
import { checkSizeLimits, type SizeLimits, type TraitgenPlugin } from '../src/index.js'

/** The size-limit validator, on the same plugin API as a user's. */
export function limitsPlugin(limits: SizeLimits): TraitgenPlugin {
  return {
    name: 'traitgen:limits',
    // The limits are about what an agent costs its model; docs-site pages are for people.
    validate: (document) => (document.target === 'docs' ? [] : checkSizeLimits(document.text, document.path, limits)),
  }
}
