#!/usr/bin/env node
// Runs the compiled ztunnel (`npx nx run ztunnel:build`, or `npx tsc -b apps/ztunnel/tsconfig.lib.json`).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
