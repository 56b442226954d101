#!/usr/bin/env node
// traitgen's executable: runs the compiled CLI, bundled into one file (built by `npm install` through the
// `prepare` script; scripts/bundle.mjs says why).
import { setFlagsFromString } from 'node:v8'

// Parsing makes much short-lived garbage, and V8's default lets the heap grow far past what is live before
// collecting (the large benchmark corpus peaked at 1.3 GB resident with about 300 MB live). A tighter
// growing factor keeps the resident size near the live size for about the same CPU time (README, "Speed and memory").
setFlagsFromString('--heap-growing-percent=50')
const { main } = await import('../dist/src/cli/main.bundle.js')

process.exitCode = await main(process.argv.slice(2))
