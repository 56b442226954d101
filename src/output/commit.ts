// Committing a build's files: conflicts, atomic writes, deletions of removed agents' outputs, manifest; or, for check, comparison.
import path from 'node:path'
import type { ProjectConfig } from '../config/load.js'
import { createMessage, type Message } from '../model/messages.js'
import { hashText } from '../model/source.js'
import type { SourceMap } from '../render/emitter.js'
import type { TargetFile } from '../targets/types.js'
import { manifestPath, readOutputState, sourceMapJson, sourceMapPath, stableJson, type Manifest } from './manifest.js'
import { assertWritableLocation, pathKind, readExisting, removeOutput, writeAtomic } from './write.js'

/** What happened to one output path. */
export interface OutputRecord {
  /** Root-relative path. */
  path: string
  /** The agent it belongs to (empty for library-wide pages). */
  agent: string
  /** The target that made it. */
  target: string
  /** What the build did with it (check: stale, missing or extra). */
  status: 'written' | 'unchanged' | 'deleted' | 'conflict' | 'failed' | 'stale' | 'missing' | 'extra'
}

/** How a build commits its files. */
export interface CommitOptions {
  project: ProjectConfig
  force: boolean
  /** False for check: compare, write nothing. */
  write: boolean
  messages: Message[]
}

/** What the build knows once every agent is done, for deletions. */
export interface FinishInput {
  /** Agents that failed (their old files stay). */
  failed: Set<string>
  /** Agents that exist in content/ now. */
  existingAgents: Set<string>
  /** Only some agents were built: nothing else is deleted. */
  partial: boolean
  /** Targets this build produced. */
  builtTargets: Set<string>
  /** Delete every manifest file this build does not write, failed agents' included. */
  clean: boolean
}

const toPosix = (p: string) => p.split(path.sep).join('/')

/**
 * Commits a build's files as they are produced (so no build holds every output at once), then
 * deletes what is no longer produced and writes the manifest.
 */
export class OutputCommitter {
  private readonly manifest: Manifest
  private readonly nextManifest: Manifest
  private readonly nextMaps: Record<string, SourceMap>
  private readonly records: OutputRecord[] = []
  private readonly produced = new Set<string>()
  /** False while the manifest and source maps on disk are whole and this build changed nothing in them. */
  private changed: boolean

  constructor(private readonly options: CommitOptions) {
    const state = readOutputState(options.project.outputDir)
    this.manifest = state.manifest
    this.nextManifest = { version: 1, files: { ...this.manifest.files } }
    this.nextMaps = { ...state.maps }
    this.changed = !state.intact
  }

  /** Write (or, for check, compare) one file of an agent that built; returns the text's hash. */
  commit(file: TargetFile, owner: { agent: string; target: string }): string {
    const hash = hashText(file.text)
    const { project, messages } = this.options
    this.produced.add(file.path)
    this.changed = true
    const abs = path.resolve(project.root, file.path)
    const existing = readExisting(abs)
    const record = (status: OutputRecord['status']) => this.records.push({ path: file.path, ...owner, status })
    const keep = () => {
      this.nextManifest.files[file.path] = { ...owner, hash }
      if (file.sourceMap) this.nextMaps[file.path] = file.sourceMap
    }
    if (!this.options.write) {
      keep()
      record(existing === undefined ? 'missing' : existing !== file.text ? 'stale' : 'unchanged')
      return hash
    }
    const kind = pathKind(abs)
    if (existing === file.text && kind === 'file') {
      keep()
      record('unchanged')
      return hash
    }
    if (kind !== 'missing' && this.manifest.files[file.path] === undefined && !this.options.force) {
      messages.push(
        createMessage('error', 'OUTPUT_CONFLICT', `${file.path} exists and was not written by traitgen; move it away, or run with --force to overwrite it`, file.path),
      )
      record('conflict')
      return hash
    }
    try {
      // Inside the target's own folder once links are resolved: never through a link to elsewhere.
      const folder = folderOf(project, owner.target, file.path)
      if (!folder) throw new Error('the path lies outside the output folders')
      assertWritableLocation(abs, folder)
      writeAtomic(abs, file.text)
      keep()
      record('written')
    } catch (error) {
      messages.push(writeFailed(file.path, error, kind !== 'missing'))
      record('failed')
    }
    return hash
  }

  /** Whether the manifest lists `file` with this hash and its source map is kept (so `keep` loses nothing). */
  isRecorded(file: string, hash: string): boolean {
    return this.manifest.files[file]?.hash === hash && this.nextMaps[file] !== undefined
  }

