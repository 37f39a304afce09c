#!/usr/bin/env node
// Runs the compiled waypoint (`npx nx run waypoint:build`, or `npx tsc -b apps/waypoint/tsconfig.lib.json`).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
