// traitgen's version (kept equal to package.json's by a test); part of the build cache key.

/** The running traitgen's version. */
export const version = '0.1.0'
