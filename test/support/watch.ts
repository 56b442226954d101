// Test support: `traitgen watch --json` as a child process, read event by event.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { cliPath } from './project.js'

/** One JSON line of watch output. */
export interface WatchLine {
  event: string
  ok: boolean
  changed: string[]
  rebuilt: string[]
  total: number
  recovered: string[]
  error?: string
  messages: Array<{ severity: string; code: string; file: string; line: number; column: number; message: string }>
  outputs: Array<{ path: string; status: string }>
}

/** A running `traitgen watch --json`. */
export class WatchProcess {
  readonly events: WatchLine[] = []
  private readonly child: ChildProcessWithoutNullStreams
  private buffer = ''
  stderr = ''
  private waiters: Array<() => void> = []

  constructor(root: string, args: string[] = []) {
    this.child = spawn(process.execPath, [cliPath, 'watch', '--json', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } })
    this.child.stdout.setEncoding('utf8')
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk
      let newline = this.buffer.indexOf('\n')
      while (newline !== -1) {
        const line = this.buffer.slice(0, newline)
        this.buffer = this.buffer.slice(newline + 1)
        if (line.trim()) this.events.push(JSON.parse(line) as WatchLine)
        newline = this.buffer.indexOf('\n')
      }
      for (const wake of this.waiters.splice(0)) wake()
    })
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
    })
  }

  /** Wait until an event after index `from` matches; generous timeout (machines are noisy). */
  async waitFor(predicate: (event: WatchLine) => boolean, from = 0, timeoutMs = 20_000): Promise<WatchLine> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.events.slice(from).find(predicate)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(this.events.map((e) => [e.event, e.changed, e.rebuilt, e.error]))}; stderr: ${this.stderr}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Wait for the `watching` line. */
  ready(): Promise<WatchLine> {
    return this.waitFor((e) => e.event === 'watching')
  }

  /** Wait for the next rebuild after the events seen so far. */
  nextRebuild(predicate: (event: WatchLine) => boolean = () => true): Promise<WatchLine> {
    return this.waitFor((e) => e.event === 'rebuild' && predicate(e), this.events.length)
  }

  /** Send SIGINT and resolve to the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)))
    this.child.kill('SIGINT')
    return exited
  }
}

/** Sleep, for letting a quiet period pass. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
