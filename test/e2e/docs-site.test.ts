// End-to-end: the Docusaurus example in examples/docs-site, built from the repository's content/ with the
// real CLI (`docs` target) and remarkTraitgen, then read in headless Chromium as a visitor would.
// Not part of `npm test`: run it with `npm run test:e2e` (see examples/docs-site/README.md).
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { createTraitgen } from '../../src/index.js'

const run = promisify(execFile)
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const siteDir = path.join(repoRoot, 'examples/docs-site')
const buildDir = path.join(siteDir, 'build')
const libraryDir = path.join(siteDir, 'docs/library')
const screenshotFile = path.join(siteDir, 'screenshots/index.png')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Text that readers must find, each checked against its source first so that an edit of content/ gives
// a clear failure here rather than a puzzling one in the browser.
const includedTrait = { id: 'safety/destructive-actions', text: 'Anything that cannot be undone with one obvious command is destructive.' }
const mdxIncludedTrait = { id: 'coordination/escalation', text: 'Knowing when to stop is part of the job.' }
const agentId = 'code-reviewer'
const agentTrait = { id: 'safety/secrets-handling', text: "Treat every credential you come across as if it were production's, because often it is." }

/** A command's output on failure, so that a broken build explains itself in the test report. */
async function sh(command: string, args: string[], cwd: string, timeout: number): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      timeout,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1', DOCUSAURUS_IGNORE_SSG_WARNINGS: 'true', FORCE_COLOR: '0' },
    })
    return stdout + stderr
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${command} ${args.join(' ')} failed in ${path.relative(repoRoot, cwd) || '.'}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`)
  }
}

/** Visible text of an HTML page (tags dropped, the usual entities decoded, whitespace collapsed). */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos|nbsp));/gi, (_, dec: string, hex: string, name: string) => {
      if (dec) return String.fromCodePoint(Number(dec))
      if (hex) return String.fromCodePoint(parseInt(hex, 16))
      return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[name.toLowerCase()] ?? ''
    })
    .replace(/\s+/g, ' ')
}

/** A built page: Docusaurus (trailingSlash: false) writes `/a/b` as build/a/b.html, `/` as build/index.html. */
function builtPage(urlPath: string): string {
  const rel = urlPath.replace(/^\/+/, '')
  return rel === '' ? path.join(buildDir, 'index.html') : path.join(buildDir, `${rel}.html`)
}

/** The frontmatter `title` of a generated page. */
function pageTitle(file: string): string {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(file, 'utf8'))
  const title = match ? (parseYaml(match[1] as string) as { title?: unknown }).title : undefined
  if (typeof title !== 'string') throw new Error(`${path.relative(repoRoot, file)} has no frontmatter title`)
  return title
}

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** A static server for build/ that resolves URLs the way a host of a Docusaurus site does. */
function serve(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const abs = path.resolve(root, `.${path.posix.normalize(pathname)}`)
    const inside = abs === root || abs.startsWith(root + path.sep)
    const candidates = inside ? [abs, `${abs}.html`, path.join(abs, 'index.html')] : []
    const file = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
    const status = file ? 200 : 404
    const body = readFileSync(file ?? path.join(root, '404.html'))
    response.writeHead(status, { 'content-type': mime[path.extname(file ?? '.html')] ?? 'application/octet-stream' })
    response.end(body)
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({ server, origin: `http://127.0.0.1:${port}` })
    })
  })
}

// playwright-core lives in the example's own node_modules (a devDependency of examples/docs-site), so it is
// loaded by path at run time; the root type-check never needs the example's dependencies installed.
// biome-ignore lint/suspicious/noExplicitAny: typed by the example's own package, not installed at the root
type Playwright = any
// biome-ignore lint/suspicious/noExplicitAny: as above
type BrowserContext = any
// biome-ignore lint/suspicious/noExplicitAny: as above
type Page = any

