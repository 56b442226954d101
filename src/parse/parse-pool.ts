// Parsing ahead on worker threads: a cold build's files are parsed by the main thread and by workers at once.
// The main thread polls the workers' ports between its own parses (no event loop turn needed), so it never
// waits while there is work left; results come back as plain data (compact trees are small to copy).
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import type { Message } from '../model/messages.js'
import type { SourceFile } from '../model/source.js'
import type { StoredParse } from './document.js'

/** What a worker is told once: how to parse, and where the parse cache is (when the build keeps one). */
export interface AheadSetup {
  compact: boolean
  cache: { outputDir: string; writable: boolean } | undefined
}

/** A file sent to a worker. */
export interface AheadFile {
  path: string
  abs: string
  text: string
  hash: string
}

/** A worker's parse of one file. */
export interface AheadReply {
  path: string
  hash: string
  stored: StoredParse | undefined
  messages: Message[]
}

/** Worker threads are worth starting only for this much parsing (a worker takes about 150 ms to load remark). */
export const aheadThreshold = { files: 16, bytes: 256 * 1024 }
/** Text sent to a worker in one message. */
const chunkBytes = 48 * 1024
/** Chunks a worker holds at once, so it never idles while the main thread is busy parsing. */
const chunksInFlight = 2

const workerUrl = new URL('./parse-worker.js', import.meta.url)

/**
 * The worker threads to use for `requested` (`'auto'`: one per core beyond the first, at most 3). Zero when
 * the worker script is not there to run (the TypeScript sources run under a test runner, not the build).
 */
export function workerCount(requested: number | 'auto'): number {
  if (!existsSync(fileURLToPath(workerUrl))) return 0
  if (requested === 'auto') return Math.max(0, Math.min(availableParallelism() - 1, 3))
  return Math.max(0, Math.floor(requested))
}

interface Helper {
  worker: Worker
  port: MessagePort
  inFlight: AheadFile[][]
  dead: boolean
}

/**
 * Parse `files` on this thread (`parseHere`, largest last) and on `workers` threads (largest first) at once;
 * returns the workers' parses by path. A worker that fails gives its files back to this thread. `script`: the
 * worker's code (tests give one that fails).
 */
export async function parseAhead(
  files: readonly SourceFile[],
  workers: number,
  setup: AheadSetup,
  parseHere: (file: SourceFile) => void,
  script: URL = workerUrl,
): Promise<Map<string, AheadReply>> {
  const queue = [...files].sort((a, b) => b.text.length - a.text.length)
  const results = new Map<string, AheadReply>()
  const helpers: Helper[] = []
  for (let i = 0; i < workers; i++) {
    const { port1, port2 } = new MessageChannel()
    let worker: Worker
    try {
      worker = new Worker(script, { workerData: { ...setup, port: port2 }, transferList: [port2] })
    } catch {
      // No thread to be had (a resource limit): this thread parses what that one would have.
      port1.close()
      continue
    }
    const helper: Helper = { worker, port: port1, inFlight: [], dead: false }
    const fail = () => {
      if (helper.dead) return
      helper.dead = true
      // Whatever it was parsing is parsed here instead.
      for (const chunk of helper.inFlight.splice(0)) for (const sent of chunk) requeue(sent)
    }
    worker.on('error', fail)
    worker.on('exit', fail)
    helpers.push(helper)
  }
  const byPath = new Map(files.map((file) => [file.path, file]))
  const requeue = (sent: AheadFile) => {
    const file = byPath.get(sent.path)
    if (file && !results.has(sent.path)) queue.push(file)
  }
  const collect = (helper: Helper) => {
    for (let message = receiveMessageOnPort(helper.port); message; message = receiveMessageOnPort(helper.port)) {
      for (const reply of message.message as AheadReply[]) results.set(reply.path, reply)
      helper.inFlight.shift()
    }
  }
  const feed = (helper: Helper) => {
    while (!helper.dead && helper.inFlight.length < chunksInFlight && queue.length > 0) {
      const chunk: AheadFile[] = []
      let bytes = 0
      while (queue.length > 0 && (chunk.length === 0 || bytes + (queue[0] as SourceFile).text.length <= chunkBytes)) {
        const file = queue.shift() as SourceFile
        bytes += file.text.length
        chunk.push({ path: file.path, abs: file.abs, text: file.text, hash: file.hash })
      }
      helper.inFlight.push(chunk)
      helper.port.postMessage(chunk)
    }
  }
  try {
    for (;;) {
      for (const helper of helpers) {
        collect(helper)
        feed(helper)
      }
      const file = queue.pop()
      if (file) {
        parseHere(file)
        continue
      }
      if (!helpers.some((h) => !h.dead && h.inFlight.length > 0)) break
      // Nothing left for this thread: let the workers' messages and events in.
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  } finally {
    await Promise.all(helpers.map((h) => h.worker.terminate()))
  }
  return results
}
