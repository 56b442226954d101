// Fixture cases: test/fixtures/<case>/input is a project; expected/ holds what `traitgen build` writes
// under output/, messages.txt the messages it prints. UPDATE_FIXTURES=1 regenerates expected/ and messages.txt.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { listFiles, makeProject, removeProject, repoRoot, runCli } from './support/project.js'

const fixturesDir = path.join(repoRoot, 'test/fixtures')
const update = process.env.UPDATE_FIXTURES === '1'
const cases = readdirSync(fixturesDir).filter((name) => existsSync(path.join(fixturesDir, name, 'input'))).sort()

describe('fixtures', () => {
  it('has fixture cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8)
  })
  for (const name of cases) {
    it(name, () => {
      const caseDir = path.join(fixturesDir, name)
      const root = makeProject({})
      try {
        cpSync(path.join(caseDir, 'input'), root, { recursive: true })
        const run = runCli(['build', '--no-color'], root)
        expect(run.stderr).toBe('')
        const messages = run.stdout
          .split('\n')
          .filter((line) => /^\S+:\d+:\d+: /.test(line))
          .join('\n')
        const produced = listFiles(root, 'output').filter((f) => !f.includes('/.traitgen/'))
        const expectedDir = path.join(caseDir, 'expected')
        if (update) {
          rmSync(expectedDir, { recursive: true, force: true })
          for (const file of produced) {
            const target = path.join(expectedDir, file.replace(/^output\//, ''))
            mkdirSync(path.dirname(target), { recursive: true })
            writeFileSync(target, readFileSync(path.join(root, file)))
          }
          writeFileSync(path.join(caseDir, 'messages.txt'), messages ? `${messages}\n` : '')
          return
        }
        const expectedFiles = listFiles(caseDir, 'expected').map((f) => f.replace(/^expected\//, 'output/'))
        expect(produced).toEqual(expectedFiles)
        for (const file of produced) {
          const actual = readFileSync(path.join(root, file), 'utf8')
          const expected = readFileSync(path.join(expectedDir, file.replace(/^output\//, '')), 'utf8')
          expect(actual, file).toBe(expected)
        }
        const expectedMessages = readFileSync(path.join(caseDir, 'messages.txt'), 'utf8').trimEnd()
        expect(messages).toBe(expectedMessages)
        const hasError = /: error /.test(expectedMessages)
        expect(run.status).toBe(hasError ? 1 : 0)
      } finally {
        removeProject(root)
      }
    })
  }
})
