// A bug inside traitgen (simulated: the library throws where it never should) is exit 3 with "internal error"
// and what was thrown, on standard error; nothing on standard output.
import { afterEach, describe, expect, it, vi } from 'vitest'

const failure = vi.hoisted(() => ({ value: undefined as unknown }))
vi.mock('../../src/traitgen.js', () => ({
  createTraitgen: () => {
    throw failure.value
  },
}))
const { main } = await import('../../src/cli/main.js')

async function run(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0)
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0)
  const code = await main(args)
  vi.restoreAllMocks()
  return { code, stdout: out.join(''), stderr: err.join('') }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('internal errors', () => {
  it('an Error: exit 3 with its stack', async () => {
    const error = new RangeError('index out of bounds')
    failure.value = error
    const result = await run(['build'])
    expect([result.code, result.stdout]).toEqual([3, ''])
    expect(result.stderr).toBe(`traitgen: internal error: ${error.stack}\n`)
    expect(result.stderr).toMatch(/^traitgen: internal error: RangeError: index out of bounds\n {4}at /)
  })

  it('an Error without a stack: its message', async () => {
    const error = new Error('lost its stack')
    ;(error as { stack?: string | undefined }).stack = undefined
    failure.value = error
    expect(await run(['check'])).toEqual({ code: 3, stdout: '', stderr: 'traitgen: internal error: lost its stack\n' })
  })

  it('something thrown that is not an Error: its text, also with --json', async () => {
    failure.value = 'a bare string'
    expect(await run(['list'])).toEqual({ code: 3, stdout: '', stderr: 'traitgen: internal error: a bare string\n' })
    failure.value = 42
    expect(await run(['--json', 'graph'])).toEqual({ code: 3, stdout: '', stderr: 'traitgen: internal error: 42\n' })
  })
})
