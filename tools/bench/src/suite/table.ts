/**
 * The suite's results as tables: one model, rendered as Markdown for docs/benchmarks.md
 * and kept as it is in the JSON report.
 */
export type Cell = string | number | undefined;

export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Lines printed under the table: how it was measured, what was skipped and why. */
  readonly notes?: readonly string[];
}

/** A table as GitHub Markdown: `|` in cells escaped, line breaks flattened, missing cells as "—". */
export function renderTable(table: Table): string {
  const line = (cells: readonly Cell[]): string => `| ${cells.map(cellText).join(' | ')} |`;
  const rows = table.rows.map((row) => line(table.columns.map((_, index) => row[index])));
  const notes = (table.notes ?? []).map((note) => `- ${note}`);
  return [`**${table.title}**`, '', line(table.columns), `|${table.columns.map(() => '---').join('|')}|`, ...rows, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

function cellText(cell: Cell): string {
  if (cell === undefined || (typeof cell === 'number' && !Number.isFinite(cell))) return '—';
  return String(cell).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A number with `digits` decimals and thousands separators; "—" when it was not measured. */
export function num(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `value / baseline` as the table leads with it: bold, two decimals, "×". */
export function ratio(value: number | undefined, baseline: number | undefined): string {
  if (value === undefined || baseline === undefined || !Number.isFinite(value / baseline) || baseline === 0) return '—';
  return `**${(value / baseline).toFixed(2)}×**`;
}
