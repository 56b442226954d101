// Faults (spec §6): a write that fails, a build killed at any moment, two builds at once. Real CLI processes.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentFile, cliPath, listFiles, readProjectFile, runCli, temporaryProjects, traitFile, writeFiles, type JsonReport } from './support/project.js'

const project = temporaryProjects()
const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const lockFile = 'output/.traitgen/lock'

/** A project of `count` agents that all place one trait, whose text is `trait`. */
function agents(count: number, trait: string): Record<string, string> {
  const files: Record<string, string> = { 'content/traits/t/shared.md': traitFile('version: 1.0.0', trait) }
  for (let i = 0; i < count; i++) files[`content/agents/a${String(i).padStart(2, '0')}.md`] = agentFile('imports:\n  t: [shared]', `Agent ${i}.\n`)
  return files
}

/** Every output file's text, by root-relative path. */
function outputs(root: string): Record<string, string> {
  return Object.fromEntries(listFiles(root, 'output/agents').filter((f) => !f.endsWith('.tmp')).map((f) => [f, readProjectFile(root, f)]))
}

const temporaryFiles = (root: string) => listFiles(root).filter((f) => f.endsWith('.tmp'))

function json(args: string[], root: string, env: Record<string, string> = {}): { status: number | null; report: JsonReport; stderr: string; ms: number } {
  const run = runCli([...args, '--json'], root, env)
  return { status: run.status, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr, ms: run.ms }
}

/** Start the CLI without waiting; resolves with its exit and output. */
function start(args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr })),
  )
  return { child, exited }
}

/** The pid of a process that has exited (so nothing answers to it). */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(run.stdout)
}

