import { byKeys, text, type DumpItem } from './dump.js';

/** istioctl's `ztunnel-config policies` table: sorted by namespace and name. */
export function policiesTable(policies: readonly DumpItem[]): string[][] {
  const rows = [...policies].sort(byKeys((p) => text(p.namespace), (p) => text(p.name)));
  return [['NAMESPACE', 'POLICY NAME', 'ACTION', 'SCOPE'], ...rows.map((p) => [text(p.namespace), text(p.name), text(p.action), text(p.scope)])];
}
