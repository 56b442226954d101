// The CLI's main() in the test's own process: what it prints and returns for a build and a check, with and
// without colour settings (the child-process tests cover the rest; these reach the same code under vitest).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/main.js'
import { agentFile, temporaryProjects, traitFile } from '../support/project.js'

const project = temporaryProjects()

/** Capture standard output and error while main() runs. */
function capture() {
  const out: string[] = []
  const err: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk))
    return true
  })
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk))
    return true
  })
  return { stdout: () => out.join(''), stderr: () => err.join('') }
}

let noColor: string | undefined
beforeEach(() => {
  noColor = process.env.NO_COLOR
  delete process.env.NO_COLOR
})
afterEach(() => {
  vi.restoreAllMocks()
  if (noColor === undefined) delete process.env.NO_COLOR
  else process.env.NO_COLOR = noColor
})

describe('main() in process', () => {
  it('build: exit 1 and the messages with the summary; uncoloured off a terminal, with or without NO_COLOR and --no-color', async () => {
    const root = project({
      'content/traits/t/one.md': traitFile('', 'One.\n'),
      'content/agents/a.md': agentFile('imports:\n  t: [one]'),
      'content/agents/b.md': agentFile('imports:\n  t: [nope]'),
    })
    const texts: string[] = []
    for (const [args, env] of [
      [['build'], undefined],
      [['build', '--no-color'], undefined],
      [['build'], '1'],
    ] as const) {
      if (env) process.env.NO_COLOR = env
      const io = capture()
      expect(await main(['--root', root, ...args])).toBe(1)
      vi.restoreAllMocks()
      texts.push(io.stdout())
      expect(io.stderr()).toBe('')
    }
    const first = texts[0] as string
    expect(first).toMatch(/^content\/agents\/b\.md:4:7: error TRAIT_NOT_FOUND no trait "nope"; did you mean "t\/one"\?\nbuilt 1 agent, 1 failed \(1 written, 0 unchanged\), 1 error, in \d+ ms\n$/)
    expect(first).not.toContain('\u001b[')
    expect(texts.map((t) => t.split('\n')[0])).toEqual([first.split('\n')[0], first.split('\n')[0], first.split('\n')[0]])
  })

  it('check --json --quiet: one document, the messages kept; exit 1 for the stale file', async () => {
    const root = project({ 'content/agents/a.md': agentFile('') })
    let io = capture()
    expect(await main(['--root', root, '--quiet', 'build'])).toBe(0)
    expect(io.stdout()).toBe('')
    vi.restoreAllMocks()
    io = capture()
    expect(await main(['--root', root, '--json', 'check'])).toBe(0)
    expect(JSON.parse(io.stdout())).toMatchObject({ ok: true, messages: [], outputs: [{ path: 'output/agents/a.md', status: 'unchanged' }] })
  })
})
