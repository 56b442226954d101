// Docusaurus config of the traitgen docs-site example. ESM through the .mjs extension: package.json must not
// say "type": "module", or the bundler parses Docusaurus' generated route modules as strict ESM and the
// static-site generation fails with `require.resolveWeak is not a function`.
//
// Two ways traitgen feeds this site:
//  1. `traitgen build --root examples/docs-site` writes the `docs` target's pages into docs/library/
//     (see traitgen.config.ts); they are plain Markdown files, rendered like any other doc.
//  2. remarkTraitgen expands `<!-- @include <trait ref> -->` comments in hand-written pages
//     (docs/intro.md) from the same trait library while Docusaurus compiles them.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { themes } from 'prism-react-renderer'
// traitgen's library as built in this repository (`npm run build:ts` at the repo root). In a project of
// your own this would be `import { remarkTraitgen } from 'traitgen'`.
import { remarkTraitgen } from '../../dist/src/index.js'

const siteDir = path.dirname(fileURLToPath(import.meta.url))

/** @type {import('@docusaurus/types').Config} */
export default {
  title: 'traitgen example library',
  tagline: 'Agents and traits of traitgen’s example content, rendered by the docs target',
  url: 'http://localhost',
  baseUrl: '/',
  trailingSlash: false,
  // Docusaurus Faster (Rspack, SWC, Lightning CSS): a build in a fraction of webpack's time.
  future: { v4: true },
  // A broken link between generated pages fails the build instead of shipping a 404.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'warn',
  markdown: {
    // `detect`: .md files are CommonMark, .mdx files are MDX. Generated trait pages hold arbitrary
    // Markdown (`{{ placeholders }}`, `<!-- comments -->`, `<` in prose) that MDX would reject, and the
    // HTML-comment form of @include is only valid outside MDX.
    format: 'detect',
    mermaid: true,
    hooks: { onBrokenMarkdownLinks: 'throw' },
  },
  themes: ['@docusaurus/theme-mermaid'],
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.mjs',
          // The traitgen project root: the folder holding traitgen.config.ts (content: ../../content).
          remarkPlugins: [[remarkTraitgen, { root: siteDir }]],
        },
        blog: false,
        pages: false,
        theme: { customCss: './src/css/custom.css' },
      }),
    ],
  ],
  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      navbar: {
        title: 'traitgen example',
        items: [
          { to: '/', label: 'Intro', position: 'left' },
          { to: '/library', label: 'Library', position: 'left' },
        ],
      },
      mermaid: { theme: { light: 'neutral', dark: 'dark' } },
      prism: { theme: themes.github, darkTheme: themes.dracula },
    }),
}
