// Test support for the target plugins: a project with a trait and agents, frontmatter/body split, API builds.
import { createTraitgen, type BuildResult, type UserConfig } from '../../src/index.js'
import { readProjectFile } from '../support/project.js'

/** A trait the agents import, so every body holds spliced text. */
export const trait = { 'content/traits/quality/checks.md': '---\nversion: 1.0.0\n---\n\nRun the **checks** before you finish.\n' }

/** An agent file with exactly the given frontmatter lines (description included by the caller) and body. */
export function agent(frontmatter: string, body = 'You review code.\n\n## Quality\n\nBe strict.\n'): string {
  return `---\n${frontmatter}\n---\n\n${body}`
}

/** The frontmatter block (fences included) and the body after it. */
export function split(text: string): { frontmatter: string; body: string } {
  const end = text.indexOf('\n---\n', 4)
  if (!text.startsWith('---\n') || end === -1) throw new Error(`no frontmatter in ${JSON.stringify(text.slice(0, 40))}`)
  return { frontmatter: text.slice(0, end + 5), body: text.slice(end + 5) }
}

/** Build with an inline config through the library. */
export async function build(root: string, config: UserConfig): Promise<BuildResult> {
  const tg = createTraitgen({ root, config })
  try {
    return await tg.build()
  } finally {
    await tg.close()
  }
}

/** Messages as `file:line:column severity CODE message`, for exact comparison. */
export function lines(messages: ReadonlyArray<{ file: string; line: number; column: number; severity: string; code: string; message: string }>): string[] {
  return messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.code} ${m.message}`)
}

/** The body of an output file equals the body of the claude output of the same agent, byte for byte. */
export function bodyOf(root: string, file: string): string {
  return split(readProjectFile(root, file)).body
}
