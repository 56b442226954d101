// Committing a build's files: conflicts, atomic writes, deletions of removed agents' outputs, manifest; or, for check, comparison.
import path from 'node:path'
import type { ProjectConfig } from '../config/load.js'
import { createMessage, type Message } from '../model/messages.js'
import { hashText } from '../model/source.js'
import type { SourceMap } from '../render/emitter.js'
import type { TargetFile } from '../targets/types.js'
import { manifestPath, readManifest, readSourceMaps, sourceMapJson, sourceMapPath, stableJson, type Manifest } from './manifest.js'
import { assertWritableLocation, pathKind, readExisting, removeOutput, writeAtomic } from './write.js'

/** What happened to one output path. */
export interface OutputRecord {
  /** Root-relative path. */
  path: string
  agent: string
  target: string
  status: 'written' | 'unchanged' | 'deleted' | 'conflict' | 'failed' | 'stale' | 'missing' | 'extra'
}

/** Everything commitOutputs needs. */
export interface CommitInput {
  project: ProjectConfig
  files: TargetFile[]
  fileAgents: Map<string, { agent: string; target: string }>
  /** Agents that failed (their old files stay). */
  failed: Set<string>
  /** Agents that exist in content/ now. */
  existingAgents: Set<string>
  /** Only some agents were built: nothing else is deleted. */
  partial: boolean
  /** Targets this build produced. */
  builtTargets: Set<string>
  force: boolean
  clean: boolean
  /** False for check: compare, write nothing. */
  write: boolean
  messages: Message[]
}

const toPosix = (p: string) => p.split(path.sep).join('/')

/** Write (or compare) a build's files and keep the manifest; returns a record per path. */
export function commitOutputs(input: CommitInput): OutputRecord[] {
  const { project, messages } = input
  const root = project.root
  const manifest = readManifest(project.outputDir)
  const maps = readSourceMaps(project.outputDir)
  const nextManifest: Manifest = { version: 1, files: { ...manifest.files } }
  const nextMaps: Record<string, SourceMap> = { ...maps }
  const records: OutputRecord[] = []
  const produced = new Set(input.files.map((f) => f.path))

  for (const file of input.files) {
    const owner = input.fileAgents.get(file.path) ?? { agent: '', target: '' }
    const abs = path.resolve(root, file.path)
    const existing = readExisting(abs)
    const kind = pathKind(abs)
    const listed = manifest.files[file.path] !== undefined
    const record = (status: OutputRecord['status']) => records.push({ path: file.path, ...owner, status })
    const entry = { ...owner, hash: hashText(file.text) }
    if (!input.write) {
      if (existing === undefined) record('missing')
      else if (existing !== file.text) record('stale')
      else record('unchanged')
      nextManifest.files[file.path] = entry
      if (file.sourceMap) nextMaps[file.path] = file.sourceMap
      continue
    }
    if (existing === file.text && kind === 'file') {
      nextManifest.files[file.path] = entry
      if (file.sourceMap) nextMaps[file.path] = file.sourceMap
      record('unchanged')
      continue
    }
    if (kind !== 'missing' && !listed && !input.force) {
      messages.push(
        createMessage(
          'error',
          'OUTPUT_CONFLICT',
          `${file.path} exists and was not written by traitgen; move it away, or run with --force to overwrite it`,
          file.path,
        ),
      )
      record('conflict')
      continue
    }
    try {
      assertWritableLocation(abs, root)
      writeAtomic(abs, file.text)
      nextManifest.files[file.path] = entry
      if (file.sourceMap) nextMaps[file.path] = file.sourceMap
      record('written')
    } catch (error) {
      messages.push(writeFailed(file.path, error))
      record('failed')
    }
  }

  // Files in the manifest that this build no longer produces.
  for (const [file, entry] of Object.entries(manifest.files)) {
    if (produced.has(file)) continue
    const agentGone = !input.existingAgents.has(entry.agent)
    const targetGone = !project.targets.some((t) => t.name === entry.target)
    if (!agentGone && !targetGone) {
      // Only this build's own agents and targets are its business; a failed agent keeps its last good file.
      if (input.partial || !input.builtTargets.has(entry.target)) continue
      if (input.failed.has(entry.agent) && !input.clean) continue
    }
    const abs = path.resolve(root, file)
    if (!input.write) {
      if (pathKind(abs) !== 'missing') records.push({ path: file, agent: entry.agent, target: entry.target, status: 'extra' })
      delete nextManifest.files[file]
      delete nextMaps[file]
      continue
    }
    const folder = folderOf(project, entry.target, file)
    if (!folder) continue
    try {
      removeOutput(abs, folder)
      records.push({ path: file, agent: entry.agent, target: entry.target, status: 'deleted' })
      delete nextManifest.files[file]
      delete nextMaps[file]
    } catch (error) {
      messages.push(writeFailed(file, error))
    }
  }

  const manifestText = stableJson(nextManifest)
  const mapsText = sourceMapJson(nextMaps)
  const bookkeeping: Array<[string, string]> = [
    [manifestPath(project.outputDir), manifestText],
    [sourceMapPath(project.outputDir), mapsText],
  ]
  for (const [abs, text] of bookkeeping) {
    const rel = toPosix(path.relative(root, abs))
    const existing = readExisting(abs)
    if (!input.write) {
      if (existing !== text && (input.files.length > 0 || existing !== undefined)) {
        records.push({ path: rel, agent: '', target: '', status: existing === undefined ? 'missing' : 'stale' })
      }
      continue
    }
    if (existing === text) continue
    try {
      writeAtomic(abs, text)
    } catch (error) {
      messages.push(writeFailed(rel, error))
    }
  }
  return records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
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

function writeFailed(file: string, error: unknown): Message {
  const code = (error as NodeJS.ErrnoException).code
  const hint =
    code === 'ENOSPC' ? 'the disk is full; free some space' : code === 'EACCES' || code === 'EPERM' ? 'permission denied; check the folder permissions' : (error as Error).message
  return createMessage('error', 'WRITE_FAILED', `could not write ${file}: ${hint}; the previous file is kept`, file)
}
