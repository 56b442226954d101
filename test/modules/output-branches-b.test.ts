// The parse cache and the output lock in-process: entries of the wrong shape, a read-only cache that prunes
// nothing; the lock on a file system without hard links.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSourceFile } from '../../src/model/source.js'
import { ParseCache } from '../../src/output/parse-cache.js'
import type { StoredParse } from '../../src/parse/document.js'
import { temporaryProjects } from '../support/project.js'

const project = temporaryProjects()

// node:fs with a switch that makes linkSync fail as on a file system without hard links (EPERM).
const noHardLinks = vi.hoisted(() => ({ on: false }))
// And a hook on renameSync, to play another process that acts between two steps of the lock.
const beforeRename = vi.hoisted(() => ({ hook: undefined as undefined | ((from: string, to: string) => void) }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  return {
    ...fs,
    linkSync: (existing: string, created: string) => {
      if (noHardLinks.on) throw Object.assign(new Error(`EPERM: operation not permitted, link '${existing}' -> '${created}'`), { code: 'EPERM' })
      return fs.linkSync(existing, created)
    },
    renameSync: (from: string, to: string) => {
      const hook = beforeRename.hook
      beforeRename.hook = undefined
      hook?.(from, to)
      return fs.renameSync(from, to)
    },
  }
})
const { acquireOutputLock, lockPath, LockBusyError } = await import('../../src/output/lock.js')

afterEach(() => {
  noHardLinks.on = false
  beforeRename.hook = undefined
})

const parse: StoredParse = { tree: { type: 'root', children: [] }, sites: [], headings: [], messages: [] }

describe('ParseCache', () => {
  it('an entry for the right file and hash but of the wrong shape is not used (and not counted as a hit)', () => {
    const root = project({})
    const output = path.join(root, 'output')
    const file = createSourceFile('content/traits/t/a.md', path.join(root, 'content/traits/t/a.md'), 'A.\n')
    const cache = new ParseCache(output, true)
    cache.put(file, parse)
    expect(cache.get(file)).toMatchObject(parse)
    expect(cache.hits).toBe(1)
    const folder = path.join(output, '.traitgen/cache/parsed')
    const [name] = readdirSync(folder)
    const entry = path.join(folder, name as string)
    const stored = JSON.parse(readFileSync(entry, 'utf8')) as Record<string, unknown>
    for (const broken of [{ tree: { type: 'paragraph', children: [] } }, { tree: { type: 'root' } }, { sites: {} }, { headings: null }, { messages: 'none' }]) {
      writeFileSync(entry, JSON.stringify({ ...stored, ...broken }))
      expect(new ParseCache(output, true).get(file)).toBeUndefined()
    }
    writeFileSync(entry, JSON.stringify(stored))
    expect(new ParseCache(output, false).get(file)).toMatchObject(parse)
  })

  it('a read-only cache (check) stores nothing and prunes nothing', () => {
    const root = project({})
    const output = path.join(root, 'output')
    const a = createSourceFile('content/agents/a.md', path.join(root, 'content/agents/a.md'), 'A.\n')
    const b = createSourceFile('content/agents/b.md', path.join(root, 'content/agents/b.md'), 'B.\n')
    new ParseCache(output, true).put(a, parse)
    const readOnly = new ParseCache(output, false)
    readOnly.put(b, parse)
    readOnly.prune([b])
    expect([readOnly.stores, readdirSync(path.join(output, '.traitgen/cache/parsed'))]).toEqual([0, [expect.stringMatching(/\.json$/)]])
    expect(readOnly.get(a)).toMatchObject(parse)
    const writable = new ParseCache(output, true)
    writable.prune([b])
    expect(readdirSync(path.join(output, '.traitgen/cache/parsed'))).toEqual([])
  })
})

describe('the output lock without hard links', () => {
  it('is taken by an exclusive create; a second build waits for it and gets it once released', async () => {
    noHardLinks.on = true
    const root = project({})
    const output = path.join(root, 'output')
    mkdirSync(output)
    const first = await acquireOutputLock(output)
    const owner = JSON.parse(readFileSync(lockPath(output), 'utf8')) as { pid: number }
    expect(owner.pid).toBe(process.pid)
    const busy = await acquireOutputLock(output, { timeoutMs: 150 }).catch((e: unknown) => e)
    expect(busy).toBeInstanceOf(LockBusyError)
    expect((busy as InstanceType<typeof LockBusyError>).owner?.pid).toBe(process.pid)
    const second = acquireOutputLock(output, { timeoutMs: 5000 })
    setTimeout(() => first.release(), 100)
    const lock = await second
    expect(lock.file).toBe(lockPath(output))
    lock.release()
    expect(readdirSync(path.join(output, '.traitgen'))).toEqual([])
  })

})

describe('breaking a stale lock', () => {
  // No process has this pid (Linux pids stay below 2^22): the lock's owner is dead.
  const dead = () => `${JSON.stringify({ pid: 99_999_999, host: hostname(), started: '2026-01-01T00:00:00.000Z' })}\n`

  it('another build breaks it first: this one takes the lock after it', async () => {
    const root = project({})
    const output = path.join(root, 'output')
    mkdirSync(path.join(output, '.traitgen'), { recursive: true })
    writeFileSync(lockPath(output), dead())
    beforeRename.hook = (from) => rmSync(from)
    const lock = await acquireOutputLock(output, { timeoutMs: 2000 })
    expect((JSON.parse(readFileSync(lock.file, 'utf8')) as { pid: number }).pid).toBe(process.pid)
    lock.release()
  })

  it('another build takes the lock between the judgement and the break: its lock is put back, and this one waits for it', async () => {
    const root = project({})
    const output = path.join(root, 'output')
    mkdirSync(path.join(output, '.traitgen'), { recursive: true })
    writeFileSync(lockPath(output), dead())
    const fresh = `${JSON.stringify({ pid: process.ppid, host: hostname(), started: new Date().toISOString() })}\n`
    beforeRename.hook = (from) => writeFileSync(from, fresh)
    const busy = await acquireOutputLock(output, { timeoutMs: 300 }).catch((e: unknown) => e)
    expect(busy).toBeInstanceOf(LockBusyError)
    expect((busy as InstanceType<typeof LockBusyError>).owner?.pid).toBe(process.ppid)
    expect(readFileSync(lockPath(output), 'utf8')).toBe(fresh)
    expect(readdirSync(path.join(output, '.traitgen'))).toEqual(['lock'])
  })
})