let expectedTraits: string[] = []
let server: Server | undefined
let origin = ''
let context: BrowserContext | undefined
let userDataDir = ''
const pageErrors: string[] = []

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'dist/src/index.js'))) {
    throw new Error('traitgen is not built: run `npm run build:ts` first (`npm run test:e2e` does)')
  }
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  const needed = ['@docusaurus/core', 'playwright-core'].map((name) => path.join(siteDir, 'node_modules', name, 'package.json'))
  if (!needed.every((file) => existsSync(file))) {
    await sh('npm', ['install', '--prefix', siteDir, '--no-audit', '--no-fund'], repoRoot, 8 * 60_000)
  }

  // The pages of the docs target, from scratch: the real CLI, as the README tells users to run it.
  rmSync(libraryDir, { recursive: true, force: true })
  rmSync(path.join(siteDir, 'library-out'), { recursive: true, force: true })
  await sh(process.execPath, ['bin/traitgen.js', 'build', '--root', 'examples/docs-site'], repoRoot, 120_000)

  // The traits the agent places, as the library sees them: its page must list exactly these.
  const tg = createTraitgen({ root: siteDir })
  try {
    expectedTraits = (await tg.graph()).agents[agentId] ?? []
  } finally {
    await tg.close()
  }

  const docusaurus = path.join(siteDir, 'node_modules/@docusaurus/core/bin/docusaurus.mjs')
  await sh(process.execPath, [docusaurus, 'build', '--out-dir', 'build'], siteDir, 6 * 60_000)

  ;({ server, origin } = await serve(buildDir))
  const playwright: Playwright = await import(pathToFileURL(path.join(siteDir, 'node_modules/playwright-core/index.mjs')).href)
  userDataDir = mkdtempSync(path.join(tmpdir(), 'traitgen-e2e-chromium-'))
  context = await playwright.chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, 15 * 60_000)

afterAll(async () => {
  await context?.close()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
})

async function open(urlPath: string): Promise<Page> {
  const page: Page = await context.newPage()
  page.on('pageerror', (error: Error) => pageErrors.push(`${urlPath}: ${error.message}`))
  const response = await page.goto(origin + urlPath, { waitUntil: 'load' })
  expect(response?.status(), `${urlPath} answers 200`).toBe(200)
  return page
}

describe('docs-site: the built HTML', () => {
  it('has the trait that the hand-written page includes (remarkTraitgen, CommonMark @include comment)', () => {
    expect(readFileSync(path.join(repoRoot, 'content/traits', `${includedTrait.id}.md`), 'utf8')).toContain(includedTrait.text)
    const html = readFileSync(builtPage('/'), 'utf8')
    expect(textOf(html)).toContain(includedTrait.text)
    expect(html).not.toContain('@include safety/destructive-actions -->')
  })

  it('has the trait that the MDX page includes (remarkTraitgen, {/* @include */})', () => {
    expect(readFileSync(path.join(repoRoot, 'content/traits', `${mdxIncludedTrait.id}.md`), 'utf8')).toContain(mdxIncludedTrait.text)
    expect(textOf(readFileSync(builtPage('/mdx-include'), 'utf8'))).toContain(mdxIncludedTrait.text)
  })

  it('has a page per agent and per trait of the docs target, and the library index', () => {
    const agents = readdirMd(path.join(repoRoot, 'content/agents'))
    const traits = readdirMd(path.join(repoRoot, 'content/traits'))
    expect(agents.length).toBeGreaterThan(0)
    for (const id of agents) expect(existsSync(builtPage(`/library/agents/${id}`)), `agent page ${id}`).toBe(true)
    for (const id of traits) expect(existsSync(builtPage(`/library/traits/${id}`)), `trait page ${id}`).toBe(true)
    expect(existsSync(builtPage('/library'))).toBe(true)
  })

  it('shows an agent page with its expanded traits', () => {
    expect(expectedTraits).toContain(agentTrait.id)
    expect(readFileSync(path.join(repoRoot, 'content/traits', `${agentTrait.id}.md`), 'utf8')).toContain(agentTrait.text)
    const text = textOf(readFileSync(builtPage(`/library/agents/${agentId}`), 'utf8'))
    expect(text).toContain(pageTitle(path.join(libraryDir, 'agents', `${agentId}.md`)))
    expect(text).toContain(agentTrait.text)
  })
})