/** The pid in the lock file (a killed build's lock stays until the next build takes it over). */
function lockHolder(root: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(root, lockFile), 'utf8')) as { pid: number }).pid
  } catch {
    return undefined
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('a write that fails', () => {
  it('disk full at the third of ten outputs: exit 1, WRITE_FAILED at that file, the rest written, the old file and its manifest entry kept, no temp files', () => {
    const root = project(agents(10, 'Version one.\n'))
    expect(runCli(['build'], root).status).toBe(0)
    const before = outputs(root)
    writeFiles(root, { 'content/traits/t/shared.md': traitFile('version: 1.0.0', 'Version two.\n') })
    const { status, report } = json(['build'], root, { TRAITGEN_FAULT_WRITE: '3:ENOSPC' })
    expect(status).toBe(1)
    expect(report.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.severity} ${m.code}`)).toEqual(['output/agents/a02.md:1:1 error WRITE_FAILED'])
    expect(report.messages[0]?.message).toBe(
      'could not write output/agents/a02.md: the disk is full (ENOSPC); free some space, then run traitgen build again; the previous file is kept unchanged',
    )
    expect(report.outputs.filter((o) => o.status !== 'written').map((o) => [o.path, o.status])).toEqual([['output/agents/a02.md', 'failed']])
    const after = outputs(root)
    for (const [file, text] of Object.entries(after)) {
      if (file === 'output/agents/a02.md') expect(text).toBe(before[file])
      else expect(text).toContain('Version two.')
    }
    const manifest = JSON.parse(readProjectFile(root, 'output/.traitgen/manifest.json')) as { files: Record<string, { hash: string }> }
    for (const [file, text] of Object.entries(after)) expect(manifest.files[file]?.hash).toBe(sha(text))
    expect(temporaryFiles(root)).toEqual([])
    expect(existsSync(path.join(root, lockFile))).toBe(false)

    // Space is back: the next build writes the one file that failed, and nothing else.
    const next = json(['build'], root)
    expect(next.status).toBe(0)
    expect(next.report.outputs.filter((o) => o.status === 'written').map((o) => o.path)).toEqual(['output/agents/a02.md'])
    expect(readProjectFile(root, 'output/agents/a02.md')).toContain('Version two.')
    expect(runCli(['check'], root).status).toBe(0)
  })

  it('permission denied on a first build: the text report names the file and the fix, no file and no manifest entry for it', () => {
    const root = project(agents(4, 'Text.\n'))
    const run = runCli(['build'], root, { TRAITGEN_FAULT_WRITE: '2:EACCES' })
    expect(run.status).toBe(1)
    expect(run.stdout).toContain(
      'output/agents/a01.md:1:1: error WRITE_FAILED could not write output/agents/a01.md: permission denied (EACCES); make the folder writable, then run traitgen build again; no file was written',
    )
    expect(listFiles(root, 'output/agents')).toEqual(['output/agents/a00.md', 'output/agents/a02.md', 'output/agents/a03.md'])
    const manifest = JSON.parse(readProjectFile(root, 'output/.traitgen/manifest.json')) as { files: Record<string, unknown> }
    expect(Object.keys(manifest.files).sort()).toEqual(['output/agents/a00.md', 'output/agents/a02.md', 'output/agents/a03.md'])
    expect(temporaryFiles(root)).toEqual([])
  })

  it('without the hook, a real failure: a folder where an output it wrote was', () => {
    const root = project(agents(3, 'Version one.\n'))
    runCli(['build'], root)
    const rm = spawnSync('rm', ['output/agents/a01.md'], { cwd: root })
    expect(rm.status).toBe(0)
    mkdirSync(path.join(root, 'output/agents/a01.md'))
    writeFiles(root, { 'content/traits/t/shared.md': traitFile('version: 1.0.0', 'Version two.\n') })
    const { status, report } = json(['build'], root)
    expect(status).toBe(1)
    expect(report.messages.map((m) => [m.file, m.code])).toEqual([['output/agents/a01.md', 'WRITE_FAILED']])
    expect(readProjectFile(root, 'output/agents/a00.md')).toContain('Version two.')
    expect(readProjectFile(root, 'output/agents/a02.md')).toContain('Version two.')
    expect(temporaryFiles(root)).toEqual([])
  })

  it('a file where the state folder output/.traitgen should be: exit 1, WRITE_FAILED naming the folder and the fix, the old outputs kept', () => {
    const root = project(agents(2, 'Version one.\n'))
    runCli(['build'], root)
    const before = outputs(root)
    const rm = spawnSync('rm', ['-r', 'output/.traitgen'], { cwd: root })
    expect(rm.status).toBe(0)
    writeFileSync(path.join(root, 'output/.traitgen'), 'not a folder\n')
    writeFiles(root, { 'content/traits/t/shared.md': traitFile('version: 1.0.0', 'Version two.\n') })
    const text = runCli(['build'], root)
    expect(text.status).toBe(1)
    expect(text.stdout).toContain(
      'output/.traitgen:1:1: error WRITE_FAILED could not create the lock in output/.traitgen (EEXIST); output/.traitgen and the folders above it must be folders traitgen can write to: remove or rename a file that stands in their place',
    )
    expect(text.stderr).not.toMatch(/internal error|\n\s+at /)
    expect(outputs(root)).toEqual(before)
    expect(readProjectFile(root, 'output/.traitgen')).toBe('not a folder\n')
  })
})

describe('a build killed at a random moment', () => {
  it('leaves every output either old or new, the manifest valid, and nothing a later build does not clean up', async () => {
    const versions = ['Version A.\n', 'Version B.\n'].map((v) => `${v}\n${'Filler so that writes take a little time. '.repeat(200)}\n`)
    const setTrait = (body: string) => writeFiles(root, { 'content/traits/t/shared.md': traitFile('version: 1.0.0', body) })
    const root = project(agents(50, versions[1] as string))
    expect(runCli(['build'], root).status).toBe(0)
    const textB = outputs(root)
    setTrait(versions[0] as string)
    const timed = json(['build'], root)
    expect(timed.status).toBe(0)
    const buildMs = (timed.report.stats as { totalMs: number }).totalMs
    const textA = outputs(root)
    const expected = [textA, textB]
    expect(Object.keys(textA)).toHaveLength(50)
    for (const file of Object.keys(textA)) {
      expect(textA[file]).toContain('Version A.')
      expect(textB[file]).toContain('Version B.')
    }

    const started = performance.now()
    let iterations = 0
    let temporaryLeftovers = 0
    let mixed = 0
    while (iterations < 20 && (iterations < 8 || performance.now() - started < 20_000)) {
      const target = (iterations + 1) % 2 // 1 (B), 0 (A), 1, …
      const before = outputs(root)
      setTrait(versions[target] as string)
      // Every other run pauses 20 ms between each temp file and its rename, so that kills land inside writes too.
      const slow = iterations % 2 === 1
      const build = start(['build'], root, slow ? { TRAITGEN_FAULT_WRITE_DELAY_MS: '20' } : {})
      if (iterations % 4 < 2) {
        // Anywhere from node's start-up to the end of the build.
        await sleep(Math.random() * timed.ms * 1.2)
      } else {
        // Once the build holds the lock (it is about to read, compose and write): aim at the writes.
        const deadline = performance.now() + 20_000
        while (lockHolder(root) !== build.child.pid && build.child.exitCode === null && performance.now() < deadline) await sleep(2)
        await sleep(Math.random() * (buildMs + (slow ? 50 * 20 : 0)) * 1.2)
      }
      build.child.kill('SIGKILL')
      await build.exited
      iterations++

      const after = outputs(root)
      expect(Object.keys(after).sort()).toEqual(Object.keys(textA).sort())
      const fromTarget = Object.keys(after).filter((f) => after[f] === expected[target]?.[f]).length
      for (const [file, text] of Object.entries(after)) {
        expect(text === before[file] || text === expected[target]?.[file], `${file} after kill #${iterations} is neither the old nor the new text`).toBe(true)
      }
      if (fromTarget > 0 && fromTarget < 50) mixed++
      const manifestFile = path.join(root, 'output/.traitgen/manifest.json')
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version: number; files: Record<string, unknown> }
      expect(manifest.version).toBe(1)
      temporaryLeftovers += temporaryFiles(root).length
    }

    // The next normal build succeeds, takes over the dead build's lock, removes its temp files.
    const final = json(['build'], root)
    expect(final.status).toBe(0)
    expect(final.report.messages).toEqual([])
    const last = expected[iterations % 2 === 1 ? 1 : 0] as Record<string, string>
    expect(outputs(root)).toEqual(last)
    expect(temporaryFiles(root)).toEqual([])
    expect(existsSync(path.join(root, lockFile))).toBe(false)
    expect(runCli(['check'], root).status).toBe(0)
    // What the kills hit, for whoever reads the log (random: not asserted).
    console.info(`${iterations} kills; ${mixed} left a mix of old and new outputs; ${temporaryLeftovers} temp files left behind and swept`)
  }, 120_000)
})

