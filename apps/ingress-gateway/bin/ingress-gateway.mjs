#!/usr/bin/env node
// Runs the compiled ingress gateway (`npx nx run ingress-gateway:build`, or `npx tsc -b apps/ingress-gateway/tsconfig.lib.json`).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
