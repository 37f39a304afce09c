import { stringify } from 'yaml';
import { table } from '../../table.js';
import { certificatesTable } from './certificates-table.js';
import { text, type ConfigDump, type DumpItem, type SectionName } from './dump.js';
import { policiesTable } from './policies-table.js';
import { servicesTable } from './services-table.js';
import { workloadsTable } from './workloads-table.js';

/** `-o`: istioctl's table (`text`, the default), or the section itself as JSON or YAML. */
export const OUTPUT_FORMATS = ['text', 'json', 'yaml'] as const;
export type ZtunnelConfigFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  readonly output: ZtunnelConfigFormat;
  /** Only the items of this namespace (case-insensitive, as istioctl); not for certificates. */
  readonly namespace?: string;
  /** The time certificates are checked against (VALID CERT). */
  readonly now: Date;
}

const TABLES: Record<SectionName, (items: readonly DumpItem[], dump: ConfigDump, now: Date) => string[][]> = {
  workloads: workloadsTable,
  services: servicesTable,
  policies: (items) => policiesTable(items),
  certificates: (items, _dump, now) => certificatesTable(items, now),
};

/** One section of a dump as `ztunnel-config <section>` prints it. */
export function renderSection(dump: ConfigDump, section: SectionName, options: RenderOptions): string {
  const namespace = options.namespace?.toLowerCase();
  const items = namespace === undefined ? dump[section] : dump[section].filter((item) => text(item.namespace).toLowerCase() === namespace);
  switch (options.output) {
    case 'json':
      return `${JSON.stringify(items, null, 2)}\n`;
    case 'yaml':
      return stringify(items);
    case 'text':
      return table(TABLES[section](items, dump, options.now).map((row) => row.map(printable)));
  }
}

/** A cell on one line: control characters in what a ztunnel sent must not break the table or the terminal. */
function printable(cell: string): string {
  return cell.replace(/\p{Cc}/gu, '?');
}
