// The CLI's text output where the other tests read --json: watch mode's lines, and explain and list on a library with a broken agent.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { agentFile, cliPath, runCli, temporaryProjects, traitFile, writeFiles } from './support/project.js'

const project = temporaryProjects()

/** `traitgen watch <args>` in text mode, its standard output read line by line. */
function watchText(root: string, args: string[]) {
  const child = spawn(process.execPath, [cliPath, 'watch', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return {
    /** Wait for a line matching `pattern` after the first `from` characters of output; resolves to the output from there. */
    async waitFor(pattern: RegExp, from = 0): Promise<string> {
      const deadline = Date.now() + 20_000
      while (!pattern.test(stdout.slice(from))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output: ${stdout}; stderr: ${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return stdout.slice(from)
    },
    get length() {
      return stdout.length
    },
    get stderr() {
      return stderr
    },
    stop(): Promise<number | null> {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode)
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      child.kill('SIGINT')
      return exited
    },
  }
}

const running: Array<ReturnType<typeof watchText>> = []
afterEach(async () => {
  for (const w of running.splice(0)) await w.stop()
})

describe('traitgen watch without --json', () => {
  it('prints the build summary and --stats, the watched folders, each rebuild with its messages, recoveries and unusable configs', async () => {
    const root = project({
      // Budgets no machine misses, so that --stats adds no warning however loaded the machine is.
      'traitgen.config.mjs': 'export default { performance: { maxLoadTimeMs: 1e9, maxResolveTimeMs: 1e9, maxMemoryMb: 1e9, minCacheHitRate: 0 } }\n',
      'content/traits/t/one.md': traitFile('', 'One.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [one]', 'Agent A.\n'),
      'content/agents/b.md': agentFile('', 'Agent B.\n'),
    })
    const w = watchText(root, ['--stats'])
    running.push(w)
    const start = await w.waitFor(/press Ctrl-C to stop\n/)
    const lines = start.split('\n')
    expect(lines[0]).toMatch(/^built 2 agents \(2 written, 0 unchanged\), in \d+ ms$/)
    expect(lines[1]).toMatch(/^phases: load \d+(\.\d+)? ms, parse /)
    expect(lines[2]).toMatch(/^traits: 1, trait load p95 /)
    expect(lines[3]).toBe('read: 3 of 3 content files (the others are as the last build recorded them)')
    expect(lines[4]).toBe('parsed: 3 files, 0 of them from the parse cache')
    expect(lines[5]).toMatch(/^budgets: maxLoadTimeMs 1000000000 met \(/)
    expect(lines[6]).toBe('watching content (2 agents); press Ctrl-C to stop')

    let from = w.length
    writeFiles(root, { 'content/agents/a.md': agentFile('imports:\n  t: [one, nothing]', 'Agent A.\n') })
    const broken = (await w.waitFor(/changed: rebuilt .*\n(.*\n){2}/, from)).split('\n')
    // The messages first, then the rebuild line, then --stats.
    const at = (pattern: RegExp) => broken.findIndex((line) => pattern.test(line))
    const error = at(/^content\/agents\/a\.md:4:12: error TRAIT_NOT_FOUND /)
    const summary = at(/^content\/agents\/a\.md changed: rebuilt 0 of 2 agents, 1 failed in \d+ ms$/)
    expect([error >= 0, summary > error, at(/^phases: /) === summary + 1]).toEqual([true, true, true])

    from = w.length
    writeFiles(root, { 'content/agents/a.md': agentFile('imports:\n  t: [one]', 'Agent A, fixed.\n') })
    expect(await w.waitFor(/recovered/, from)).toMatch(/^content\/agents\/a\.md changed: rebuilt 1 of 2 agents, 1 recovered \(a\) in \d+ ms$/m)

    from = w.length
    writeFiles(root, { 'traitgen.config.mjs': 'export default { colour: "red" }\n' })
    expect(await w.waitFor(/cannot be used/, from)).toMatch(
      /^traitgen: the changed config cannot be used, keeping the previous one: traitgen\.config\.mjs: unknown key colour \(colour\); allowed: content, /m,
    )

    from = w.length
    rmSync(path.join(root, 'content'), { recursive: true })
    expect(await w.waitFor(/deleted or moved/, from)).toMatch(/^traitgen: content was deleted or moved; the outputs are kept as they are; waiting for it to come back \(Ctrl-C to stop\)$/m)
    expect(await w.stop()).toBe(0)
    expect(w.stderr).toBe('')
  })
})

describe('explain and list in text', () => {
  const library = {
    'content/traits/t/one.md': '# One\n\n## Part\n\nPart text.\n',
    'content/traits/t/same-a.md': 'Same.\n',
    'content/traits/t/same-b.md': 'Same.\n',
    'content/templates/house.md': traitFile('description: house', '<!-- @body -->\n\n<!-- @slot t -->\n'),
    'content/agents/a.md': agentFile('imports:\n  t: [nothing]', 'Agent A.\n'),
    'content/agents/b.md': agentFile('imports:\n  t: [same-b, same-a, one]', 'Agent B.\n'),
    'content/agents/c.md': agentFile('template: house\nimports:\n  t: [one#part]', 'Agent C.\n'),
    'traitgen.config.mjs': 'export default { limits: { lines: { min: 50 }, bytes: { max: 10000 } } }\n',
  }

  it("explain of a broken agent prints the messages that stop it, or with --json the error and the messages; exit 1", () => {
    const root = project(library)
    const text = runCli(['explain', 'a'], root)
    expect([text.status, text.stderr]).toEqual([1, ''])
    expect(text.stdout).toMatch(/^content\/agents\/a\.md:4:7: error TRAIT_NOT_FOUND [^\n]*"nothing"[^\n]*\n$/)
    const json = runCli(['explain', 'a', '--json'], root)
    expect(json.status).toBe(1)
    const document = JSON.parse(json.stdout) as { ok: boolean; error: { name: string; code: string }; messages: Array<{ code: string; line: number; column: number }> }
    expect([document.ok, document.error.name, document.error.code]).toEqual([false, 'TraitNotFoundError', 'TRAIT_NOT_FOUND'])
    expect(document.messages.map((m) => [m.code, m.line, m.column])).toEqual([['TRAIT_NOT_FOUND', 4, 7]])
  })

  it('explain names a section placement, the template, and a min limit; list sorts equal sizes by id and flags the broken agent', () => {
    const root = project(library)
    const explain = runCli(['explain', 'c'], root)
    expect(explain.status).toBe(0)
    expect(explain.stdout).toMatch(/^1 {2}t\/one#part {2}0\.0\.0 {4}imported in group t {2}3 /m)
    expect(explain.stdout).toMatch(/^c, laid out by template house: \d+ lines \(min 50\), \d+ bytes of max 10000, ~\d+ tokens \(/m)
    const list = runCli(['list', '--sort', 'size'], root)
    expect(list.status).toBe(0)
    const rows = list.stdout.split('\n').map((l) => l.split(/\s{2,}/))
    expect(rows.filter((r) => r.length === 5 && r[0] !== 'agent' && r[0] !== 'trait').map((r) => [r[0], r[4]])).toEqual([
      ['b', '3 traits'],
      ['c', '1 traits'],
      ['a', 'has errors'],
      ['t/one', 'used by 2'],
      ['t/same-a', 'used by 1'],
      ['t/same-b', 'used by 1'],
    ])
    expect(list.stdout.trimEnd().split('\n').at(-1)).toBe('3 agents, 3 traits')
  })
})
