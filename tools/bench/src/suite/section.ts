import type { Table } from './table.js';
import type { Tool, ToolName } from './tools.js';

/** What every part of the suite gets: the run's size, the tools found, a scratch directory, a progress line writer. */
export interface SuiteContext {
  readonly quick: boolean;
  readonly tools: Readonly<Record<ToolName, Tool>>;
  /** A fresh temporary directory for this section (configs, state). */
  readonly dir: string;
  readonly log: (line: string) => void;
}

/**
 * A part's results: tables for the document, and named figures (raw numbers) that the
 * targets table and the JSON report read. A figure not measured is absent.
 */
export interface SectionResult {
  readonly tables: readonly Table[];
  readonly figures: Readonly<Record<string, number>>;
}

export interface Section {
  readonly name: string;
  run(context: SuiteContext): Promise<SectionResult>;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};
