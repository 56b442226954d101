// Helpers for the error-code tests: build a tiny project with the real CLI and compare its messages exactly.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { agentFile, listFiles, runJson, temporaryProjects, type JsonReport } from '../support/project.js'

/** One expected message: severity, code, file, line, column, and a phrase of its text that says how to fix it. */
export type Expected = [severity: 'error' | 'warning' | 'info', code: string, file: string, line: number, column: number, hint: RegExp]

/** What one CLI run gave. */
export interface Built {
  root: string
  status: number | null
  json: JsonReport
  stderr: string
  ms: number
  /** Files created, changed or removed outside output/ by the run (must stay empty). */
  touchedOutsideOutput: string[]
}

/** A project maker whose projects are removed after the test file. */
export function projectMaker(): (files: Record<string, string | Uint8Array>) => string {
  return temporaryProjects()
}

/** Snapshot of every file's content outside output/, to prove a run wrote nothing there. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const file of listFiles(root)) {
    if (file.startsWith('output/')) continue
    out.set(file, readFileSync(path.join(root, file), 'latin1'))
  }
  return out
}

/** Run `traitgen <args> --json` in `root` (already made) and record what it touched outside output/. */
export function runIn(root: string, args: readonly string[] = ['build']): Built {
  const before = snapshot(root)
  const start = performance.now()
  const { status, json, stderr } = runJson(args, root)
  const ms = performance.now() - start
  const after = snapshot(root)
  const touched = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort()
  return { root, status, json, stderr, ms, touchedOutsideOutput: touched }
}

/**
 * Assert the run's exit status and that its messages are exactly `expected` (code, file, line, column,
 * severity, in report order), each with its fix hint; no stack trace on stderr; nothing written outside output/.
 */
export function expectMessages(built: Built, status: number, expected: Expected[]): void {
  expect(built.stderr).toBe('')
  expect(built.json.messages.map((m) => [m.severity, m.code, m.file, m.line, m.column])).toEqual(
    expected.map(([severity, code, file, line, column]) => [severity, code, file, line, column]),
  )
  built.json.messages.forEach((m, i) => {
    expect(m.message).toMatch((expected[i] as Expected)[5])
  })
  expect(built.status).toBe(status)
  expect(built.json.ok).toBe(status === 0)
  expect(built.touchedOutsideOutput).toEqual([])
}

/** An agent importing `refs` (a YAML flow list's items) into group `group`. */
export function agentUsing(refs: string, group = 'x'): string {
  return agentFile(`imports:\n  ${group}: [${refs}]`)
}
