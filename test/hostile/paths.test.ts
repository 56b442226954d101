// Hostile paths (spec §4, §12): traversal in every spelling in refs and includes, sibling-prefix
// folders, and symbolic links out of (or looping inside) the content folders.
import { mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { agentFile } from '../support/project.js'
import { expectKept, expectMessages, readOutput, scenario, type Box, type Expected, type Files, once } from './harness.js'

const T = 'content/traits/x/t.md'
const trait = { [T]: 'Trait text.\n' }
/** An agent importing one ref (a YAML double-quoted string), on line 5, value at column 7. */
const importing = (ref: string) => agentFile(`imports:\n  x:\n    - "${ref}"`)
/** An agent including one ref from its body, on line 7, at column 1. */
const including = (ref: string) => agentFile('', `Body.\n\n<!-- @include ${ref} -->\n`)

describe.concurrent('traversal in refs (imports)', { timeout: 180_000 }, () => {
  // Each agent imports x/t when good; the hostile build swaps in one spelling per agent.
  const spellings: Array<[id: string, ref: string, code: string, text: RegExp]> = [
    ['dotdot', '../x/t', 'INVALID_REF', /contains "\.\."; refs are trait ids, not file paths/],
    ['etc-passwd', '../../../../etc/passwd', 'INVALID_REF', /contains "\.\."/],
    ['absolute', '/etc/passwd', 'INVALID_REF', /is an absolute path/],
    ['backslash', '..\\\\..\\\\etc\\\\passwd', 'INVALID_REF', /contains a backslash/],
    ['percent', '%2e%2e/%2e%2e/etc/passwd', 'INVALID_REF', /contains a percent-encoding/],
    ['file-url', 'file:///etc/passwd', 'INVALID_REF', /looks like a URL/],
    ['https-url', 'https://evil.example/x/t', 'INVALID_REF', /looks like a URL/],
    ['nul-escape', 'x/t\\0../../etc/passwd', 'INVALID_REF', /contains a control character/],
    ['home', '~/x/t', 'INVALID_REF', /is an absolute path/],
    ['drive', 'C:/Windows/win.ini', 'INVALID_REF', /looks like a URL or drive path/],
  ]
  const shared = once(async () => {
    const good: Files = { ...trait }
    const bad: Files = {}
    for (const [id, ref] of spellings) {
      good[`content/agents/${id}.md`] = importing('x/t')
      bad[`content/agents/${id}.md`] = importing(ref)
    }
    return scenario(good, bad)
  })

  it.each(spellings)('%s: "%s" → %s at the list item; old output kept', async (id, _ref, code, text) => {
    const s = await shared()
    const file = `content/agents/${id}.md`
    expectMessages(s.bad, 1, [['error', code, file, 5, 7, text]], [file])
    expectKept(s, [id])
  })

  it('a raw NUL byte inside a YAML ref: INVALID_REF, never a file lookup', async () => {
    const s2 = await scenario({ ...trait, 'content/agents/a.md': importing('x/t') }, { 'content/agents/a.md': agentFile('imports:\n  x: [x/t\u0000/../../etc/passwd]') })
    expectMessages(s2.bad, 1, [['error', 'INVALID_REF', 'content/agents/a.md', 4, 7, /control character/]])
    expectKept(s2, ['a'])
  })
})

describe.concurrent('traversal in include comments', { timeout: 180_000 }, () => {
  const spellings: Array<[id: string, ref: string, code: string, text: RegExp]> = [
    ['dotdot', '../traits/x/t', 'INVALID_REF', /contains "\.\."/],
    ['etc-passwd', '../../../../etc/passwd', 'INVALID_REF', /contains "\.\."/],
    ['absolute', '/etc/passwd', 'INVALID_REF', /is an absolute path/],
    ['backslash', '..\\..\\etc\\passwd', 'INVALID_REF', /contains a backslash/],
    ['percent', '%2e%2e/%2e%2e/etc/passwd', 'INVALID_REF', /contains a percent-encoding/],
    ['file-url', 'file:///etc/passwd', 'INVALID_REF', /looks like a URL/],
    ['data-url', 'data:text/plain,evil', 'INVALID_REF', /looks like a URL/],
    // CommonMark turns a raw NUL into U+FFFD before traitgen sees the comment: the ref then names no trait.
    ['nul-byte', 'x/t\u0000', 'TRAIT_NOT_FOUND', /no trait "x\/t\ufffd"/],
  ]
  const shared = once(async () => {
    const good: Files = { ...trait, 'content/traits/x/nested.md': 'Nested.\n\n<!-- @include t -->\n', 'content/agents/in-trait.md': agentFile('imports:\n  x: [nested]') }
    const bad: Files = { 'content/traits/x/nested.md': 'Nested.\n\n<!-- @include ../../../../etc/passwd -->\n' }
    for (const [id, ref] of spellings) {
      good[`content/agents/${id}.md`] = including('x/t')
      bad[`content/agents/${id}.md`] = including(ref)
    }
    return scenario(good, bad)
  })

  it.each(spellings)('%s: <!-- @include %s --> → %s at the comment; old output kept', async (id, _ref, code, text) => {
    const s = await shared()
    const file = `content/agents/${id}.md`
    expectMessages(s.bad, 1, [['error', code, file, 7, 1, text]], [file])
    expectKept(s, [id])
  })

  it('an include of ../../../../etc/passwd inside a trait: INVALID_REF at the trait comment; its agent keeps its output', async () => {
    const s = await shared()
    expectMessages(s.bad, 1, [['error', 'INVALID_REF', 'content/traits/x/nested.md', 3, 1, /contains "\.\."/]], ['content/traits/'])
    expectKept(s, ['in-trait'])
    expect(readOutput(s.box, 'agents/in-trait.md')).not.toContain('root:')
  })
})

describe.concurrent('sibling-prefix folder content/traits-private/ beside content/traits/', { timeout: 180_000 }, () => {
  const secret = { 'content/traits-private/x/secret.md': 'SECRET private text.\n' }
  it('refs spelled to reach it (../traits-private/…, traits-private/…, its short name) never read it', async () => {
    const s = await scenario({ ...trait, ...secret, 'content/agents/a.md': agentFile('imports:\n  x: [t]') }, {
      'content/agents/a.md': agentFile('imports:\n  x:\n    - ../traits-private/x/secret\n    - traits-private/x/secret\n    - secret'),
    })
    expectMessages(s.bad, 1, [
      ['error', 'INVALID_REF', 'content/agents/a.md', 5, 7, /contains "\.\."/],
      ['error', 'TRAIT_NOT_FOUND', 'content/agents/a.md', 6, 7, /no trait "traits-private\/x\/secret"/],
      ['error', 'TRAIT_NOT_FOUND', 'content/agents/a.md', 7, 7, /no trait "secret"/],
    ])
    expectKept(s, ['a'])
  })

  it('a relative link traits/x/peek.md → ../../traits-private/x/secret.md, used: PATH_OUTSIDE_ROOT at the ref', async () => {
    const s = await scenario(
      { ...trait, ...secret, 'content/agents/a.md': agentFile('imports:\n  x: [t]') },
      { 'content/agents/a.md': agentFile('imports:\n  x: [t, peek]') },
      { change: (box) => symlinkSync('../../traits-private/x/secret.md', path.join(box.root, 'content/traits/x/peek.md')) },
    )
    expectMessages(s.bad, 1, [['error', 'PATH_OUTSIDE_ROOT', 'content/agents/a.md', 4, 10, /trait "x\/peek" .* is a symbolic link that leads out of the content folders/]])
    expectKept(s, ['a'])
  })
})

describe.concurrent('symbolic links', { timeout: 180_000 }, () => {
  const good: Files = { ...trait, 'content/agents/a.md': agentFile('imports:\n  x: [t]'), 'content/agents/b.md': agentFile('', 'B body.\n') }
  const outside: Files = { 'secret.md': 'SECRET outside text.\n', 'dir/s2.md': 'SECRET2 outside text.\n', 'agent.md': agentFile('', 'Evil agent.\n') }
  /** Links: content/traits/x/secret.md → <parent>/outside/secret.md, content/traits/dir → <parent>/outside/dir. */
  const linkOut = (box: Box) => {
    symlinkSync(path.join(box.parent, 'outside/secret.md'), path.join(box.root, 'content/traits/x/secret.md'))
    symlinkSync(path.join(box.parent, 'outside/dir'), path.join(box.root, 'content/traits/dir'))
  }
  const fileWarning: Expected = ['warning', 'PATH_OUTSIDE_ROOT', 'content/traits/x/secret.md', 1, 1, /leads out of the content folders; it is skipped/]
  const dirWarning: Expected = ['warning', 'PATH_OUTSIDE_ROOT', 'content/traits/dir', 1, 1, /leads out of the content folders; it is skipped/]

  it('a file link out, used by an import: PATH_OUTSIDE_ROOT at the ref (error); old output kept', async () => {
    const s = await scenario(good, { 'content/agents/a.md': agentFile('imports:\n  x: [t, secret]') }, { outside, change: linkOut })
    expectMessages(s.bad, 1, [['error', 'PATH_OUTSIDE_ROOT', 'content/agents/a.md', 4, 10, /is a symbolic link that leads out of the content folders; copy the file in/], dirWarning])
    expectKept(s, ['a'])
  })

  it('a file link out, used by an include: PATH_OUTSIDE_ROOT at the include comment', async () => {
    const s = await scenario(good, { 'content/agents/a.md': agentFile('imports:\n  x: [t]', 'Body.\n\n<!-- @include x/secret -->\n') }, { outside, change: linkOut })
    expectMessages(s.bad, 1, [['error', 'PATH_OUTSIDE_ROOT', 'content/agents/a.md', 9, 1, /leads out of the content folders/], dirWarning])
    expectKept(s, ['a'])
  })

  // BUG: a folder link out is skipped during discovery (src/read/discover.ts, walkFolder) before any ref
  // can see it, so a ref through it is TRAIT_NOT_FOUND with only a warning at the link, never PATH_OUTSIDE_ROOT at the ref.
  it('a folder link out (traits/dir → outside/dir), used: PATH_OUTSIDE_ROOT at the ref', async () => {
    const s = await scenario(good, { 'content/agents/a.md': agentFile('imports:\n  x: [t, dir/s2]') }, { outside, change: linkOut })
    expectMessages(s.bad, 1, [['error', 'PATH_OUTSIDE_ROOT', 'content/agents/a.md', 4, 10, /leads out of the content folders/]], ['content/agents/'])
    expectKept(s, ['a'])
  })

  it('a file link and a folder link out, unused: two warnings at the links, exit 0, outputs never contain their text', async () => {
    const s = await scenario(good, {}, { outside, change: linkOut })
    expectMessages(s.bad, 0, [dirWarning, fileWarning])
    expect(readOutput(s.box, 'agents/a.md')).not.toContain('SECRET')
  })

  it('an agent file that is a link out: PATH_OUTSIDE_ROOT at the agent, 1:1; others build', async () => {
    const s = await scenario(good, {}, { outside, change: (box) => symlinkSync(path.join(box.parent, 'outside/agent.md'), path.join(box.root, 'content/agents/evil.md')) })
    expectMessages(s.bad, 1, [['error', 'PATH_OUTSIDE_ROOT', 'content/agents/evil.md', 1, 1, /is a symbolic link that leads out of the content folders/]])
    expect(s.bad.json?.outputs.map((o) => o.path)).toEqual(['output/agents/a.md', 'output/agents/b.md'])
  })

  it('circular links (loop1 ↔ loop2, self → self) and a folder link to its own parent: warnings, no hang; a ref to the loop is TRAIT_NOT_FOUND', async () => {
    const s = await scenario(good, { 'content/agents/a.md': agentFile('imports:\n  x: [t, loop1]') }, {
      change: (box) => {
        const dir = path.join(box.root, 'content/traits/x')
        symlinkSync('loop2.md', path.join(dir, 'loop1.md'))
        symlinkSync('loop1.md', path.join(dir, 'loop2.md'))
        symlinkSync('self', path.join(dir, 'self'))
        symlinkSync('..', path.join(dir, 'up'))
        mkdirSync(path.join(box.root, 'content/agents/deep'), { recursive: true })
        symlinkSync('..', path.join(box.root, 'content/agents/deep/again'))
      },
    })
    const loop = /is broken or circular; it is skipped/
    expectMessages(s.bad, 1, [
      ['error', 'TRAIT_NOT_FOUND', 'content/agents/a.md', 4, 10, /no trait "loop1"/],
      ['warning', 'PATH_OUTSIDE_ROOT', 'content/traits/x/loop1.md', 1, 1, loop],
      ['warning', 'PATH_OUTSIDE_ROOT', 'content/traits/x/loop2.md', 1, 1, loop],
      ['warning', 'PATH_OUTSIDE_ROOT', 'content/traits/x/self', 1, 1, loop],
    ])
    expectKept(s, ['a'])
    // The folder loops (x/up → traits, deep/again → agents) add no trait or agent twice: b alone is listed.
    expect(s.bad.json?.outputs.map((o) => o.path)).toEqual(['output/agents/b.md'])
  })
})
