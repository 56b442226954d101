// Building a project in the test's own process, through the library API.
import { expect } from 'vitest'
import { createTraitgen, TraitProcessingError, type BuildResult, type UserConfig } from '../../src/index.js'

/** Build the project at `root` in process with an inline config, and close the instance. */
export async function buildAt(root: string, config: UserConfig = {}): Promise<BuildResult> {
  const tg = createTraitgen({ root, config })
  try {
    return await tg.build()
  } finally {
    await tg.close()
  }
}

/** What `promise` rejects with, checked to be a TraitProcessingError (the library API's errors). */
export async function rejection(promise: Promise<unknown>): Promise<TraitProcessingError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(TraitProcessingError)
  return error as TraitProcessingError
}
