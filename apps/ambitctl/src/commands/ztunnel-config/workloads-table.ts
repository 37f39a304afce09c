import { byKeys, text, texts, type ConfigDump, type DumpItem } from './dump.js';
import { waypointName } from './waypoint.js';

/** istioctl's `ztunnel-config workloads` table: sorted by namespace and name, then node. */
export function workloadsTable(workloads: readonly DumpItem[], dump: ConfigDump): string[][] {
  const rows = [...workloads].sort(byKeys((w) => `${text(w.namespace)}.${text(w.name)}`, (w) => text(w.node)));
  return [
    ['NAMESPACE', 'POD NAME', 'ADDRESS', 'NODE', 'WAYPOINT', 'PROTOCOL'],
    // A workload known only by hostname (a WorkloadEntry without an address) shows that hostname.
    ...rows.map((w) => [text(w.namespace), text(w.name), texts(w.workloadIps).join(',') || text(w.hostname), text(w.node), waypointName(w, dump.services), text(w.protocol)]),
  ];
}
