// Shared assertions of the hostile-input suite: every case runs the real CLI (child process) on a
// temporary project, bounded in time, and checks the exact messages, the exit status, that no stack
// trace leaks, that nothing outside output/ changed (the project and its parent folder), and that the
// last good outputs of failing agents are byte-identical.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { cliPath, temporaryProjects, writeFiles, type JsonReport } from '../support/project.js'

/** Root-relative path → content. */
export type Files = Record<string, string | Uint8Array>

/** The time any single run may take. */
export const runBoundMs = 10_000

/** A project at `<parent>/proj`, with a sibling `<parent>/outside/` that must never change. */
export interface Box {
  parent: string
  root: string
  /** The output folder, relative to the root (excluded from the "nothing changed" check). */
  output: string
}

const makeParent = temporaryProjects()

/** A project made from `files` (root-relative) and `outside` (relative to `<parent>/outside`). */
export function sandbox(files: Files, options: { outside?: Files; output?: string } = {}): Box {
  const outside = Object.fromEntries(Object.entries(options.outside ?? { 'README.md': 'outside the project\n' }).map(([k, v]) => [`outside/${k}`, v]))
  const proj = Object.fromEntries(Object.entries(files).map(([k, v]) => [`proj/${k}`, v]))
  const parent = makeParent({ ...outside, ...proj })
  return { parent, root: path.join(parent, 'proj'), output: options.output ?? 'output' }
}

/** Every entry under `dir` (links are not followed): file → hash of its bytes, link → its target, folder → 'dir'. */
export function snapshotTree(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (abs: string) => {
    for (const name of readdirSync(abs).sort()) {
      const child = path.join(abs, name)
      const rel = path.relative(dir, child).split(path.sep).join('/')
      if (skip(rel)) continue
      const stat = lstatSync(child)
      if (stat.isSymbolicLink()) out.set(rel, `link:${readlinkSync(child)}`)
      else if (stat.isDirectory()) {
        out.set(rel, 'dir')
        walk(child)
      } else out.set(rel, `file:${stat.size}:${createHash('sha256').update(readFileSync(child)).digest('hex')}`)
    }
  }
  if (existsSync(dir)) walk(dir)
  return out
}

/** The --json document, including the exit-2 form `{ ok, error: { code, message } }`. */
export type Report = JsonReport & { error?: { code: string; message: string } }

/** What one bounded CLI run gave. */
export interface Run {
  status: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  ms: number
  stdout: string
  stderr: string
  json: Report | undefined
  /** Entries of the parent folder, outside `<root>/<output>/`, that the run created, changed or removed. */
  touched: string[]
}

/** Child processes running at once: the machine has 2 cores, and a run must get a whole one to be timed fairly. */
export const parallelRuns = 2
let running = 0
const waiting: Array<() => void> = []

async function slot(): Promise<() => void> {
  if (running >= parallelRuns) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  return () => {
    running--
    waiting.shift()?.()
  }
}

/**
 * Run `traitgen <args> --json` in the box's root as a child process, killed (SIGKILL) after `runBoundMs`.
 * At most `parallelRuns` run at once (the clock starts when the process does), except with
 * `{ queued: false }`: for the cases expected to hang until killed, run together by the last block of a file.
 */
export async function run(box: Box, args: readonly string[] = ['build'], options: { queued?: boolean } = {}): Promise<Run> {
  const release = options.queued === false ? () => undefined : await slot()
  try {
    const watch = watchTree(box)
    const start = performance.now()
    return await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [cliPath, ...args, '--json'], { cwd: box.root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      let timedOut = false
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      const timer = setTimeout(() => {
        timedOut = true
        child.kill('SIGKILL')
      }, runBoundMs)
      child.on('error', reject)
      child.on('close', (status, signal) => {
        clearTimeout(timer)
        resolve(finish(status, signal, timedOut, performance.now() - start, stdout, stderr, watch()))
      })
    })
  } finally {
    release()
  }
}

/** A value computed once, on first use (a scenario shared by the concurrent cases of a file). */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined
  return () => (value ??= make())
}

/** Snapshot the box's parent (outside the output folder) now; the returned function lists what changed since. */
function watchTree(box: Box): () => string[] {
  const outputRel = `proj/${box.output}`
  const skip = (rel: string) => rel === outputRel || rel.startsWith(`${outputRel}/`)
  const before = snapshotTree(box.parent, skip)
  return () => {
    const after = snapshotTree(box.parent, skip)
    return [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).sort()
  }
}

