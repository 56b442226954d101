// The output modules in-process: the manifest, the committer's check and delete paths, the lock's judgement of stale locks, and safe writes.
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProjectConfig } from '../../src/config/load.js'
import type { Message } from '../../src/model/messages.js'
import { OutputCommitter } from '../../src/output/commit.js'
import { acquireOutputLock, LockBusyError, lockPath, withOutputLock } from '../../src/output/lock.js'
import { readManifest, readSourceMaps, sourceMapJson, stableJson } from '../../src/output/manifest.js'
import { assertWritableLocation, pathKind, readExisting, removeOutput, sweepTemporaryFiles, writeAtomic } from '../../src/output/write.js'
import { hashText } from '../../src/model/source.js'
import { listFiles, temporaryProjects, writeFiles } from '../support/project.js'

const project = temporaryProjects()

/** A manifest listing `files` (root-relative path → agent, target), with the hashes of their current text. */
function manifestOf(root: string, files: Record<string, [agent: string, target: string]>): string {
  const entries = Object.fromEntries(
    Object.entries(files).map(([file, [agent, target]]) => [file, { agent, target, hash: hashText(existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8') : '') }]),
  )
  return stableJson({ version: 1, files: entries })
}

const finishAll = { failed: new Set<string>(), existingAgents: new Set(['a']), partial: false, builtTargets: new Set(['claude']), clean: false }

describe('manifest', () => {
  it('reads a manifest of another version, or not JSON, as empty, and keeps only well-formed entries', () => {
    const root = project({})
    const out = path.join(root, 'output')
    writeFiles(root, { 'output/.traitgen/manifest.json': JSON.stringify({ version: 2, files: { 'output/agents/a.md': { agent: 'a', target: 'claude', hash: 'h' } } }) })
    expect(readManifest(out)).toEqual({ version: 1, files: {} })
    writeFiles(root, { 'output/.traitgen/manifest.json': '{"version": 1, "files": {' })
    expect(readManifest(out)).toEqual({ version: 1, files: {} })
    writeFiles(root, {
      'output/.traitgen/manifest.json': JSON.stringify({ version: 1, files: { 'output/agents/a.md': { agent: 'a', target: 'claude', hash: 'h' }, 'output/agents/b.md': { agent: 'b', hash: 'h' }, 'output/agents/c.md': null } }),
      'output/.traitgen/sourcemap.json': '{ not json',
    })
    expect(readManifest(out)).toEqual({ version: 1, files: { 'output/agents/a.md': { agent: 'a', target: 'claude', hash: 'h' } } })
    expect(readSourceMaps(out)).toEqual({})
  })

  it('stableJson sorts keys at every depth, inside arrays too, and sourceMapJson writes one file per line', () => {
    expect(stableJson({ b: [{ y: 1, x: 2 }, 3], a: null })).toBe('{\n  "a": null,\n  "b": [\n    {\n      "x": 2,\n      "y": 1\n    },\n    3\n  ]\n}\n')
    expect(sourceMapJson({})).toBe('{}\n')
    const map = { sources: ['content/agents/a.md'], runs: [[1, 0, 1, 2]] as Array<[number, number, number, number]> }
    expect(sourceMapJson({ 'z.md': map, 'a.md': map })).toBe(`{\n  "a.md": ${JSON.stringify(map)},\n  "z.md": ${JSON.stringify(map)}\n}\n`)
  })
})

describe('OutputCommitter', () => {
  it('check on a project never built: each output and the manifest are missing, nothing is written', async () => {
    const root = project({})
    const config = await loadProjectConfig(root, { inline: {} })
    const messages: Message[] = []
    const committer = new OutputCommitter({ project: config, force: false, write: false, messages })
    committer.commit({ path: 'output/agents/a.md', text: 'A\n', sourceMap: undefined }, { agent: 'a', target: 'claude' })
    const records = committer.finish(finishAll)
    expect(records).toEqual([
      { path: 'output/.traitgen/manifest.json', agent: '', target: '', status: 'missing' },
      { path: 'output/.traitgen/sourcemap.json', agent: '', target: '', status: 'missing' },
      { path: 'output/agents/a.md', agent: 'a', target: 'claude', status: 'missing' },
    ])
    expect(messages).toEqual([])
    expect(listFiles(root)).toEqual([])
  })

  it('check after every agent was removed: the stale manifest is listed, a listed file that is gone already is not extra', async () => {
    const root = project({ 'output/agents/a.md': 'A\n' })
    writeFiles(root, { 'output/.traitgen/manifest.json': manifestOf(root, { 'output/agents/a.md': ['a', 'claude'], 'output/agents/gone.md': ['gone', 'claude'] }) })
    const config = await loadProjectConfig(root, { inline: {} })
    const committer = new OutputCommitter({ project: config, force: false, write: false, messages: [] })
    const records = committer.finish({ ...finishAll, existingAgents: new Set() })
    expect(records).toEqual([
      { path: 'output/.traitgen/manifest.json', agent: '', target: '', status: 'stale' },
      { path: 'output/agents/a.md', agent: 'a', target: 'claude', status: 'extra' },
    ])
  })

  it('refuses to write a file outside every output folder: WRITE_FAILED, nothing written', async () => {
    const root = project({})
    const config = await loadProjectConfig(root, { inline: {} })
    const messages: Message[] = []
    const committer = new OutputCommitter({ project: config, force: false, write: true, messages })
    committer.commit({ path: 'content/agents/a.md', text: 'overwritten?\n', sourceMap: undefined }, { agent: 'a', target: 'claude' })
    expect(messages.map((m) => [m.code, m.file, m.line, m.column])).toEqual([['WRITE_FAILED', 'content/agents/a.md', 1, 1]])
    expect(messages[0]?.message).toBe('could not write content/agents/a.md: the path lies outside the output folders; fix the cause, then run traitgen build again; no file was written')
    expect(existsSync(path.join(root, 'content/agents/a.md'))).toBe(false)
  })

  it('deletes the files of a target no longer configured, and the folders that empties, up to a folder still in use', async () => {
    const root = project({ 'output/gemini/sub/a.md': 'A\n', 'output/gemini/notes.md': 'mine\n', 'output/agents/a.md': 'A\n' })
    writeFiles(root, { 'output/.traitgen/manifest.json': manifestOf(root, { 'output/gemini/sub/a.md': ['a', 'gemini'], 'output/agents/a.md': ['a', 'claude'] }) })
    const config = await loadProjectConfig(root, { inline: { targets: ['claude'] } })
    const messages: Message[] = []
    const committer = new OutputCommitter({ project: config, force: false, write: true, messages })
    committer.commit({ path: 'output/agents/a.md', text: 'A\n', sourceMap: undefined }, { agent: 'a', target: 'claude' })
    const records = committer.finish(finishAll)
    expect(messages).toEqual([])
    expect(records.filter((r) => r.path.endsWith('.md'))).toEqual([
      { path: 'output/agents/a.md', agent: 'a', target: 'claude', status: 'unchanged' },
      { path: 'output/gemini/sub/a.md', agent: 'a', target: 'gemini', status: 'deleted' },
    ])
    expect(listFiles(root, 'output').filter((f) => !f.includes('.traitgen'))).toEqual(['output/agents/a.md', 'output/gemini/notes.md'])
    expect(existsSync(path.join(root, 'output/gemini/sub'))).toBe(false)
    expect(Object.keys(readManifest(path.join(root, 'output')).files)).toEqual(['output/agents/a.md'])
  })
})

describe('output lock', () => {
  const ownerOf = (pid: number, host = hostname()) => `${JSON.stringify({ pid, host, started: '2026-01-01T00:00:00.000Z' })}\n`

  it('release is idempotent, and leaves a lock file that is no longer its own', async () => {
    const root = project({})
    const out = path.join(root, 'output')
    const lock = await acquireOutputLock(out)
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid)
    writeFileSync(lock.file, ownerOf(1))
    lock.release()
    lock.release()
    expect(readFileSync(lock.file, 'utf8')).toBe(ownerOf(1))
  })

  it('waits for a lock of unreadable content while it is fresh, names no owner, and takes it over once it is old', async () => {
    const root = project({ 'output/.traitgen/lock': '{"pid": 12' })
    const out = path.join(root, 'output')
    const waits: unknown[] = []
    const error = await acquireOutputLock(out, { timeoutMs: 60, noticeMs: 0, onWait: (owner, file) => waits.push([owner, file]) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LockBusyError)
    expect((error as LockBusyError).owner).toBeUndefined()
    expect((error as Error).message).toMatch(/^another traitgen build \(unknown process\) is writing to this output folder; waited 0 s\. .*delete .*output\/\.traitgen\/lock$/)
    expect(waits).toEqual([[undefined, lockPath(out)]])
    const old = (Date.now() - 10_000) / 1000
    utimesSync(lockPath(out), old, old)
    writeFiles(root, { 'output/agents/.a.md.123.0badcafe.tmp': 'half' })
    const lock = await acquireOutputLock(out, { timeoutMs: 2000 })
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid)
    // Taking over a dead build's lock sweeps the temporary files it left.
    expect(listFiles(root, 'output')).toEqual(['output/.traitgen/lock'])
    lock.release()
    expect(existsSync(lockPath(out))).toBe(false)
  })

  it('never judges a lock from another host stale; takes over one naming this process that it does not hold', async () => {
    const root = project({ 'output/.traitgen/lock': ownerOf(process.pid, `not-${hostname()}`) })
    const out = path.join(root, 'output')
    const error = await acquireOutputLock(out, { timeoutMs: 60 }).catch((e: unknown) => e)
    expect((error as LockBusyError).owner).toEqual({ pid: process.pid, host: `not-${hostname()}`, started: '2026-01-01T00:00:00.000Z' })
    writeFileSync(lockPath(out), ownerOf(process.pid))
    const lock = await acquireOutputLock(out, { timeoutMs: 2000 })
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).started).not.toBe('2026-01-01T00:00:00.000Z')
    lock.release()
  })

  it('withOutputLock: a busy lock becomes BUILD_LOCKED at the lock file; a lock that cannot be made is WRITE_FAILED', async () => {
    const root = project({ 'output/.traitgen/lock': 'garbage' })
    const config = await loadProjectConfig(root, { inline: {} })
    let built = false
    const result = await withOutputLock(config, { timeoutMs: 30 }, async () => {
      built = true
      throw new Error('not reached')
    })
    expect(built).toBe(false)
    expect(result.ok).toBe(false)
    expect(result.messages.map((m) => [m.severity, m.code, m.file, m.line, m.column, m.context])).toEqual([['error', 'BUILD_LOCKED', 'output/.traitgen/lock', 1, 1, undefined]])
    expect(result.messages[0]?.message).toContain('if no traitgen is running, delete output/.traitgen/lock')
    // The output folder's place is taken by a file: the lock cannot even be made.
    const blocked = project({ output: 'a file\n' })
    const blockedConfig = await loadProjectConfig(blocked, { inline: {} })
    let ran = false
    const refused = await withOutputLock(blockedConfig, undefined, async () => {
      ran = true
      return result
    })
    expect(ran).toBe(false)
    expect(refused.ok).toBe(false)
    expect(refused.messages.map((m) => [m.severity, m.code, m.file, m.line, m.column])).toEqual([['error', 'WRITE_FAILED', 'output/.traitgen', 1, 1]])
    expect(refused.messages[0]?.message).toContain('could not create the lock in output/.traitgen (ENOTDIR); output/.traitgen and the folders above it must be folders')
    // Anything else (not a file-system error) is a bug and is thrown.
    const odd = await withOutputLock({ ...blockedConfig, outputDir: 42 as unknown as string }, undefined, async () => result).catch((e: unknown) => e)
    expect(odd).toBeInstanceOf(TypeError)
  })
})

describe('safe writes', () => {
  it('pathKind tells files, links, folders, missing paths and devices apart; readExisting reads regular files only', () => {
    const root = project({ 'a.md': 'A\n' })
    symlinkSync(path.join(root, 'a.md'), path.join(root, 'link.md'))
    expect([pathKind(path.join(root, 'a.md')), pathKind(path.join(root, 'link.md')), pathKind(root), pathKind(path.join(root, 'nope')), pathKind('/dev/null')]).toEqual([
      'file',
      'link',
      'directory',
      'missing',
      'other',
    ])
    expect([readExisting(path.join(root, 'a.md')), readExisting(path.join(root, 'link.md')), readExisting('/dev/null')]).toEqual(['A\n', undefined, undefined])
  })

  it('assertWritableLocation passes missing folders inside the root, refuses a link out, and rethrows what is not "missing"', () => {
    const root = project({ 'outside/x.md': 'x\n', 'output/file': 'a file\n' })
    const out = path.join(root, 'output')
    expect(() => assertWritableLocation(path.join(out, 'agents/deep/er/a.md'), out)).not.toThrow()
    symlinkSync(path.join(root, 'outside'), path.join(out, 'agents'))
    expect(() => assertWritableLocation(path.join(out, 'agents/new/a.md'), out)).toThrow('a folder on its path leads outside the output folder')
    expect(() => assertWritableLocation(path.join(out, 'file/a.md'), path.join(out, 'file/sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }))
    expect(() => assertWritableLocation(path.join(out, 'file/sub/a.md'), out)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }))
  })

  it('writeAtomic refuses a folder; removeOutput removes a link, not what it points to', () => {
    const root = project({ 'output/agents/a.md/x': 'x\n', 'keep.md': 'keep\n' })
    expect(() => writeAtomic(path.join(root, 'output/agents/a.md'), 'A\n')).toThrow(expect.objectContaining({ code: 'EISDIR' }))
    mkdirSync(path.join(root, 'output/other'))
    symlinkSync(path.join(root, 'keep.md'), path.join(root, 'output/other/b.md'))
    removeOutput(path.join(root, 'output/other/b.md'), path.join(root, 'output'))
    expect(existsSync(path.join(root, 'output/other'))).toBe(false)
    expect(readFileSync(path.join(root, 'keep.md'), 'utf8')).toBe('keep\n')
    expect(lstatSync(path.join(root, 'output/agents/a.md')).isDirectory()).toBe(true)
  })

  it('sweepTemporaryFiles removes only names of the temporary pattern, and skips a folder it cannot read', () => {
    const root = project({ 'o/.a.md.42.0123abcd.tmp': 't', 'o/sub/.b.md.7.ffffffff.tmp': 't', 'o/.a.md.42.xyz.tmp': 'kept', 'o/a.md': 'kept' })
    expect(sweepTemporaryFiles(path.join(root, 'o')).map((f) => path.relative(root, f)).sort()).toEqual(['o/.a.md.42.0123abcd.tmp', 'o/sub/.b.md.7.ffffffff.tmp'])
    expect(listFiles(root)).toEqual(['o/.a.md.42.xyz.tmp', 'o/a.md'])
    expect(sweepTemporaryFiles(path.join(root, 'missing'))).toEqual([])
  })
})

