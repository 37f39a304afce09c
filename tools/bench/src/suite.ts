/**
 * The benchmark suite: one command that measures Ambit beside baselines run on the same
 * machine in the same run (direct TCP, haproxy, nginx), with ratios first, and every
 * target of the issues marked met or not met.
 *
 *   npm run bench:suite [-- --quick] [-- --write] [-- --json <file>] [-- --only l4,l7,cp]
 *
 * --quick: short runs (< 2 minutes) for before/after comparisons; --write: put the tables
 * into docs/benchmarks.md's Suite section and the JSON into tools/bench/results/; --only:
 * some sections. Traffic stays on loopback; every run and wait is bounded.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlPlaneSection } from './suite/control-plane-section.js';
import { l4Section } from './suite/l4-section.js';
import { l7Section } from './suite/l7-section.js';
import { renderReport, writeIntoDoc, type SuiteReport } from './suite/report.js';
import type { Section } from './suite/section.js';
import { evaluateTargets, targetsTable } from './suite/targets.js';
import { detectTools, INSTALL_HINT } from './suite/tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECTIONS: Readonly<Record<string, Section>> = { l4: l4Section, l7: l7Section, cp: controlPlaneSection };

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const write = args.includes('--write');
const valueOf = (flag: string): string | undefined => {
  const index = args.indexOf(flag);
  return index < 0 ? undefined : args[index + 1];
};
const only = valueOf('--only')?.split(',') ?? Object.keys(SECTIONS);
const unknown = only.filter((name) => SECTIONS[name] === undefined);
if (unknown.length > 0) {
  console.error(`bench:suite: --only ${unknown.join(',')}: no such section (the sections are ${Object.keys(SECTIONS).join(', ')})`);
  process.exit(2);
}
const jsonOut = valueOf('--json') ?? (write ? join(ROOT, 'tools/bench/results', quick ? 'suite-quick.json' : 'suite.json') : undefined);

const log = (line: string): void => console.error(`bench:suite: ${line}`);
const started = Date.now();
const loadStart = loadavg()[0]!;
const tools = detectTools();
for (const tool of Object.values(tools)) if (tool.path === undefined) log(`${tool.name} is not installed: its rows are skipped (${INSTALL_HINT})`);

const root = await mkdtemp(join(tmpdir(), 'ambit-bench-suite-'));
const tables = [];
const figures: Record<string, number> = {};
try {
  for (const name of only) {
    const section = SECTIONS[name]!;
    const dir = join(root, name);
    await mkdir(dir);
    const sectionStart = Date.now();
    try {
      const result = await section.run({ quick, tools, dir, log });
      tables.push(...result.tables);
      Object.assign(figures, result.figures);
      log(`${section.name} done in ${((Date.now() - sectionStart) / 1000).toFixed(0)} s`);
    } catch (error) {
      // One section failing (a tool, a port) must not lose the others' figures.
      const message = error instanceof Error ? error.message : String(error);
      log(`${section.name} failed: ${message}`);
      tables.push({ title: `${section.name}: failed`, columns: ['error'], rows: [[message.split('\n')[0]]] });
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

const targets = evaluateTargets(figures);
const report: SuiteReport = {
  meta: {
    command: `npm run bench:suite${args.length > 0 ? ` -- ${args.filter((arg) => arg !== '--write').join(' ')}` : ''}`.replace(/ -- $/, ''),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    quick,
    node: process.version,
    tools: Object.fromEntries(Object.values(tools).map((tool) => [tool.name, tool.version])),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown CPU',
    loadAverage: { start: loadStart, end: loadavg()[0]! },
    durationSeconds: (Date.now() - started) / 1000,
  },
  targets,
  figures,
  tables,
};
const markdown = renderReport(report, targetsTable(targets));
console.log(markdown);
if (jsonOut !== undefined) {
  await mkdir(dirname(jsonOut), { recursive: true });
  await writeFile(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
  log(`JSON written to ${jsonOut}`);
}
if (write) {
  await writeIntoDoc(join(ROOT, 'docs/benchmarks.md'), markdown);
  log('docs/benchmarks.md updated (Suite section)');
}
