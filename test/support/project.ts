// Test support: temporary projects on disk and the CLI run as a child process, as users run it.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The built CLI entry. */
export const cliPath = path.join(repoRoot, 'bin/traitgen.js')

/** Create a temporary project from a map of root-relative paths to file contents (string or bytes). */
export function makeProject(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'traitgen-test-'))
  writeFiles(root, files)
  return root
}

/** Write more files into a project. */
export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel)
    mkdirSync(path.dirname(abs), { recursive: true })
    writeFileSync(abs, content)
  }
}

/** Remove a temporary project. */
export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true })
}

/** Result of a CLI run. */
export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
  ms: number
}

/** Run `traitgen <args>` in `cwd` as a child process. */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const start = performance.now()
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', ...env },
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - start }
}

/** Run the CLI with --json and parse its document. */
export function runJson(args: readonly string[], cwd: string): { status: number | null; json: JsonReport; stderr: string } {
  const run = runCli([...args, '--json'], cwd)
  return { status: run.status, json: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr }
}

/** The --json document. */
export interface JsonReport {
  ok: boolean
  messages: Array<{ severity: string; code: string; message: string; file: string; line: number; column: number; context?: unknown }>
  outputs: Array<{ path: string; agent: string; target: string; status: string }>
  stats: unknown
}

/** Read a project file. */
export function readProjectFile(root: string, rel: string): string {
  return readFileSync(path.join(root, rel), 'utf8')
}

/** Whether a project file exists. */
export function projectFileExists(root: string, rel: string): boolean {
  return existsSync(path.join(root, rel))
}

/** Every file under a folder, root-relative, sorted (for "nothing written elsewhere" checks). */
export function listFiles(root: string, sub = ''): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    if (!existsSync(dir)) return
    for (const name of readdirSync(dir)) {
      const abs = path.join(dir, name)
      if (statSync(abs).isDirectory()) walk(abs)
      else out.push(path.relative(root, abs).split(path.sep).join('/'))
    }
  }
  walk(path.join(root, sub))
  return out.sort()
}

/** A minimal valid agent file with the given frontmatter lines and body. */
export function agentFile(frontmatter: string, body = 'Body.\n'): string {
  return `---\ndescription: Test agent\n${frontmatter}${frontmatter && !frontmatter.endsWith('\n') ? '\n' : ''}---\n\n${body}`
}

/** A minimal trait file. */
export function traitFile(frontmatter: string, body = 'Trait text.\n'): string {
  return frontmatter ? `---\n${frontmatter}${frontmatter.endsWith('\n') ? '' : '\n'}---\n\n${body}` : body
}

/** A `project(files)` maker whose projects are removed after the test file. */
export function temporaryProjects(): (files: Record<string, string | Uint8Array>) => string {
  const roots: string[] = []
  afterAll(() => {
    for (const root of roots.splice(0)) removeProject(root)
  })
  return (files) => {
    const root = makeProject(files)
    roots.push(root)
    return root
  }
}
