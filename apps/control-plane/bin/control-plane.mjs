#!/usr/bin/env node
// Runs the compiled control plane (`npx nx run control-plane:build`, or `npx tsc -b apps/control-plane/tsconfig.lib.json`).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
