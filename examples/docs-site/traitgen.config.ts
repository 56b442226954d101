// traitgen config of the docs-site example: the repo's example library (../../content) rendered by the
// `docs` target into docs/library/, where Docusaurus picks the pages up. Build it from the repo root with
//   node bin/traitgen.js build --root examples/docs-site
import { defineConfig } from 'traitgen'

export default defineConfig({
  content: '../../content',
  // Holds traitgen's manifest (and the outputs of targets without their own dir); git-ignored.
  output: 'library-out',
  // Generated pages land inside Docusaurus' docs folder; git-ignored too.
  targets: [{ name: 'docs', dir: 'docs/library' }],
  // The same variables as the repository's own config (the house template uses project_name).
  variables: { project_name: 'your project' },
  groups: {
    coordination: { title: 'Coordination' },
    safety: { title: 'Safety' },
    quality: { title: 'Quality Standards' },
    tools: { title: 'Tools' },
    output: { title: 'Output Format' },
  },
})
