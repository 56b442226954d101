// Worker threads that parse beside the main thread: the same outputs and messages as one thread, parses kept
// in the parse cache, and a worker that fails costs nothing but time.
import { readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { agentFile, listFiles, readProjectFile, repoRoot, runCli, runJson, temporaryProjects, traitFile } from './support/project.js'

const project = temporaryProjects()

/** 30 traits of about 11 KB (above the threshold for starting workers), 6 agents, and one trait the parser refuses. */
function library(): Record<string, string> {
  const files: Record<string, string> = {}
  for (let i = 0; i < 30; i++) {
    const sections = Array.from({ length: 100 }, (_, s) => `### Part ${s}\n\nTrait ${i} says *this* and \`that()\` in part ${s}, with a [link](https://example.com/${s}).\n\n- one\n- two`)
    files[`content/traits/t/t${i}.md`] = traitFile(`version: 1.0.${i}`, `## Trait ${i}\n\n${sections.join('\n\n')}\n`)
  }
  files['content/traits/t/deep.md'] = `Deep:\n\n${'>'.repeat(150)} quote\n`
  for (let a = 0; a < 6; a++) files[`content/agents/a${a}.md`] = agentFile(`imports:\n  safety: [${[0, 1, 2, 3, 4].map((k) => `t${(a * 5 + k) % 30}`).join(', ')}]`, `Agent ${a}.\n`)
  files['content/agents/bad.md'] = agentFile('imports:\n  safety: [deep]', 'Bad.\n')
  return files
}

const parsed = (json: { stats: unknown }) => (json.stats as { parsed: { files: number; fromCache: number; inWorkers: number; workers: number } }).parsed
const outputsOf = (root: string) => Object.fromEntries(listFiles(root, 'output/agents').map((f) => [f, readProjectFile(root, f)]))

describe('worker threads', () => {
  it('parse part of a cold build: the outputs and messages are those of one thread, and the parse cache holds their parses', () => {
    const one = project(library())
    const two = project(library())
    const alone = runJson(['--workers', '0', 'build'], one)
    const shared = runJson(['--workers', '1', 'build'], two)
    expect(parsed(alone.json)).toMatchObject({ files: 38, inWorkers: 0, workers: 0 })
    expect(parsed(shared.json).workers).toBe(1)
    expect(parsed(shared.json).inWorkers).toBeGreaterThan(0)
    expect(parsed(shared.json).files).toBe(38)
    expect(outputsOf(two)).toEqual(outputsOf(one))
    expect(Object.keys(outputsOf(one))).toHaveLength(6)
    // The refused trait is reported the same way, wherever it was parsed.
    const where = (json: typeof alone.json) => json.messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.code}`)
    expect(where(shared.json)).toEqual(where(alone.json))
    expect(where(alone.json)).toContain('content/traits/t/deep.md:3:1 MARKDOWN_TOO_DEEP')
    // Every file that parsed has its entry, the workers' included: a rebuild from nothing parses none again.
    expect(readdirSync(path.join(two, 'output/.traitgen/cache/parsed'))).toHaveLength(37)
    const again = runJson(['--workers', '1', 'build', '--clean'], two)
    expect(parsed(again.json)).toMatchObject({ files: 38, fromCache: 37, inWorkers: 0 })
    expect(outputsOf(two)).toEqual(outputsOf(one))
  }, 120_000)

  it('the text report names the worker threads; a bad --workers value is a usage error', () => {
    const root = project(library())
    const run = runCli(['--workers', '1', 'build', '--stats'], root)
    expect(run.stdout).toMatch(/^parsed: 38 files, 0 of them from the parse cache, \d+ on 1 worker thread$/m)
    for (const bad of ['many', '-1', '1.5']) {
      const usage = runCli(['--workers', bad, 'build'], root)
      expect(usage.status).toBe(2)
      expect(usage.stderr).toContain(`--workers takes a number from 0 to 99 or auto, not "${bad}"`)
    }
  }, 60_000)

  it('a worker that fails gives its files back to the main thread', async () => {
    const { parseAhead } = (await import(pathToFileURL(path.join(repoRoot, 'dist/src/parse/parse-pool.js')).href)) as typeof import('../src/parse/parse-pool.js')
    const { createSourceFile } = await import('../src/model/source.js')
    const root = project({})
    const failing = path.join(root, 'failing-worker.mjs')
    writeFileSync(failing, "throw new Error('worker failed to start')\n")
    const files = Array.from({ length: 20 }, (_, i) => createSourceFile(`t${i}.md`, `/x/t${i}.md`, `# T${i}\n\n${'text '.repeat(2000)}\n`))
    const here: string[] = []
    const results = await parseAhead(files, 2, { compact: true, cache: undefined }, (file) => here.push(file.path), pathToFileURL(failing))
    expect(results.size).toBe(0)
    expect(here.sort()).toEqual(files.map((f) => f.path).sort())
    // A worker that cannot even be created (Node refuses the script's URL) is skipped the same way.
    const again: string[] = []
    const none = await parseAhead(files, 1, { compact: true, cache: undefined }, (file) => again.push(file.path), new URL('https://example.com/worker.js'))
    expect(none.size).toBe(0)
    expect(again).toHaveLength(files.length)
  })
})
