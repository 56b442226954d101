#!/usr/bin/env node
// `npm run bench [small|medium|large] [--runs N]`: whole-process timings on a generated corpus, all in one run:
// the text floor, the parse floor (with remark as installed, and with the bundled parser the traitgen command
// runs), and traitgen cold (worker threads on, then off) / nothing changed / one-trait edit, as medians with
// peak RSS, each traitgen figure also as a ratio to (parse floor + text floor), and to the floors with the
// bundled parser. Machines are noisy: compare ratios from the same run, not seconds across runs.
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateCorpus } from './corpus.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const cli = path.join(here, '../bin/traitgen.js')
const sizes = { small: [50, 20], medium: [300, 200], large: [2000, 2000] }
const args = process.argv.slice(2)
const size = args.find((a) => a in sizes) ?? 'small'
const runsAt = args.indexOf('--runs')
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : size === 'large' ? 3 : 5
const warmup = !args.includes('--no-warmup')

/** Run a command, returning wall time (ms) and peak RSS (MiB) from GNU time. */
function timed(command, argv, cwd) {
  const start = performance.now()
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 })
  const ms = performance.now() - start
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed:\n${result.stderr}`)
  const rss = Number(result.stderr.trim().split('\n').pop()) / 1024
  return { ms, rss }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
function measure(label, setup, run) {
  if (warmup) {
    setup()
    run()
  }
  const samples = []
  for (let i = 0; i < runs; i++) {
    setup()
    samples.push(run())
  }
  return { label, ms: median(samples.map((s) => s.ms)), rss: Math.max(...samples.map((s) => s.rss)) }
}

const dir = mkdtempSync(path.join(tmpdir(), `traitgen-bench-${size}-`))
const [traitCount, agentCount] = sizes[size]
const corpus = generateCorpus(dir, traitCount, agentCount)
const node = process.execPath
const clean = () => {
  rmSync(path.join(dir, 'output'), { recursive: true, force: true })
  rmSync(path.join(dir, 'floor-output'), { recursive: true, force: true })
}
const rare = path.join(dir, 'content/traits', `${corpus.rareTrait}.md`)
let edits = 0

const results = [
  measure('text floor', clean, () => timed(node, [path.join(here, 'floors/text.mjs'), dir], dir)),
  measure('parse floor', () => {}, () => timed(node, [path.join(here, 'floors/parse.mjs'), dir], dir)),
  measure('parse floor, bundled parser', () => {}, () => timed(node, [path.join(here, 'floors/parse.mjs'), dir, '--bundled'], dir)),
  measure('traitgen build, cold', clean, () => timed(node, [cli, 'build', '--quiet'], dir)),
  measure('traitgen build, cold, one thread (--workers 0)', clean, () => timed(node, [cli, '--workers', '0', 'build', '--quiet'], dir)),
  measure('traitgen build, nothing changed', () => {}, () => timed(node, [cli, 'build', '--quiet'], dir)),
  measure(`traitgen build, one-trait edit (${corpus.rareTrait}, used by ${corpus.rareTraitUsers} of ${agentCount} agents)`, () => appendFileSync(rare, `\nEdit ${++edits}.\n`), () => timed(node, [cli, 'build', '--quiet'], dir)),
]
const floor = results[0].ms + results[1].ms
const bundledFloor = results[0].ms + results[2].ms
const outputs = outputSizes(path.join(dir, 'output/agents'))
rmSync(dir, { recursive: true, force: true })

/** Lines per expanded agent and the whole output's size, from the last build's files. */
function outputSizes(folder) {
  const lines = []
  let bytes = 0
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.md')) continue
    const text = readFileSync(path.join(folder, name), 'utf8')
    bytes += Buffer.byteLength(text)
    lines.push(text.split('\n').length - 1)
  }
  lines.sort((a, b) => a - b)
  return { agents: lines.length, lines: lines.reduce((a, b) => a + b, 0), bytes, min: lines[0], median: median(lines), max: lines[lines.length - 1] }
}

const header = ['', 'time', 'peak RSS', 'ratio', 'bundled']
const rows = [header, ...results.map((r, i) => [r.label, `${(r.ms / 1000).toFixed(2)} s`, `${Math.round(r.rss)} MiB`, i >= 3 ? `${(r.ms / floor).toFixed(2)}×` : '', i >= 3 ? `${(r.ms / bundledFloor).toFixed(2)}×` : ''])]
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
console.log(`corpus ${size}: ${traitCount} traits, ${agentCount} agents, ${(corpus.bytes / 1e6).toFixed(1)} MB in; median of ${runs}${warmup ? ' after a warm-up' : ''}`)
console.log('ratio = time / (parse floor + text floor); bundled = time / (parse floor with the bundled parser traitgen runs + text floor)')
console.log(`out: ${(outputs.lines / 1e6).toFixed(2)} M lines, ${(outputs.bytes / 1e6).toFixed(0)} MB; an agent expands to ${outputs.min}–${outputs.max} lines, median ${outputs.median}`)
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '))
if (process.env.BENCH_JSON) console.log(JSON.stringify({ size, runs, floorMs: floor, bundledFloorMs: bundledFloor, results, outputs }))
export { results, floor, bundledFloor, outputs }
