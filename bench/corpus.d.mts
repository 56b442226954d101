// Types for bench/corpus.mjs (used by tests).
/** Write a generated corpus into `dir/content`. */
export function generateCorpus(
  dir: string,
  traitCount: number,
  agentCount: number,
  seed?: number,
): { traits: number; agents: number; bytes: number; rareTrait: string | undefined; rareTraitUsers: number | undefined }
