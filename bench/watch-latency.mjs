#!/usr/bin/env node
// Watch-mode latency on a generated corpus: `node bench/watch-latency.mjs [traits] [agents] [edits]`.
// In one run: a cold `traitgen build`, a nothing-changed build, then `traitgen watch --json` and N saves of a
// rarely used trait, each timed from the save to the rebuild event (its outputs written). Prints medians.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, appendFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateCorpus } from './corpus.mjs'

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '../bin/traitgen.js')
const [traits = 300, agents = 200, edits = 7] = process.argv.slice(2).map(Number)
const dir = mkdtempSync(path.join(tmpdir(), 'traitgen-bench-'))
const corpus = generateCorpus(dir, traits, agents)
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const timed = (args) => {
  const start = performance.now()
  execFileSync(process.execPath, [cli, ...args], { cwd: dir, stdio: 'ignore' })
  return performance.now() - start
}

const cold = timed(['build', '--quiet'])
const warm = timed(['build', '--quiet'])
const child = spawn(process.execPath, [cli, 'watch', '--json'], { cwd: dir })
let buffer = ''
const waiters = []
child.stdout.on('data', (chunk) => {
  buffer += chunk
  for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
    const event = JSON.parse(buffer.slice(0, newline))
    buffer = buffer.slice(newline + 1)
    for (const waiter of waiters.splice(0)) waiter(event)
  }
})
const next = (predicate) =>
  new Promise((resolve) => {
    const listen = (event) => (predicate(event) ? resolve(event) : waiters.push(listen))
    waiters.push(listen)
  })
await next((e) => e.event === 'watching')
// The first edit right after start-up also pays for parsing what the cached first build skipped.
const firstStart = performance.now()
appendFileSync(path.join(dir, 'content/traits', `${corpus.rareTrait}.md`), '\nFirst edit.\n')
await next((e) => e.event === 'rebuild')
const firstEditMs = performance.now() - firstStart
await next((e) => e.event === 'warm')
const latencies = []
const buildTimes = []
let rebuilt = 0
const file = path.join(dir, 'content/traits', `${corpus.rareTrait}.md`)
for (let i = 0; i < edits; i++) {
  const start = performance.now()
  const done = next((e) => e.event === 'rebuild')
  appendFileSync(file, `\nEdit ${i}.\n`)
  const event = await done
  latencies.push(performance.now() - start)
  buildTimes.push(event.ms)
  rebuilt = event.rebuilt.length
  await new Promise((r) => setTimeout(r, 300))
}
child.kill('SIGINT')
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify({ corpus: { traits, agents, bytes: corpus.bytes, rareTrait: corpus.rareTrait }, coldBuildMs: Math.round(cold), unchangedBuildMs: Math.round(warm), watchEdit: { agentsRebuilt: rebuilt, firstEditMs: Math.round(firstEditMs), medianMs: Math.round(median(latencies)), medianRebuildMs: Math.round(median(buildTimes)), runs: latencies.map(Math.round) } }, null, 2))
