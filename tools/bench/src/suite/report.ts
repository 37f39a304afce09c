import { readFile, writeFile } from 'node:fs/promises';
import { BenchStepError } from './errors.js';
import { renderTable, type Table } from './table.js';
import type { TargetResult } from './targets.js';

/** What the run was: enough to reproduce it and to judge how far to trust it. */
export interface RunMeta {
  readonly command: string;
  readonly date: string;
  readonly quick: boolean;
  readonly node: string;
  readonly tools: Readonly<Record<string, string>>;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly durationSeconds: number;
}

export interface SuiteReport {
  readonly meta: RunMeta;
  readonly targets: readonly TargetResult[];
  readonly figures: Readonly<Record<string, number>>;
  readonly tables: readonly Table[];
}

export const BEGIN_MARKER = '<!-- bench-suite:begin (written by npm run bench:suite -- --write) -->';
export const END_MARKER = '<!-- bench-suite:end -->';

/** The report as Markdown: the run's header line, then every table (targets first). */
export function renderReport(report: SuiteReport, targets: Table): string {
  const { meta } = report;
  const header = [
    `\`${meta.command}\` — ${meta.date}, ${meta.durationSeconds.toFixed(0)} s${meta.quick ? ' (--quick: short runs, smaller control-plane mesh)' : ''}`,
    `node ${meta.node}; ${Object.entries(meta.tools).map(([name, version]) => `${name}: ${version}`).join('; ')}`,
    `${meta.cpus} × ${meta.cpuModel}; load average ${meta.loadAverage.start.toFixed(2)} at the start, ${meta.loadAverage.end.toFixed(2)} at the end` +
      (meta.loadAverage.start > meta.cpus / 2 || meta.loadAverage.end > meta.cpus / 2 ? ' (a shared, busy machine: read the ratios, not the absolute figures)' : ''),
  ];
  return [header.join('  \n'), renderTable(targets), ...report.tables.map(renderTable)].join('\n\n');
}

/** Replaces what lies between the markers in `file` with `markdown`; the markers must be there (the Suite section holds them). */
export async function writeIntoDoc(file: string, markdown: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new BenchStepError(`--write ${file}`, `the markers ${BEGIN_MARKER} … ${END_MARKER} are not in the file`);
  await writeFile(file, `${text.slice(0, begin + BEGIN_MARKER.length)}\n\n${markdown}\n\n${text.slice(end)}`);
}