  /** Record a file that is already current (the build cache said so): kept as it is, manifest and source map too. */
  keep(file: string, owner: { agent: string; target: string }, hash: string): void {
    const before = this.manifest.files[file]
    if (before?.agent !== owner.agent || before.target !== owner.target || before.hash !== hash || this.nextMaps[file] === undefined) this.changed = true
    this.produced.add(file)
    this.nextManifest.files[file] = { ...owner, hash }
    this.records.push({ path: file, ...owner, status: 'unchanged' })
  }

  /** Delete (or, for check, list as extra) files no longer produced; write the manifest and source maps. */
  finish(input: FinishInput): OutputRecord[] {
    const { project, messages, write } = this.options
    const root = project.root
    for (const [file, entry] of Object.entries(this.manifest.files)) {
      if (this.produced.has(file)) continue
      const agentGone = !input.existingAgents.has(entry.agent)
      const targetGone = !project.targets.some((t) => t.name === entry.target)
      if (!agentGone && !targetGone) {
        // Only this build's own agents and targets are its business; a failed agent keeps its last good file.
        if (input.partial || !input.builtTargets.has(entry.target)) continue
        if (input.failed.has(entry.agent) && !input.clean) continue
      }
      const abs = path.resolve(root, file)
      const forget = () => {
        this.changed = true
        delete this.nextManifest.files[file]
        delete this.nextMaps[file]
      }
      if (!write) {
        if (pathKind(abs) !== 'missing') this.records.push({ path: file, agent: entry.agent, target: entry.target, status: 'extra' })
        forget()
        continue
      }
      const folder = folderOf(project, entry.target, file)
      if (!folder) continue
      try {
        removeOutput(abs, folder)
        this.records.push({ path: file, agent: entry.agent, target: entry.target, status: 'deleted' })
        forget()
      } catch (error) {
        // A manifest entry that now leads through a link out of the output folder is not ours to delete.
        if (error instanceof Error && /leads outside the output folder/.test(error.message)) forget()
        else messages.push(writeFailed(file, error, true, 'delete'))
      }
    }
    const sorted = () => this.records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    // Nothing to write: serialising 400 KB of source maps to compare them costs a nothing-changed build 3%.
    if (write && !this.changed) return sorted()
    const bookkeeping: Array<[string, string]> = [
      [manifestPath(project.outputDir), stableJson(this.nextManifest)],
      [sourceMapPath(project.outputDir), sourceMapJson(this.nextMaps)],
    ]
    for (const [abs, text] of bookkeeping) {
      const rel = toPosix(path.relative(root, abs))
      const existing = readExisting(abs)
      if (!write) {
        if (existing !== text && (this.produced.size > 0 || existing !== undefined)) {
          this.records.push({ path: rel, agent: '', target: '', status: existing === undefined ? 'missing' : 'stale' })
        }
        continue
      }
      if (existing === text) continue
      try {
        writeAtomic(abs, text)
      } catch (error) {
        messages.push(writeFailed(rel, error, existing !== undefined))
      }
    }
    return sorted()
  }
}

/** The output folder a manifest file belongs to, if it lies inside one (never delete elsewhere). */
function folderOf(project: ProjectConfig, target: string, file: string): string | undefined {
  const abs = path.resolve(project.root, file)
  const folders = [project.outputDir, ...project.targets.map((t) => path.resolve(project.root, t.dir))]
  const preferred = project.targets.find((t) => t.name === target)
  const ordered = preferred ? [path.resolve(project.root, preferred.dir), ...folders] : folders
  return ordered.find((folder) => {
    const rel = path.relative(folder, abs)
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
  })
}

function writeFailed(file: string, error: unknown, hadFile: boolean, verb: 'write' | 'delete' = 'write'): Message {
  const code = (error as NodeJS.ErrnoException).code
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `the disk is full (${code}); free some space`
      : code === 'EACCES' || code === 'EPERM'
        ? `permission denied (${code}); make the folder writable`
        : code === 'EROFS'
          ? 'the file system is read-only (EROFS); build to a writable folder'
          : `${(error as Error).message}; fix the cause`
  const kept = hadFile ? 'the previous file is kept unchanged' : 'no file was written'
  return createMessage('error', 'WRITE_FAILED', `could not ${verb} ${file}: ${why}, then run traitgen build again; ${kept}`, file, undefined, code ? { errno: code } : undefined)
}