function finish(status: number | null, signal: NodeJS.Signals | null, timedOut: boolean, ms: number, stdout: string, stderr: string, touched: string[]): Run {
  let json: Report | undefined
  try {
    json = JSON.parse(stdout) as Report
  } catch {
    json = undefined
  }
  return { status, signal, timedOut, ms, stdout, stderr, json, touched }
}

/** The run finished in bounded time, printed one JSON document and nothing on stderr, leaked no stack trace, and changed nothing outside output/. */
export function expectSafe(r: Run): asserts r is Run & { json: Report } {
  expect(r.timedOut, `run killed after ${runBoundMs} ms`).toBe(false)
  expect(r.ms).toBeLessThan(runBoundMs)
  expect(r.stdout).not.toMatch(/^\s+at /m)
  expect(r.stderr).not.toMatch(/^\s+at /m)
  expect(r.stderr).toBe('')
  expect(r.json, 'stdout is one JSON document').toBeDefined()
  for (const m of r.json?.messages ?? []) {
    expect(m.code).not.toBe('INTERNAL_ERROR')
    expect(m.message).not.toMatch(/\n\s+at |Maximum call stack|RangeError|TypeError/)
  }
  expect(r.touched, 'entries changed outside the output folder').toEqual([])
}

/** One expected message: severity, code, file, line, column, and optionally a phrase of its text. */
export type Expected = [severity: 'error' | 'warning' | 'info', code: string, file: string, line: number, column: number, text?: RegExp]

/** Messages of a run about `files` (exact paths, or folder prefixes ending in `/`); all of them when omitted. */
export function messagesAbout(r: Run, files?: readonly string[]): JsonReport['messages'] {
  const all = r.json?.messages ?? []
  if (!files) return all
  return all.filter((m) => files.some((f) => (f.endsWith('/') ? m.file.startsWith(f) : m.file === f)))
}

/** The run is safe, exits with `status`, and its messages (restricted to `files`, if given) are exactly `expected`, in report order. */
export function expectMessages(r: Run, status: number, expected: readonly Expected[], files?: readonly string[]): void {
  expectSafe(r)
  const got = messagesAbout(r, files)
  expect(got.map((m) => [m.severity, m.code, m.file, m.line, m.column])).toEqual(expected.map(([s, c, f, l, col]) => [s, c, f, l, col]))
  got.forEach((m, i) => {
    const text = expected[i]?.[5]
    if (text) expect(m.message).toMatch(text)
  })
  expect(r.status).toBe(status)
  expect(r.json.ok).toBe(status === 0)
}

/** Exit 2 with `{ ok: false, error: { code } }`, nothing written anywhere (output folder included). */
export function expectUsageError(r: Run, code: string, text: RegExp): void {
  expectSafe(r)
  expect(r.status).toBe(2)
  expect(r.json.ok).toBe(false)
  expect(r.json.error?.code).toBe(code)
  expect(r.json.error?.message).toMatch(text)
}

/** Bytes of every file under the output folder (links recorded as such). */
export function outputBytes(box: Box): Map<string, string> {
  return snapshotTree(path.join(box.root, box.output), (rel) => rel === '.traitgen' || rel.startsWith('.traitgen/'))
}

/** A project built once with good content, then changed into its hostile form and built again. */
export interface Scenario {
  box: Box
  good: Run
  bad: Run
  /** Output files (and their hashes) after the good build. */
  before: Map<string, string>
}

/**
 * Build `good` (must succeed with no messages), then write `bad` over it and run `change(box)` (links,
 * deletions), then build again with `args`.
 */
export async function scenario(
  good: Files,
  bad: Files,
  options: { change?: (box: Box) => void; args?: readonly string[]; outside?: Files; output?: string } = {},
): Promise<Scenario> {
  const box = sandbox(good, { ...(options.outside ? { outside: options.outside } : {}), ...(options.output ? { output: options.output } : {}) })
  const first = await run(box)
  expectMessages(first, 0, [])
  const before = outputBytes(box)
  writeFiles(box.root, bad)
  options.change?.(box)
  return { box, good: first, bad: await run(box, options.args), before }
}

/** The outputs of these agents (claude target, `output/agents/<id>.md`) are byte-identical to the good build's. */
export function expectKept(s: Scenario, agents: readonly string[]): void {
  const now = outputBytes(s.box)
  for (const id of agents) {
    const rel = `agents/${id}.md`
    expect(s.before.get(rel), `${rel} existed after the good build`).toBeDefined()
    expect(now.get(rel), `${rel} kept byte for byte`).toBe(s.before.get(rel))
  }
}

/** Read an output file of the box. */
export function readOutput(box: Box, rel: string): string {
  return readFileSync(path.join(box.root, box.output, rel), 'utf8')
}
