// remarkTraitgen (spec §10): a remark plugin that expands `@include` comments in any page from a traitgen project's traits.
import { statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Root, RootContent } from 'mdast'
import type { Transformer } from 'unified'
import type { Node, Parent, Position } from 'unist'
import type { UserConfig } from '../config/schema.js'
import { TraitConfigError } from '../errors.js'
import { toPosix } from '../config/load.js'
import type { Message } from '../model/messages.js'
import { createPageSession, expandInclude, pageFile } from './expand.js'
import { findIncludes } from './find.js'
import { loadedProject } from './project.js'

/** Options of remarkTraitgen. */
export interface RemarkTraitgenOptions {
  /** The traitgen project's root folder (a path or a `file:` URL). Required. */
  root: string | URL
  /** Config object to use instead of the root's traitgen.config.* file. Default: the file, if any. */
  config?: UserConfig
  /** Path of the config file, relative to `root`. Default: the first traitgen.config.{ts,mts,js,mjs} found. */
  configPath?: string
  /**
   * Throw (a fatal vfile message) after the page is processed when an include failed, so that a docs
   * build stops instead of publishing the page without it. Default false: problems are only messages.
   */
  failOnError?: boolean
}

/**
 * Expand `<!-- @include ref -->` (Markdown) and `{/* @include ref *\/}` (MDX) in any page with the trait's
 * content, as traitgen places it in an agent: nested includes, `{{ placeholders }}`, headings shifted under
 * the enclosing heading. Problems become messages on the page's file, at the comment, which stays in place.
 */
export function remarkTraitgen(options: RemarkTraitgenOptions): Transformer<Root> {
  const { root, config, configPath, failOnError } = checkOptions(options)
  return async (tree, file) => {
    const includes = findIncludes(tree)
    if (includes.length === 0) return
    const { project, store } = await loadedProject({ root, config, configPath })
    // Every page sees the traits as they are now; unchanged files are not parsed again.
    store.refresh()
    const session = createPageSession(store, project, pagePath(root, file.cwd, file.path))
    const replacements: Array<{ node: Node; parent: Parent; nodes: RootContent[] }> = []
    let firstError: { reason: string; code: string; place: Position | undefined } | undefined
    const report = (m: Message, place: Position | undefined) => {
      const reason = m.file === pageFile ? m.message : `${m.file}:${m.line}:${m.column}: ${m.message}`
      const message = file.message(reason, { place, ruleId: m.code, source: 'traitgen' })
      if (m.severity === 'error') firstError ??= { reason: message.reason, code: m.code, place }
    }
    for (const include of includes) {
      const place = include.position?.start ?? { line: 1, column: 1 }
      if (include.ref === undefined) {
        report({ severity: 'error', code: 'INVALID_INCLUDE', message: include.problem ?? '', file: pageFile, line: place.line, column: place.column }, include.position)
        continue
      }
      const expanded = expandInclude(session, include.ref, { line: place.line, column: place.column }, include.enclosing)
      for (const m of expanded.messages) report(m, include.position)
      if (expanded.nodes) replacements.push({ node: include.node, parent: include.parent, nodes: expanded.nodes })
    }
    for (const { node, parent, nodes } of replacements) {
      parent.children.splice(parent.children.indexOf(node), 1, ...nodes)
    }
    if (failOnError && firstError) {
      // The other problems stay on file.messages.
      file.fail(firstError.reason, {
        place: firstError.place,
        ruleId: firstError.code,
        source: 'traitgen',
      })
    }
  }
}

/** Validate the options; misuse throws, quoting the bad value. */
function checkOptions(options: unknown): { root: string; config: UserConfig | undefined; configPath: string | undefined; failOnError: boolean } {
  if (typeof options !== 'object' || options === null) {
    throw new TraitConfigError('INVALID_OPTIONS', `remarkTraitgen: expected options with a \`root\` folder, not \`${show(options)}\``)
  }
  const { root, config, configPath, failOnError } = options as Record<string, unknown>
  let rootPath: string
  if (typeof root === 'string' && root !== '') rootPath = path.resolve(root)
  else if (root instanceof URL && root.protocol === 'file:') rootPath = fileURLToPath(root)
  else throw new TraitConfigError('INVALID_OPTIONS', `remarkTraitgen: expected \`root\` to be a folder path or file: URL, not \`${show(root)}\``)
  if (!isFolder(rootPath)) {
    throw new TraitConfigError('INVALID_OPTIONS', `remarkTraitgen: expected \`root\` to be a folder, not \`${show(root)}\` (${rootPath} is not one)`)
  }
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw new TraitConfigError('INVALID_OPTIONS', `remarkTraitgen: expected \`config\` to be a config object, not \`${show(config)}\``)
  }
  if (configPath !== undefined && (typeof configPath !== 'string' || configPath === '')) {
    throw new TraitConfigError('INVALID_OPTIONS', `remarkTraitgen: expected \`configPath\` to be a file path, not \`${show(configPath)}\``)
  }
  if (failOnError !== undefined && typeof failOnError !== 'boolean') {
    throw new TraitConfigError('INVALID_OPTIONS', `remarkTraitgen: expected \`failOnError\` to be a boolean, not \`${show(failOnError)}\``)
  }
  return { root: rootPath, config: config as UserConfig | undefined, configPath: configPath as string | undefined, failOnError: failOnError === true }
}

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory()
  } catch {
    return false
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof URL) return value.href
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** The page's path relative to the root, POSIX; a page without a path counts as `index.md` in the root. */
function pagePath(root: string, cwd: string, filePath: string | undefined): string {
  if (!filePath) return 'index.md'
  return toPosix(path.relative(root, path.resolve(cwd, filePath)))
}
