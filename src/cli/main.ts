// The traitgen command line: a thin layer over the library; the only place that touches process and the terminal.
import { Command, CommanderError, Option } from 'commander'
import { TraitConfigError, TraitProcessingError } from '../errors.js'
import type { Message } from '../model/messages.js'
import { registerInspectCommands } from './inspect-commands.js'
import type { BuildResult } from '../build.js'
import { buildSummary, checkSummary, formatMessage, rebuildLine, statsLines, visibleMessages, type ReportOptions } from './report.js'
import type { Traitgen } from '../traitgen.js'
import type { WatchEvent } from '../watch/session.js'

interface GlobalOptions {
  logFormat?: string
  workers?: string
  root?: string
  config?: string
  json?: boolean
  strict?: boolean
  quiet?: boolean
  verbose?: boolean
  color?: boolean
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0
  const program = new Command()
  program
    .name('traitgen')
    .description('Compose AI-agent definitions from reusable Markdown traits.')
    .option('--root <dir>', 'project root (default: the working directory)')
    .option('--config <file>', 'config file (default: traitgen.config.{ts,mts,js,mjs} in the root)')
    .option('--json', 'print one JSON document instead of text')
    .option('--strict', 'treat every unknown trait frontmatter key as an error')
    .option('--quiet', 'print errors only')
    .option('--verbose', 'also print informational messages')
    .option('--no-color', 'never colour the output')
    .option('--log-format <format>', 'json: one structured log event per trait operation on standard error (pino)')
    .option('--workers <count>', 'worker threads that parse beside the main thread on big builds: a number (0: none) or auto (default)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })

  program
    .command('build')
    .description('build every agent, or the named ones, into the output folders')
    .argument('[agents...]', 'agent ids or names (default: all)')
    .addOption(new Option('--target <name>', 'build only this target'))
    .option('--clean', 'also delete outputs of failed agents and anything else in the manifest this build does not write')
    .option('--force', 'overwrite output files that traitgen did not write')
    .option('--stats', 'print timings, memory and cache figures')
    .addHelpText('after', '\nExamples:\n  $ traitgen build\n  $ traitgen build code-reviewer --stats\n')
    .action(async (agents: string[], options: { target?: string; clean?: boolean; force?: boolean; stats?: boolean }) => {
      const globals = program.opts<GlobalOptions>()
      const traitgen = await open(globals)
      const progress = progressBar(globals)
      const lock = { onWait: globals.quiet ? undefined : lockNotice }
      const result = await traitgen.build({ agents: agents.length > 0 ? agents : undefined, targets: options.target ? [options.target] : undefined, force: options.force, clean: options.clean, budgets: options.stats ?? false, onProgress: progress.update, lock })
      progress.clear()
      exitCode = report(result, globals, buildSummary(result), options.stats ?? false)
    })

  program
    .command('check')
    .description('build in memory and list output files that are stale, missing or extra; writes nothing')
    .option('--stats', 'print timings, memory and cache figures')
    .addHelpText('after', '\nExample:\n  $ traitgen check || echo "run traitgen build and commit output/"\n')
    .action(async (options: { stats?: boolean }) => {
      const globals = program.opts<GlobalOptions>()
      const traitgen = await open(globals)
      const progress = progressBar(globals)
      const result = await traitgen.check({ budgets: options.stats ?? false, onProgress: progress.update })
      progress.clear()
      exitCode = report(result, globals, checkSummary(result), options.stats ?? false)
    })

  program
    .command('watch')
    .description('build, then rebuild the agents each change touches until interrupted (Ctrl-C)')
    .option('--poll', 'poll the file system instead of native events (network drives, containers, watcher limits)')
    .option('--stats', 'print timings, memory and cache figures after each build')
    .addHelpText('after', '\nExample:\n  $ traitgen watch\n  $ traitgen watch --json | jq .rebuilt\n')
    .action(async (options: { poll?: boolean; stats?: boolean }) => {
      const globals = program.opts<GlobalOptions>()
      exitCode = await runWatch(await open(globals), globals, options)
    })

  registerInspectCommands(program, () => open(program.opts<GlobalOptions>()), (code) => {
    exitCode = code
  })

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0
      return 2
    }
    if (error instanceof Error && (error as { traitgenUsage?: boolean }).traitgenUsage) {
      process.stderr.write(`traitgen: ${error.message}\n`)
      return 2
    }
    if (error instanceof TraitProcessingError && !(error instanceof TraitConfigError)) {
      // explain and friends throw content errors: report them like a build does.
      const globals = program.opts<GlobalOptions>()
      const messages = (error.context.messages as Message[] | undefined) ?? []
      if (globals.json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.toJSON(), messages })}\n`)
      else process.stdout.write(`${(messages.length ? messages.map((m) => formatMessage(m, false)) : [`traitgen: ${error.message}`]).join('\n')}\n`)
      return 1
    }
    if (error instanceof TraitConfigError) {
      const globals = program.opts<GlobalOptions>()
      if (globals.json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.toJSON(), messages: [], outputs: [], stats: null })}\n`)
      else process.stderr.write(`traitgen: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`traitgen: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return 3
  }
  return exitCode
}

