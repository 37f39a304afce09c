#!/usr/bin/env node
// Runs the compiled CLI (`nx build netns-cluster`, or `tsc -b tools/netns-cluster/tsconfig.lib.json`).
import { main } from '../dist/index.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
