// On a real terminal (a pseudo-terminal from script(1)): colours and a progress bar; piped output has neither.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { generateCorpus } from '../bench/corpus.mjs'
import { agentFile, cliPath, runCli, temporaryProjects } from './support/project.js'

const project = temporaryProjects()

/** Run the CLI under a pseudo-terminal; returns everything the terminal received. */
function onTerminal(args: string, cwd: string, env: Record<string, string> = {}): string {
  const { NO_COLOR: _ignored, ...rest } = process.env
  const result = spawnSync('script', ['-qec', `${process.execPath} ${cliPath} ${args}`, '/dev/null'], { cwd, encoding: 'utf8', env: { ...rest, TERM: 'xterm', ...env }, timeout: 60_000 })
  return result.stdout
}

describe('terminal', () => {
  it('colours severities on a terminal, never with NO_COLOR or --no-color or when piped', () => {
    const root = project({ 'content/agents/a.md': agentFile('imports:\n  x: [missing]') })
    expect(onTerminal('build', root)).toContain('\u001b[31merror\u001b[39m TRAIT_NOT_FOUND')
    expect(onTerminal('build --no-color', root)).not.toMatch(/\u001b\[3\dm/)
    expect(onTerminal('build', root, { NO_COLOR: '1' })).not.toMatch(/\u001b\[3\dm/)
    expect(runCli(['build'], root, { NO_COLOR: '' }).stdout).not.toMatch(/\u001b\[/)
  })

  it('--log-format json writes one pino event per trait operation on standard error', () => {
    const root = project({ 'content/traits/x/t.md': 'Text.\n', 'content/traits/x/bad.md': '---\nversion: [\n---\n\nBad.\n', 'content/agents/a.md': agentFile('imports:\n  x: [t]') })
    const run = runCli(['build', '--log-format', 'json'], root)
    const events = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(events.map((e) => [e.operation, e.trait, e.success])).toEqual([
      ['read', 'x/bad', true],
      ['read', 'x/t', true],
      ['parse', 'x/bad', false],
      ['parse', 'x/t', true],
    ])
    expect(events.every((e) => typeof e.durationMs === 'number' && e.msg === 'trait operation' && typeof e.time === 'string')).toBe(true)
    expect(runCli(['build', '--log-format', 'xml'], root).status).toBe(2)
  })

  it('shows a progress bar on builds longer than a second, and clears it', () => {
    const root = project({})
    generateCorpus(root, 12, 8)
    const screen = onTerminal('build --clean', root, { TRAITGEN_PROGRESS_AFTER_MS: '0' })
    expect(screen).toMatch(/\r\[#{30}\] 8\/8 agents/)
    expect(screen).toMatch(/\r\u001b\[Kbuilt 8 agents/)
    const piped = runCli(['build', '--clean'], root, { TRAITGEN_PROGRESS_AFTER_MS: '0' })
    expect(piped.stderr).toBe('')
  })
})
