#!/usr/bin/env node
// The README's test command: lint, typecheck and test every project through Nx, then
// print one plain summary line for the whole run from the Vitest JSON reports
// (`N passed, N failed, N skipped`), whatever Nx ran or replayed from its cache.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const reports = join(root, 'reports', 'vitest');
rmSync(reports, { recursive: true, force: true });

const nxArgs = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=static', ...process.argv.slice(2)];
const nx = spawnSync('npx', nxArgs, { cwd: root, stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(reports) ? readdirSync(reports).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load counts as a failure even though none of its tests ran.
  failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
}

const nxFailed = nx.status !== 0;
if (nxFailed && failed === 0) failed = 1; // lint/typecheck failures have no test count of their own
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (files.length === 0) console.error('no test reports were written: did any test run?');
process.exit(nxFailed || failed > 0 || files.length === 0 ? 1 : 0);
