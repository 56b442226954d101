// A parse worker thread: parses the files it is sent (as `parseStored` does on the main thread), keeps each
// parse in the persistent parse cache when the build writes one, and sends the parses back.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { createSourceFile } from '../model/source.js'
import { ParseCache } from '../output/parse-cache.js'
import { parseStored } from './document.js'
import type { AheadFile, AheadReply, AheadSetup } from './parse-pool.js'

const setup = workerData as AheadSetup & { port: MessagePort }
const cache = setup.cache ? new ParseCache(setup.cache.outputDir, setup.cache.writable, setup.compact) : undefined

setup.port.on('message', (files: AheadFile[]) => {
  const replies: AheadReply[] = files.map((sent) => {
    const file = createSourceFile(sent.path, sent.abs, sent.text, sent.hash)
    const { stored, messages } = parseStored(file, { compact: setup.compact })
    if (stored) cache?.put(file, stored)
    return { path: sent.path, hash: sent.hash, stored, messages }
  })
  setup.port.postMessage(replies)
})
// Nothing else to say to the parent: the port carries the work both ways.
parentPort?.unref()
