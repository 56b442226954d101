// Building a project in the test's own process, through the library API.
import { createTraitgen, type BuildResult, type UserConfig } from '../../src/index.js'

/** Build the project at `root` in process with an inline config, and close the instance. */
export async function buildAt(root: string, config: UserConfig = {}): Promise<BuildResult> {
  const tg = createTraitgen({ root, config })
  try {
    return await tg.build()
  } finally {
    await tg.close()
  }
}
