#!/usr/bin/env node
// Runs the compiled sample echo app (`npx nx run sample-echo:build`, or `npx tsc -b apps/sample-echo/tsconfig.lib.json`).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
