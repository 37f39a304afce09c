#!/usr/bin/env node
// Runs the compiled CLI; `npm install` builds it (the root package's `prepare` script).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