describe('docs-site: in Chromium', () => {
  it('an agent page lists its traits, and a trait link leads to the trait page', async () => {
    const page = await open(`/library/agents/${agentId}`)
    const content = page.locator('.theme-doc-markdown')
    const links = content.locator('a[href*="/library/traits/"]')
    const hrefs: string[] = await links.evaluateAll((nodes: Array<{ getAttribute(name: string): string | null }>) =>
      nodes.map((node) => node.getAttribute('href') ?? ''),
    )
    const listed = [...new Set(hrefs.map((href) => new URL(href, origin).pathname.replace(/^\/library\/traits\//, '')))]
    expect(listed.sort()).toEqual([...new Set(expectedTraits)].sort())

    const title = pageTitle(path.join(libraryDir, 'traits', `${agentTrait.id}.md`))
    await content.locator(`a[href$="/library/traits/${agentTrait.id}"]`).first().click()
    await page.waitForURL(`${origin}/library/traits/${agentTrait.id}`)
    const heading = page.locator('.theme-doc-markdown h1, article h1').first()
    await expect.poll(() => heading.textContent(), { timeout: 15_000 }).toBe(title)
    expect(await heading.isVisible()).toBe(true)
    expect(await page.getByText('Page Not Found').count()).toBe(0)

    // The same URL loaded afresh (a bookmark, a shared link) is served, not the 404 page.
    const response = await page.reload({ waitUntil: 'load' })
    expect(response?.status()).toBe(200)
    expect(await page.locator('.theme-doc-markdown h1, article h1').first().textContent()).toBe(title)
    await page.close()
  })

  it('the library index draws the dependency graph with mermaid', async () => {
    const page = await open('/library')
    const svg = page.locator('.docusaurus-mermaid-container svg').first()
    await svg.waitFor({ state: 'visible', timeout: 30_000 })
    expect(await svg.getAttribute('aria-roledescription')).not.toBe('error')
    const labels: string[] = (await svg.locator('g.node').allTextContents()).map((label: string) => label.trim()).filter(Boolean)
    expect(labels.length).toBeGreaterThan(1)
    const known = new Set([...readdirMd(path.join(repoRoot, 'content/traits')), ...readdirMd(path.join(repoRoot, 'content/agents'))])
    const knownNames = new Set([...known].flatMap((id) => [id, id.split('/').pop() as string]))
    const recognised = labels.filter((label) => [...knownNames].some((name) => label.includes(name)))
    expect(recognised.length, `node labels: ${labels.join(', ')}`).toBeGreaterThan(0)
    await expect.poll(() => svg.locator('g.node').first().isVisible()).toBe(true)

    mkdirSync(path.dirname(screenshotFile), { recursive: true })
    await svg.scrollIntoViewIfNeeded()
    await page.screenshot({ path: screenshotFile })
    await page.close()
  })

  it('the hand-written page renders its own mermaid block', async () => {
    const page = await open('/')
    const svg = page.locator('.docusaurus-mermaid-container svg').first()
    await svg.waitFor({ state: 'visible', timeout: 30_000 })
    await expect.poll(() => svg.getByText('traitgen build (docs target)').count()).toBeGreaterThan(0)
    await page.close()
  })

  it('no page threw in the browser', () => {
    expect(pageErrors).toEqual([])
  })
})

/** Ids of the .md files under a folder (POSIX, without .md), skipping names that start with . or _. */
function readdirMd(dir: string, prefix = ''): string[] {
  const ids: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue
    if (entry.isDirectory()) ids.push(...readdirMd(path.join(dir, entry.name), `${prefix}${entry.name}/`))
    else if (entry.name.endsWith('.md')) ids.push(`${prefix}${entry.name.slice(0, -3)}`)
  }
  return ids
}