describe('two builds at once', () => {
  it('the second waits for the first (never interleaving writes), says so after a second, and both succeed', async () => {
    const root = project(agents(30, 'Shared text.\n'))
    // The first build pauses 150 ms on each write: it holds the lock for over four seconds, long enough for the second to start even on a loaded machine.
    const first = start(['build', '--json'], root, { TRAITGEN_FAULT_WRITE_DELAY_MS: '150' })
    const deadline = Date.now() + 20_000
    while (!existsSync(path.join(root, lockFile))) {
      if (Date.now() > deadline) throw new Error('the first build never took the lock')
      await sleep(5)
    }
    const holder = JSON.parse(readProjectFile(root, lockFile)) as { pid: number; host: string; started: string }
    expect(holder.pid).toBe(first.child.pid)
    expect(holder.host).toBe(hostname())
    const second = start(['build', '--json'], root)
    const [a, b] = await Promise.all([first.exited, second.exited])
    expect(a.status).toBe(0)
    expect(b.status).toBe(0)
    expect(b.stderr).toMatch(new RegExp(`^traitgen: waiting for another traitgen build \\(pid ${holder.pid}, started .+\\) to finish writing; lock: .*output/\\.traitgen/lock\\n$`))
    // The first wrote every file; the second found them all current: it never wrote while the first did.
    expect((JSON.parse(a.stdout) as JsonReport).outputs.map((o) => o.status)).toEqual(Array(30).fill('written'))
    expect((JSON.parse(b.stdout) as JsonReport).outputs.map((o) => o.status)).toEqual(Array(30).fill('unchanged'))
    expect(existsSync(path.join(root, lockFile))).toBe(false)
    expect(temporaryFiles(root)).toEqual([])
  }, 60_000)

  it('refuses with BUILD_LOCKED after 10 s when the other build does not finish; writes nothing; check needs no lock', async () => {
    const root = project(agents(3, 'Shared text.\n'))
    expect(runCli(['build'], root).status).toBe(0)
    writeFiles(root, { 'content/traits/t/shared.md': traitFile('version: 1.0.0', 'Changed.\n') })
    // A live process that holds the lock (as a stuck build would).
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      const owner = { pid: holder.pid as number, host: hostname(), started: '2025-01-01T00:00:00.000Z' }
      writeFileSync(path.join(root, lockFile), `${JSON.stringify(owner)}\n`)
      const check = runCli(['check'], root)
      expect(check.status).toBe(1) // the change is reported at once: check does not wait for the lock
      expect(check.stdout).toContain('STALE_OUTPUT')
      const run = json(['build'], root)
      expect(run.status).toBe(1)
      expect(run.report.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code}`)).toEqual(['output/.traitgen/lock:1:1 BUILD_LOCKED'])
      expect(run.report.messages[0]?.message).toMatch(
        new RegExp(`^another traitgen build \\(pid ${owner.pid} on .+, started 2025-01-01T00:00:00.000Z\\) is writing to this output folder; waited 10 s\\. Try again when it is done; if no traitgen is running, delete output/\\.traitgen/lock$`),
      )
      expect(run.report.outputs).toEqual([])
      expect(readProjectFile(root, 'output/agents/a00.md')).not.toContain('Changed.')
      expect(JSON.parse(readProjectFile(root, lockFile))).toEqual(owner)
    } finally {
      holder.kill('SIGKILL')
    }
  }, 60_000)

  it('takes over the lock of a build that died, removes the temp files it left, and releases its own lock, also when the build fails', () => {
    const root = project(agents(3, 'Shared text.\n'))
    expect(runCli(['build'], root).status).toBe(0)
    const dead = deadPid()
    writeFileSync(path.join(root, lockFile), `${JSON.stringify({ pid: dead, host: hostname(), started: '2025-01-01T00:00:00.000Z' })}\n`)
    const leftovers = [`output/agents/.a01.md.${dead}.0123abcd.tmp`, `output/.traitgen/.manifest.json.${dead}.89abcdef.tmp`, `output/.traitgen/.lock.${dead}.deadbeef.tmp`]
    writeFiles(root, Object.fromEntries(leftovers.map((f) => [f, 'half a fi'])))
    writeFiles(root, { 'output/agents/notes.tmp': 'not ours\n', 'output/agents/.hidden.tmp': 'not ours either\n' })
    writeFiles(root, { 'content/traits/t/shared.md': traitFile('version: 1.0.0', 'Changed.\n') })
    const run = json(['build'], root)
    expect(run.status).toBe(0)
    expect(run.stderr).toBe('')
    expect(readProjectFile(root, 'output/agents/a01.md')).toContain('Changed.')
    expect(temporaryFiles(root)).toEqual(['output/agents/.hidden.tmp', 'output/agents/notes.tmp'])
    expect(existsSync(path.join(root, lockFile))).toBe(false)

    // A build with errors (exit 1) releases the lock too.
    writeFiles(root, { 'content/agents/a00.md': agentFile('imports:\n  t: [missing]') })
    expect(runCli(['build'], root).status).toBe(1)
    expect(readdirSync(path.join(root, 'output/.traitgen')).sort()).toEqual(['.gitignore', 'cache', 'cache.json', 'manifest.json', 'sourcemap.json'])
  })
})