/** Run watch mode until SIGINT/SIGTERM; resolves to the exit code (0). */
async function runWatch(traitgen: Traitgen, globals: GlobalOptions, options: { poll?: boolean; stats?: boolean }): Promise<number> {
  const reportOptions = terminalOptions(globals)
  const print = (event: WatchEvent) => {
    if (globals.json) {
      const { result, ...rest } = event
      const body = result ? { ok: result.ok, messages: visibleMessages(result.messages, { ...reportOptions, quiet: false }), outputs: result.outputs, stats: result.stats } : { ok: event.event === 'watching', messages: [], outputs: [], stats: null }
      process.stdout.write(`${JSON.stringify({ ...rest, ...body })}\n`)
      return
    }
    const lines: string[] = []
    if (event.result) lines.push(...visibleMessages(event.result.messages, reportOptions).map((m) => formatMessage(m, reportOptions.color)))
    if (event.event === 'build' && event.result) lines.push(buildSummary(event.result))
    if (event.event === 'rebuild' && event.result) lines.push(rebuildLine(event))
    if (event.event === 'watching') lines.push(`watching ${event.changed.join(', ')} (${event.total} agents); press Ctrl-C to stop`)
    if (event.event === 'config-error') lines.push(`traitgen: the changed config cannot be used, keeping the previous one: ${event.error}`)
    if (event.event === 'watch-error') lines.push(`traitgen: ${event.error}`)
    if (options.stats && event.result) lines.push(...statsLines(event.result))
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
  }
  const handle = await traitgen.watch({ onEvent: print, poll: options.poll ?? false, stats: options.stats ?? false })
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await handle.close()
  await traitgen.close()
  return 0
}

/** Said once a build has waited a second for another one to release the output folder. */
function lockNotice(owner: { pid: number; started: string } | undefined, file: string): void {
  const who = owner ? `pid ${owner.pid}, started ${owner.started}` : 'another process'
  process.stderr.write(`traitgen: waiting for another traitgen build (${who}) to finish writing; lock: ${file}\n`)
}

/** The library, loaded only when a command runs (so `--help` starts fast). */
async function open(globals: GlobalOptions) {
  const { createTraitgen } = await import('../traitgen.js')
  if (globals.logFormat !== undefined && globals.logFormat !== 'json') {
    throw Object.assign(new Error(`--log-format takes json, not "${globals.logFormat}"`), { traitgenUsage: true })
  }
  if (globals.workers !== undefined && globals.workers !== 'auto' && !/^\d{1,2}$/.test(globals.workers)) {
    throw Object.assign(new Error(`--workers takes a number from 0 to 99 or auto, not "${globals.workers}"`), { traitgenUsage: true })
  }
  if (globals.logFormat === 'json') {
    const { pino } = await import('pino')
    const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: true }))
    return createTraitgen({ ...apiOptions(globals), onTraitOperation: (event) => logger.info({ ...event, durationMs: Math.round(event.durationMs * 100) / 100 }, 'trait operation') })
  }
  return createTraitgen(apiOptions(globals))
}

/** A progress bar on standard error for builds that take more than a second; silent when piped. */
function progressBar(globals: GlobalOptions): { update: (done: number, total: number) => void; clear: () => void } {
  const live = process.stderr.isTTY === true && !globals.json && !globals.quiet
  // TRAITGEN_PROGRESS_AFTER_MS moves the one-second threshold (tests set it to 0).
  const after = Number(process.env.TRAITGEN_PROGRESS_AFTER_MS ?? 1000)
  const start = performance.now()
  let shown = false
  return {
    update(done, total) {
      if (!live || total === 0 || performance.now() - start < after) return
      const width = 30
      const filled = Math.round((done / total) * width)
      process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} agents`)
      shown = true
    },
    clear() {
      if (shown) process.stderr.write('\r\u001b[K')
    },
  }
}

function apiOptions(globals: GlobalOptions) {
  return {
    ...(globals.root !== undefined ? { root: globals.root } : {}),
    ...(globals.config !== undefined ? { configPath: globals.config } : {}),
    strict: globals.strict ?? false,
    ...(globals.workers !== undefined ? { workers: globals.workers === 'auto' ? ('auto' as const) : Number(globals.workers) } : {}),
  }
}

function terminalOptions(globals: GlobalOptions): ReportOptions {
  return {
    // commander sets `color` (true unless --no-color), so it is never undefined here.
    color: globals.color !== false && !process.env.NO_COLOR && process.stdout.isTTY === true,
    quiet: globals.quiet ?? false,
    verbose: globals.verbose ?? false,
  }
}

function report(result: BuildResult, globals: GlobalOptions, summary: string, stats: boolean): number {
  const options = terminalOptions(globals)
  if (globals.json) {
    const messages = visibleMessages(result.messages, { ...options, quiet: false })
    process.stdout.write(`${JSON.stringify({ ok: result.ok, messages, outputs: result.outputs, stats: result.stats })}\n`)
  } else {
    const lines = visibleMessages(result.messages, options).map((m) => formatMessage(m, options.color))
    if (!options.quiet) lines.push(summary)
    if (stats && !options.quiet) lines.push(...statsLines(result))
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
  }
  return result.ok ? 0 : 1
}
