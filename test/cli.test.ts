// The CLI as users run it: options, exit codes, message format and order, --json, --quiet/--verbose.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentFile, runCli, runJson, temporaryProjects, traitFile } from './support/project.js'

const project = temporaryProjects()

const messy = {
  'content/traits/t/code.md': traitFile('', 'Prose.\n\n```sh\necho {{ missing_in_code }}\n```\n'),
  'content/traits/t/prose.md': traitFile('', 'Hello {{ nobody }}.\n'),
  'content/traits/t/odd.md': traitFile('owner: platform-team', 'Odd key, allowed.\n'),
  'content/agents/b.md': agentFile('imports:\n  t: [prose]'),
  'content/agents/a.md': agentFile('imports:\n  t: [nothing-here, code, odd]'),
}

describe('traitgen CLI', () => {
  it('prints messages as file:line:column: severity CODE text, sorted by file and line, then a summary', () => {
    const root = project(messy)
    const run = runCli(['build'], root)
    expect(run.status).toBe(1)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines.slice(0, 2)).toEqual([
      'content/agents/a.md:4:7: error TRAIT_NOT_FOUND no trait "nothing-here"; check the trait id',
      'content/traits/t/prose.md:1:7: error UNDEFINED_VARIABLE undefined variable "nobody"; define it in the agent\'s variables, the config\'s variables or the trait\'s variables, or write \\{{ to keep the braces',
    ])
    expect(lines[2]).toMatch(/^built 0 agents, 2 failed \(0 written, 0 unchanged\), 2 errors, in \d+ ms$/)
  })

  it('--verbose adds info messages (placeholders in code), --quiet prints errors only', () => {
    const root = project({ ...messy, 'content/agents/a.md': agentFile('imports:\n  t: [code]') })
    const verbose = runCli(['build', '--verbose'], root)
    expect(verbose.stdout).toContain('content/traits/t/code.md:4:6: info UNDEFINED_VARIABLE placeholder "missing_in_code" in code has no value and is left as written')
    const plain = runCli(['build'], root)
    expect(plain.stdout).not.toContain('missing_in_code')
    const quiet = runCli(['build', '--quiet'], root)
    expect(quiet.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/UNDEFINED_VARIABLE undefined variable "nobody"/)])
  })

  it('--json prints one document with ok, messages, outputs and stats', () => {
    const root = project(messy)
    const { status, json } = runJson(['build'], root)
    expect(status).toBe(1)
    expect(json.ok).toBe(false)
    expect(json.messages[0]).toEqual({
      severity: 'error',
      code: 'TRAIT_NOT_FOUND',
      message: 'no trait "nothing-here"; check the trait id',
      file: 'content/agents/a.md',
      line: 4,
      column: 7,
      context: { ref: 'nothing-here', suggestions: [] },
    })
    expect(json.outputs).toEqual([])
    expect(json.stats).toMatchObject({ agents: { total: 2, built: 0, failed: 2 } })
  })

  it('--root and --config point at a project and config elsewhere', () => {
    const root = project({
      'proj/content/traits/t/x.md': traitFile('', 'Value: {{ v }}.\n'),
      'proj/content/agents/a.md': agentFile('imports:\n  t: [x]'),
      'configs/tg.mjs': "export default { variables: { v: 'from-config' }, output: 'built' }\n",
    })
    const run = runCli(['--root', path.join(root, 'proj'), '--config', '../configs/tg.mjs', 'build'], root)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(runCli(['check', '--root', 'proj', '--config', '../configs/tg.mjs'], root).status).toBe(0)
  })

  it('--strict makes unknown trait keys errors', () => {
    const root = project({ 'content/traits/t/odd.md': traitFile('owner: platform-team', 'Text.\n'), 'content/agents/a.md': agentFile('imports:\n  t: [odd]') })
    expect(runCli(['build'], root).status).toBe(0)
    const { status, json } = runJson(['build', '--strict'], root)
    expect(status).toBe(1)
    expect(json.messages.map((m) => [m.code, m.file, m.line, m.column])).toEqual([['INVALID_FRONTMATTER', 'content/traits/t/odd.md', 2, 1]])
  })

  it('bad usage exits 2: unknown command, unknown option, unknown --target', () => {
    const root = project(messy)
    expect(runCli(['frobnicate'], root).status).toBe(2)
    expect(runCli(['build', '--nope'], root).status).toBe(2)
    const target = runCli(['build', '--target', 'nope'], root)
    expect(target.status).toBe(2)
    expect(target.stderr).toContain('--target nope: no such target in the config; targets: claude')
  })

  it('a broken config exits 2 naming the key path; --json gives a document', () => {
    const root = project({ ...messy, 'traitgen.config.mjs': 'export default { limits: { lines: { maxx: 3 } }, colour: true }\n' })
    const run = runCli(['build'], root)
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('unknown key colour')
    expect(run.stderr).toContain('unknown key limits.lines.maxx')
    const json = runCli(['build', '--json'], root)
    expect(json.status).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } })
  })

  it.each([
    ['traitgen.config.mjs', "export default {\n  targets: ['claude']\n  oops: 1,\n}\n", ':3:2: '],
    ['traitgen.config.ts', "export default {\n  targets: ['claude'],\n  limits: { lines: { max: 5 } }}\n}\n", ':4:0: '],
  ])('a config with a syntax error exits 2 naming the file and line (%s)', (name, text, place) => {
    const root = project({ ...messy, [name]: text })
    const run = runCli(['build'], root)
    expect(run.status).toBe(2)
    expect(run.stderr.startsWith(`traitgen: could not load ${name}${place}`)).toBe(true)
  })

  it('--help lists the commands with an example', () => {
    const root = project({})
    const help = runCli(['build', '--help'], root)
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('$ traitgen build code-reviewer --stats')
    expect(runCli(['--help'], root).stdout).toMatch(/build \[options\] \[agents\.\.\.\][\s\S]*check/)
  })

  it('never colours piped output, and --no-color is accepted', () => {
    const root = project(messy)
    const run = runCli(['build', '--no-color'], root, { NO_COLOR: '' })
    expect(run.stdout).not.toMatch(/\u001b\[/)
  })

  it('build --stats prints the phase timings', () => {
    const root = project({ 'content/agents/a.md': agentFile('') })
    const run = runCli(['build', '--stats'], root)
    expect(run.stdout).toMatch(/^phases: load [\d.]+ ms, parse [\d.]+ ms, resolve [\d.]+ ms, splice [\d.]+ ms, validate [\d.]+ ms, write [\d.]+ ms$/m)
    expect(run.stdout).toMatch(/^traits: 0, trait load p95 [\d.]+ ms, slowest resolution [\d.]+ ms, slowest render [\d.]+ ms, cache hit rate [\d.]+%, peak memory \d+ MB$/m)
    expect(run.stdout).toMatch(/^budgets: maxLoadTimeMs 500 met \([\d.]+\), maxResolveTimeMs 100 met \([\d.]+\), maxMemoryMb 1024 met \(\d+\)$/m)
  })

  it('a missed performance budget is a warning with --stats, an error with --strict too; the same numbers in --json', () => {
    const root = project({ 'content/agents/a.md': agentFile(''), 'traitgen.config.mjs': 'export default { performance: { maxMemoryMb: 1 } }\n' })
    expect(runCli(['build'], root).stdout).not.toContain('PERFORMANCE_BUDGET')
    const warned = runCli(['build', '--stats'], root)
    expect(warned.status).toBe(0)
    expect(warned.stdout).toMatch(/^traitgen\.config\.mjs:1:1: warning PERFORMANCE_BUDGET performance\.maxMemoryMb missed: \d+ against a budget of 1;/m)
    expect(runCli(['build', '--stats', '--strict'], root).status).toBe(1)
    const { json } = runJson(['build', '--stats'], root)
    expect((json.stats as { budgets: unknown[] }).budgets).toContainEqual(expect.objectContaining({ name: 'maxMemoryMb', limit: 1, met: false }))
  })
})
